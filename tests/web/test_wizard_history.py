"""Step 3: treatment history, lines added and removed in place (htmx or plain submit)."""

import pytest

from her2app.cases.models import MAX_TREATMENT_LINES, TreatmentLine
from tests.web.case_helpers import field_block, history_payload

FOLFOX = {"agents": ["fluoropyrimidine", "oxaliplatin"], "start_date": "2024-01-10", "end_date": "2024-07-01",
          "best_response": "PR", "reason_stopped": "progression"}
FOLFIRI = {"agents": ["fluoropyrimidine", "irinotecan", "bevacizumab"], "start_date": "2024-08-01",
           "end_date": "", "best_response": "SD", "reason_stopped": "ongoing"}


def url(case):
    return f"/cases/{case.pk}/step/history/"


def saved_lines(case):
    return list(TreatmentLine.objects.filter(case=case).order_by("line_number").values_list("line_number", "agents"))


def test_lines_are_saved_numbered_in_order(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(url(case), history_payload(case.version, [FOLFOX, FOLFIRI]))
    assert response.url == f"/cases/{case.pk}/step/fitness/"
    assert saved_lines(case) == [(1, FOLFOX["agents"]), (2, FOLFIRI["agents"])]


def test_agents_are_checkboxes_with_readable_labels(client, coordinator, case):
    client.force_login(coordinator)
    html = client.get(url(case)).content.decode()
    assert 'type="checkbox" name="lines-0-agents" value="anti_egfr"' in html
    assert "Anti-EGFR antibody (cetuximab, panitumumab)" in html
    assert "Fam-trastuzumab deruxtecan-nxki (ENHERTU)" in html, "D10: names with brands"


def test_add_line_keeps_typed_lines_and_adds_an_empty_one_without_saving(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(url(case), history_payload(case.version, [FOLFOX], action="add_line"),
                           headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="wizard"')
    assert 'name="lines-TOTAL_FORMS" value="2"' in html
    assert 'name="lines-0-agents" value="oxaliplatin"' in html and "checked" in html
    assert "Line 2" in html
    assert saved_lines(case) == []


def test_add_line_works_without_javascript_as_a_full_page(client, coordinator, case):
    client.force_login(coordinator)
    html = client.post(url(case), history_payload(case.version, [FOLFOX], action="add_line")).content.decode()
    assert "<html" in html and "Line 2" in html and 'value="2024-01-10"' in html


def test_remove_a_saved_line_then_save_deletes_it_and_renumbers(client, coordinator, case):
    client.force_login(coordinator)
    client.post(url(case), history_payload(case.version, [FOLFOX, FOLFIRI]))
    first, second = TreatmentLine.objects.filter(case=case).order_by("line_number")
    case.refresh_from_db()
    lines = [{**FOLFOX, "id": first.pk}, {**FOLFIRI, "id": second.pk}]
    removed = client.post(url(case), history_payload(case.version, lines, initial=2, action="remove:lines-0"))
    html = removed.content.decode()
    assert "Line 2" not in html and 'name="lines-0-DELETE" value="on"' in html
    assert len(saved_lines(case)) == 2, "removing in place does not save until the step is saved"
    data = history_payload(case.version, lines, initial=2)
    data["lines-0-DELETE"] = "on"
    client.post(url(case), data)
    assert saved_lines(case) == [(1, FOLFIRI["agents"])]


def test_line_without_agents_or_with_end_before_start_is_refused_at_the_field(client, coordinator, case):
    client.force_login(coordinator)
    bad = {**FOLFOX, "agents": [], "start_date": "2024-05-01", "end_date": "2024-01-01"}
    html = client.post(url(case), history_payload(case.version, [FOLFIRI, bad])).content.decode()
    assert "Tick at least one agent" in html
    assert "End date cannot be before the start date" in field_block(html, "lines-1-end_date")
    assert 'value="2024-05-01"' in field_block(html, "lines-1-start_date")
    assert saved_lines(case) == []


def test_unknown_agent_is_refused(client, coordinator, case):
    client.force_login(coordinator)
    html = client.post(url(case), history_payload(case.version, [{**FOLFOX, "agents": ["aspirin"]}])).content
    assert b"Select a valid choice" in html
    assert saved_lines(case) == []


def test_a_blank_extra_line_is_ignored(client, coordinator, case):
    client.force_login(coordinator)
    blank = {"agents": [], "start_date": "", "end_date": "", "best_response": "", "reason_stopped": ""}
    client.post(url(case), history_payload(case.version, [FOLFOX, blank]))
    assert saved_lines(case) == [(1, FOLFOX["agents"])]


def test_resume_shows_saved_lines(client, coordinator, case):
    client.force_login(coordinator)
    client.post(url(case), history_payload(case.version, [FOLFOX, FOLFIRI]))
    html = client.get(url(case)).content.decode()
    assert 'name="lines-INITIAL_FORMS" value="2"' in html
    assert 'value="irinotecan" id="id_lines-1-agents_2" checked' in html


@pytest.mark.parametrize("total", ["abc", "-5", "100000"])
def test_tampered_form_counts_never_fail_the_server(client, coordinator, case, total):
    client.force_login(coordinator)
    data = history_payload(case.version, [FOLFOX], action="add_line")
    data["lines-TOTAL_FORMS"] = total
    assert client.post(url(case), data).status_code == 200
    data["action"] = "next"
    assert client.post(url(case), data).status_code in (200, 302)


def test_a_removed_line_is_not_checked(client, coordinator, case):
    client.force_login(coordinator)
    bad = {"agents": [], "start_date": "2024-05-01", "end_date": "2024-01-01", "best_response": "",
           "reason_stopped": ""}
    response = client.post(url(case), history_payload(case.version, [bad, FOLFOX], action="remove:lines-0"))
    assert not any(form.errors for form in response.context["editor"].formset.forms)
    assert "Tick at least one agent" not in response.content.decode()
    data = history_payload(case.version, [bad, FOLFOX])
    data["lines-0-DELETE"] = "on"
    assert client.post(url(case), data).status_code == 302
    assert saved_lines(case) == [(1, FOLFOX["agents"])]


def test_a_forged_line_count_is_refused_with_a_message_and_renders_at_most_the_limit(client, coordinator, case):
    """A tampered TOTAL_FORMS must not make the server build a million forms."""
    client.force_login(coordinator)
    data = history_payload(case.version, [FOLFOX])
    data["lines-TOTAL_FORMS"] = 1_000_000
    response = client.post(url(case), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"at most {MAX_TREATMENT_LINES} treatment lines" in html
    assert html.count('name="lines-') < 30 * MAX_TREATMENT_LINES
    assert saved_lines(case) == []
