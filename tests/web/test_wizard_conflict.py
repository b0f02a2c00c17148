"""Two people editing one draft: the second save gets a conflict, not lost work."""

import pytest
from django.test import Client

from her2app.cases.models import ClinicalStatus, MolecularProfile, TreatmentLine
from tests.factories import make_case
from tests.web.case_helpers import field_block, fitness_payload, history_payload, patient_payload, tumour_payload


def step_payloads(case, version):
    """Per step: (first person's payload, second person's payload, a field the second typed, its value)."""
    line = {"agents": ["irinotecan"], "start_date": "", "end_date": "", "best_response": "", "reason_stopped": ""}
    other = {**line, "agents": ["oxaliplatin"]}
    return {
        "patient": (patient_payload(version=version, mrn=case.patient.mrn, given_name="First"),
                    patient_payload(version=version, mrn=case.patient.mrn, given_name="Second"),
                    "given_name", "Second", "Given name"),
        "tumour": (tumour_payload(version, her2_ihc="2+"), tumour_payload(version, her2_ihc="3+",
                   laboratory="Second Lab"), "laboratory", "Second Lab", "HER2 IHC score"),
        "fitness": (fitness_payload(version, weight_kg="72"), fitness_payload(version, weight_kg="68.5"),
                    "weight_kg", "68.5", "Weight (kg)"),
        "history": (history_payload(version, [line]), history_payload(version, [other]),
                    "lines-0-start_date", "", "Treatment line 1"),
    }


@pytest.mark.parametrize("step", ["patient", "tumour", "history", "fitness"])
def test_second_save_from_a_stale_version_gets_a_conflict_naming_who_and_what(coordinator, oncologist, step):
    case = make_case(coordinator)
    first, second = Client(), Client()
    first.force_login(oncologist)
    second.force_login(coordinator)
    url = f"/cases/{case.pk}/step/{step}/"
    mine, theirs, typed_field, typed_value, changed_label = step_payloads(case, case.version)[step]
    assert first.post(url, mine).status_code == 302

    response = second.post(url, theirs)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this case" in html
    assert "Oliver Oncologist" in html
    assert changed_label in html.split('id="conflict"')[1].split("</table>")[0]
    assert f'name="version" value="{case.version + 1}"' in html, "resubmitting carries the new version"
    if typed_value:
        assert f'value="{typed_value}"' in field_block(html, typed_field)

    overwrite = second.post(url, {**theirs, "version": case.version + 1})
    assert overwrite.status_code == 302, "a deliberate resubmit overwrites"


def test_conflict_keeps_first_saved_values_until_the_second_resubmits(coordinator, oncologist):
    case = make_case(coordinator)
    first, second = Client(), Client()
    first.force_login(oncologist)
    second.force_login(coordinator)
    url = f"/cases/{case.pk}/step/fitness/"
    first.post(url, fitness_payload(case.version, weight_kg="72"))
    html = second.post(url, fitness_payload(case.version, weight_kg="68.5")).content.decode()
    assert "<td>68.5</td><td>72.0</td>" in html.replace("\n", "").replace("  ", "")
    assert ClinicalStatus.objects.get(case=case).weight_kg == 72


def test_conflict_in_the_history_step_lists_line_differences(coordinator, oncologist):
    case = make_case(coordinator, lines=[["fluoropyrimidine"]])
    line_id = TreatmentLine.objects.get(case=case).pk
    first, second = Client(), Client()
    first.force_login(oncologist)
    second.force_login(coordinator)
    url = f"/cases/{case.pk}/step/history/"
    base = {"id": line_id, "start_date": "", "end_date": "", "best_response": "", "reason_stopped": ""}
    first.post(url, history_payload(case.version, [{**base, "agents": ["oxaliplatin"]}], initial=1))
    html = second.post(url, history_payload(case.version, [{**base, "agents": ["irinotecan"]}], initial=1)).content
    html = html.decode()
    assert "Treatment line 1" in html and "Irinotecan" in html and "Oxaliplatin" in html
    assert list(TreatmentLine.objects.filter(case=case).values_list("agents", flat=True)) == [["oxaliplatin"]]


def test_conflict_over_htmx_returns_the_partial(coordinator, oncologist):
    case = make_case(coordinator)
    MolecularProfile.objects.create(case=case)
    first, second = Client(), Client()
    first.force_login(oncologist)
    second.force_login(coordinator)
    url = f"/cases/{case.pk}/step/tumour/"
    first.post(url, tumour_payload(case.version))
    response = second.post(url, tumour_payload(case.version, her2_ihc="1+"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="wizard"') and "Someone else saved this case" in html
