"""The case History page: who changed what, when, with old and new values."""

import re
from decimal import Decimal

from django.urls import reverse

from her2app.audit.history import case_history_entries
from her2app.plans.models import PlanState
from tests.web.security_fixtures import PATIENT_MRN, audited_case, make_plan, save_as


def history_url(case) -> str:
    return reverse("audit:case_history", args=[case.pk])


def test_history_url_is_under_the_case():
    assert reverse("audit:case_history", args=[7]) == "/cases/7/history/"


def test_a_changed_weight_shows_who_old_and_new_value(client, coordinator, oncologist):
    case = audited_case(coordinator, weight="70.0")
    clinical = case.clinical
    clinical.weight_kg = Decimal("72.5")
    save_as(clinical, oncologist)
    client.force_login(coordinator)

    response = client.get(history_url(case))

    assert response.status_code == 200
    newest = response.context["entries"][0]
    assert (newest.who, newest.subject, newest.action) == ("Oliver Oncologist", "Fitness and safety", "changed")
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("Weight (kg)", "70", "72.5")]
    page = response.content.decode()
    assert re.search(r"Weight \(kg\)</strong>: .*<del>70</del>.*<ins>72.5</ins>", page)


def test_creation_of_every_part_of_the_case_is_recorded(coordinator):
    case = audited_case(coordinator)
    entries = case_history_entries(case)
    subjects = {(e.subject, e.action) for e in entries}
    assert subjects == {
        ("Patient", "created"),
        ("Case", "created"),
        ("Molecular profile", "created"),
        ("Treatment line 1", "created"),
        ("Fitness and safety", "created"),
    }
    assert all(e.who == "Cora Coordinator" for e in entries)
    patient = next(e for e in entries if e.subject == "Patient")
    assert ("MRN", "—", PATIENT_MRN) in {(c.label, c.old, c.new) for c in patient.changes}


def test_choices_and_booleans_are_shown_as_a_reader_would_say_them(coordinator):
    case = audited_case(coordinator)
    profile = case.profile
    profile.msi, profile.her2_ihc = "msi_high", "2+"
    save_as(profile, coordinator)
    clinical = case.clinical
    clinical.ild_history = False
    save_as(clinical, coordinator)

    changes = {(c.label, c.old, c.new) for e in case_history_entries(case)[:2] for c in e.changes}

    assert ("MSI", "MSS", "MSI-high") in changes
    assert ("HER2 IHC score", "3+", "2+") in changes
    assert ("History of ILD / pneumonitis", "—", "No") in changes


def test_plan_approval_and_dose_rows_appear_with_the_plan_version(coordinator, oncologist):
    case = audited_case(coordinator)
    plan = make_plan(case, oncologist)
    plan.approved_by = oncologist
    plan._history_user = oncologist
    plan.set_state(PlanState.APPROVED, oncologist, reason="signed with password")

    entries = case_history_entries(case)

    assert entries[0].subject == "Plan v1" and entries[0].action == "changed"
    changes = {(c.label, c.old, c.new) for c in entries[0].changes}
    assert ("State", "Draft", "Approved, awaiting verification") in changes
    assert ("Approved by", "—", "Oliver Oncologist") in changes
    assert any(e.subject == "Plan v1 dose: trastuzumab (loading)" and e.action == "created" for e in entries)


def test_deleted_treatment_line_stays_in_the_history(coordinator):
    case = audited_case(coordinator)
    line = case.treatment_lines.get()
    line._history_user = coordinator
    line.delete()
    newest = case_history_entries(case)[0]
    assert (newest.subject, newest.action, newest.who) == ("Treatment line 1", "deleted", "Cora Coordinator")


def test_entries_are_newest_first(coordinator):
    case = audited_case(coordinator)
    for weight in ("71.0", "72.0", "73.0"):
        clinical = case.clinical
        clinical.weight_kg = Decimal(weight)
        save_as(clinical, coordinator)
    moments = [(e.when, e.order) for e in case_history_entries(case)]
    assert moments == sorted(moments, reverse=True)
    assert case_history_entries(case)[0].changes[0].new == "73"


def test_another_case_history_is_not_mixed_in(coordinator):
    mine = audited_case(coordinator)
    other = audited_case(coordinator, mrn="MRN-OTHER-1")
    clinical = other.clinical
    clinical.ecog = 3
    save_as(clinical, coordinator)
    assert len(case_history_entries(mine)) == 5
    assert not any(c.label == "ECOG performance status" and c.new == "3"
                   for e in case_history_entries(mine) for c in e.changes)


def test_query_count_does_not_grow_with_the_history(client, coordinator, oncologist, django_assert_max_num_queries):
    """One query per tracked model, however many changes there are."""
    case = audited_case(coordinator)
    make_plan(case, oncologist)
    client.force_login(coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(history_url(case))
    for number in range(2, 12):
        save_as(type(case.treatment_lines.first())(case=case, line_number=number, agents=["irinotecan"]), coordinator)
        make_plan(case, oncologist, version=number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(history_url(case))
    assert len(response.context["entries"]) == 5 + 2 + 10 * 3


def test_nurse_may_not_see_case_history(client, coordinator, nurse):
    case = audited_case(coordinator)
    client.force_login(nurse)
    assert client.get(history_url(case)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, coordinator):
    case = audited_case(coordinator)
    response = client.get(history_url(case))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_case_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/cases/999999/history/").status_code == 404


def test_a_wizard_edit_is_recorded_with_the_signed_in_user(client, coordinator, oncologist):
    """simple_history's request middleware ties each wizard save to the person who made it."""
    from django.test import Client

    from tests.web.case_helpers import post_step
    from tests.web.security_fixtures import STEP_VALUES, case_through_wizard

    desk = Client()
    desk.force_login(coordinator)
    case = case_through_wizard(desk)
    client.force_login(oncologist)
    assert post_step(client, case, "fitness", **{**STEP_VALUES["fitness"], "weight_kg": "72.5", "action": "save"}).status_code == 302

    page = client.get(history_url(case))
    # The save changes the case record and, with it, the weight series' case-record entry.
    newest = page.context["entries"][:2]
    assert {(e.who, e.subject) for e in newest} == {("Oliver Oncologist", "Fitness and safety"),
                                                    ("Oliver Oncologist", "Measurement: Weight")}
    fitness = next(e for e in newest if e.subject == "Fitness and safety")
    assert [(c.label, c.old, c.new) for c in fitness.changes] == [("Weight (kg)", "70", "72.5")]
    assert {e.who for e in page.context["entries"][2:]} == {"Cora Coordinator"}


def test_tumour_board_decision_appears_in_the_case_history(coordinator, oncologist):
    from datetime import date

    from her2app.meetings.actions import add_case_to_agenda, record_decision
    from her2app.meetings.models import Meeting

    case = audited_case(coordinator)
    board = Meeting.objects.create(date=date(2026, 12, 3), created_by=coordinator)
    item = add_case_to_agenda(board, case, question="Anti-HER2 now?")
    item._history_user = oncologist
    record_decision(item, oncologist, "Start tucatinib-trastuzumab.")

    newest = case_history_entries(case)[0]
    assert newest.subject == f"Tumour board agenda (meeting #{board.pk})"
    changes = {(c.label, c.old, c.new) for c in newest.changes}
    assert ("Decision", "—", "Start tucatinib-trastuzumab.") in changes
    assert ("Decided by", "—", "Oliver Oncologist") in changes


def test_stored_plan_pdfs_appear_with_their_checksum(client, coordinator, oncologist):
    from tests.web.security_fixtures import make_document

    case = audited_case(coordinator)
    plan = make_plan(case, oncologist, state=PlanState.APPROVED)
    document = make_document(plan, oncologist)
    client.force_login(coordinator)

    page = client.get(history_url(case))

    newest = page.context["entries"][0]
    assert (newest.subject, newest.action, newest.who) == ("Plan v1 PDF 1", "stored", "Oliver Oncologist")
    assert ("SHA-256", document.sha256) in {(c.label, c.new) for c in newest.changes}
    assert document.sha256 in page.content.decode()


def test_the_case_page_links_to_its_history(client, coordinator):
    case = audited_case(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'href="{history_url(case)}"' in page
