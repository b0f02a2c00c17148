"""Two people editing one draft plan: the second save is refused with a
field-by-field comparison, and everything the second person typed is kept."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from her2app.plans import actions
from her2app.plans.models import TreatmentPlan
from tests.factories import plannable_case
from tests.web.plan_helpers import draft_plan

REDUCTION_REASON = "Grade 3 diarrhoea in cycle 1: 75% dose"


@pytest.fixture
def plan(oncologist) -> TreatmentPlan:
    """63 kg: trastuzumab maintenance 6 mg/kg = 378 mg (reference D3)."""
    return draft_plan(plannable_case(oncologist, weight_kg="63"), oncologist)


@pytest.fixture
def colleague(oncologist, example_user) -> Client:
    client = Client()
    client.force_login(example_user("olivia"))
    return client


def form_as_opened(plan: TreatmentPlan) -> dict:
    """What the edit page posts back unchanged, as opened now."""
    data = {"start_date": plan.start_date.isoformat(), "clinician_notes": plan.clinician_notes,
            "edit_version": str(plan.edit_version)}
    for dose in plan.doses.all():
        data[f"dose-{dose.pk}-final_mg"] = str(dose.final_mg)
        data[f"dose-{dose.pk}-adjustment_reason"] = dose.adjustment_reason
    return data


def test_a_colleague_editing_only_the_notes_cannot_silently_undo_a_dose_reduction(client, oncologist, plan,
                                                                                  colleague):
    maintenance = plan.doses.get(drug="trastuzumab", phase="maintenance")
    assert maintenance.final_mg == Decimal("378.0")
    mine, theirs = form_as_opened(plan), form_as_opened(plan)  # both open version 1

    client.force_login(oncologist)
    mine[f"dose-{maintenance.pk}-final_mg"] = "283.5"
    mine[f"dose-{maintenance.pk}-adjustment_reason"] = REDUCTION_REASON
    assert client.post(reverse("plans:edit", args=[plan.pk]), mine).status_code == 302

    theirs["clinician_notes"] = "Check LVEF before cycle 3."
    response = colleague.post(reverse("plans:edit", args=[plan.pk]), theirs)

    assert response.status_code == 409
    page = response.content.decode()
    assert f"Someone else saved draft version {plan.version} while you were editing" in page
    assert "Oliver Oncologist saved a newer version" in page
    changes = {change.label: (change.new, change.old) for change in response.context["conflict"]["changes"]}
    assert changes == {
        "Clinician notes": ("Check LVEF before cycle 3.", "blank"),
        "Final dose of trastuzumab (maintenance)": ("378.0 mg", "283.5 mg"),
        "Reason for adjusting trastuzumab (maintenance)": ("blank", REDUCTION_REASON),
    }
    assert "Check LVEF before cycle 3.</textarea>" in page, "the colleague's notes are still in the form"
    assert 'name="edit_version" value="2"' in page, "saving again is a deliberate overwrite of version 2"
    maintenance.refresh_from_db()
    assert (maintenance.final_mg, maintenance.adjustment_reason) == (Decimal("283.5"), REDUCTION_REASON)
    plan.refresh_from_db()
    assert plan.clinician_notes == "" and plan.edit_version == 2


def test_saving_again_after_the_conflict_is_an_informed_overwrite(client, oncologist, plan, colleague):
    mine, theirs = form_as_opened(plan), form_as_opened(plan)
    client.force_login(oncologist)
    mine["clinician_notes"] = "first"
    client.post(reverse("plans:edit", args=[plan.pk]), mine)
    theirs["clinician_notes"] = "second"
    conflict = colleague.post(reverse("plans:edit", args=[plan.pk]), theirs)
    assert conflict.status_code == 409

    theirs["edit_version"] = "2"  # the version the conflict page carries
    assert colleague.post(reverse("plans:edit", args=[plan.pk]), theirs).status_code == 302
    plan.refresh_from_db()
    assert (plan.clinician_notes, plan.edit_version) == ("second", 3)


def test_the_action_refuses_a_stale_version_and_writes_nothing(oncologist, plan):
    dose = plan.doses.first()
    actions.update_draft(plan, oncologist, 1, plan.start_date, "saved first", [])
    with pytest.raises(actions.DraftConflict) as raised:
        actions.update_draft(plan, oncologist, 1, plan.start_date, "stale",
                             [actions.DoseChange(dose, Decimal("1.0"), "stale")])
    assert raised.value.plan.edit_version == 2
    plan.refresh_from_db()
    dose.refresh_from_db()
    assert plan.clinician_notes == "saved first" and dose.final_mg != Decimal("1.0")


def test_a_form_without_its_edit_version_saves_nothing_and_keeps_the_values(client, oncologist, plan):
    data = form_as_opened(plan)
    del data["edit_version"]
    data["clinician_notes"] = "typed before the marker was lost"
    client.force_login(oncologist)
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "lost its edit marker" in page and "typed before the marker was lost</textarea>" in page
    plan.refresh_from_db()
    assert plan.clinician_notes == "" and plan.edit_version == 1
