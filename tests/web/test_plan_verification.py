"""Issue 14: independent verification before nurses see a plan, and plans put on
hold when the case changes. Each transition and each hold trigger has a test.

The case (plan_helpers): 70 kg, LVEF 60%, RAS wild type, chemotherapy-refractory;
tucatinib + trastuzumab is preferred, trastuzumab loading 8 mg/kg = 560 mg (D1, D7).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import password_of
from her2app.cases.models import ClinicalStatus, MolecularProfile
from her2app.plans import actions, documents, holds
from her2app.plans.models import (
    IllegalTransition,
    NotAdministrable,
    PlanState,
    PlanTransition,
    TreatmentPlan,
    VerifierIsApprover,
)
from tests.factories import plannable_case
from tests.internal_codes import pdf_pages
from tests.web.case_helpers import fitness_payload, post_step
from tests.web.plan_helpers import (
    approved_plan,
    draft_plan,
    released_plan,
)


@pytest.fixture
def case(oncologist):
    return plannable_case(oncologist, weight_date=date(2026, 11, 20))


@pytest.fixture
def second_oncologist(example_user):
    return example_user("olivia")


def change_case(case, **clinical) -> None:
    ClinicalStatus.objects.filter(case=case).update(**clinical)


def moves(plan) -> list[tuple[str, str]]:
    return list(PlanTransition.objects.filter(plan=plan).values_list("from_state", "to_state"))


# --- verification -------------------------------------------------------------------
def test_approve_then_verify_releases_the_plan_with_a_transition_row(case, oncologist, pharmacist):
    plan = approved_plan(case, oncologist)
    assert plan.state == PlanState.APPROVED and not plan.was_released

    plan, verified_now = actions.verify_plan(plan, pharmacist)

    assert verified_now and plan.state == PlanState.VERIFIED and plan.verified_by == pharmacist
    assert plan.was_released
    assert moves(plan)[-1] == (PlanState.APPROVED, PlanState.VERIFIED)
    assert actions.verify_plan(plan, pharmacist) == (plan, False), "a double submit verifies once"


def test_a_draft_cannot_be_verified(case, oncologist, pharmacist):
    with pytest.raises(actions.PlanActionError, match="awaiting verification"):
        actions.verify_plan(draft_plan(case, oncologist), pharmacist)


def test_the_approver_can_never_verify_even_where_oncologists_may(case, oncologist, settings):
    settings.PLAN_ONCOLOGIST_MAY_VERIFY = True
    plan = approved_plan(case, oncologist)
    with pytest.raises(actions.PlanActionError, match="another person"):
        actions.verify_plan(plan, oncologist)
    plan.verified_by = oncologist
    with pytest.raises(VerifierIsApprover):
        plan.set_state(PlanState.VERIFIED, oncologist)  # the model refuses it too, whatever path tries


def test_a_second_oncologist_verifies_only_where_the_setting_allows(case, oncologist, second_oncologist, settings):
    plan = approved_plan(case, oncologist)
    settings.PLAN_ONCOLOGIST_MAY_VERIFY = False
    with pytest.raises(actions.PlanActionError, match="pharmacist"):
        actions.verify_plan(plan, second_oncologist)
    settings.PLAN_ONCOLOGIST_MAY_VERIFY = True
    plan, _ = actions.verify_plan(plan, second_oncologist)
    assert plan.state == PlanState.VERIFIED


@pytest.mark.parametrize("allowed", [False, True])
def test_the_navigation_links_verification_for_whoever_may_verify(client, oncologist, pharmacist, settings, allowed):
    settings.PLAN_ONCOLOGIST_MAY_VERIFY = allowed
    worklist = f'href="{reverse("plans:verification_worklist")}"'
    client.force_login(oncologist)
    assert (worklist in client.get(reverse("cases:list")).content.decode()) is allowed
    client.force_login(pharmacist)
    assert worklist in client.get(reverse("plans:verification_worklist")).content.decode()


def test_verification_is_a_password_signature(client, case, oncologist, pharmacist):
    plan = approved_plan(case, oncologist)
    client.force_login(pharmacist)
    refused = client.post(reverse("plans:verify", args=[plan.pk]), {"password": "wrong"})
    assert refused.status_code == 400 and "The plan was not verified." in refused.content.decode()
    assert TreatmentPlan.objects.get(pk=plan.pk).state == PlanState.APPROVED
    client.post(reverse("plans:verify", args=[plan.pk]), {"password": password_of("phil")})
    assert TreatmentPlan.objects.get(pk=plan.pk).state == PlanState.VERIFIED


def test_return_to_the_oncologist_needs_a_reason_and_holds_the_plan(client, case, oncologist, pharmacist):
    plan = approved_plan(case, oncologist)
    client.force_login(pharmacist)
    refused = client.post(reverse("plans:return", args=[plan.pk]), {"reason": "  "})
    assert refused.status_code == 400
    client.post(reverse("plans:return", args=[plan.pk]), {"reason": "Loading dose for 60 kg, not 70 kg?"})
    plan.refresh_from_db()
    assert plan.state == PlanState.ON_HOLD
    assert plan.hold_reason == "Returned by the verifier: Loading dose for 60 kg, not 70 kg?"
    client.force_login(oncologist)
    worklist = client.get(reverse("plans:hold_worklist")).content.decode()
    assert "Loading dose for 60 kg, not 70 kg?" in worklist and reverse("plans:detail", args=[plan.pk]) in worklist


def test_verification_worklist_lists_waiting_plans_oldest_first(client, oncologist, pharmacist):
    older = approved_plan(plannable_case(oncologist, mrn="MRN-OLD"), oncologist)
    newer = approved_plan(plannable_case(oncologist, mrn="MRN-NEW"), oncologist)
    released_plan(plannable_case(oncologist, mrn="MRN-DONE"), oncologist)
    TreatmentPlan.objects.filter(pk=newer.pk).update(approved_at=older.approved_at.replace(year=2027))
    TreatmentPlan.objects.filter(pk=older.pk).update(approved_at=older.approved_at.replace(year=2025))
    client.force_login(pharmacist)
    page = client.get(reverse("plans:verification_worklist")).content.decode()
    assert page.index("MRN-OLD") < page.index("MRN-NEW")
    assert "MRN-DONE" not in page


def test_verification_page_shows_what_the_verifier_checks(client, oncologist, pharmacist):
    case = plannable_case(oncologist, weight_date=date(2026, 11, 20), pregnant=None)  # S10: a blocking warning
    plan = draft_plan(case, oncologist, override_reason="Pregnancy test negative this morning; result pending upload")
    changed = [actions.DoseChange(dose, Decimal("550.0") if dose.phase == "loading" else dose.final_mg, "")
               for dose in plan.doses.all()]
    actions.update_draft(plan, oncologist, plan.edit_version, plan.start_date, "", changed)
    plan, _ = actions.approve_plan(plan, oncologist)
    change_case(case, weight_kg=Decimal("60"))
    client.force_login(pharmacist)

    page = client.get(reverse("plans:verify", args=[plan.pk])).content.decode()

    assert "70.0 kg, weighed on 20 Nov 2026" in page
    assert "8 mg/kg x 70 kg" in page and "560 mg" in page and "550 mg" in page
    assert "1.8% from the calculation, within policy" in page
    assert "Pregnancy test negative this morning" in page and "Approved over a blocking warning" in page
    assert "ruleset 2026.2" in page
    assert "calculated dose 560 mg is now 480 mg" in page, "the engine on the current data, with the hold it would cause"


# --- holds: each trigger ---------------------------------------------------------------
@pytest.fixture
def released(case, oncologist):
    return released_plan(case, oncologist)


def test_weight_change_beyond_rounding_holds_the_plan(released, case, pharmacist):
    change_case(case, weight_kg=Decimal("60"))  # D7: 8 mg/kg x 60 kg = 480 mg, 14% below 560 mg
    assert holds.review_case(case, pharmacist) == [released]
    released.refresh_from_db()
    assert released.state == PlanState.ON_HOLD
    assert "Trastuzumab (loading): calculated dose 560 mg is now 480 mg" in released.hold_reason


def test_weight_change_within_rounding_does_not_hold(released, case, pharmacist):
    change_case(case, weight_kg=Decimal("69"))  # 552 mg: 1.4% from 560 mg, within the 5% policy
    assert holds.review_case(case, pharmacist) == []
    released.refresh_from_db()
    assert released.state == PlanState.VERIFIED


def test_new_blocking_warning_holds_the_plan(released, case, pharmacist):
    change_case(case, pregnant=None)  # S10: pregnancy status unknown is blocking; the tier stays preferred
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    assert released.state == PlanState.ON_HOLD and "new blocking warning" in released.hold_reason
    assert "tier fell" not in released.hold_reason


def test_a_blocking_warning_of_another_regimen_does_not_hold(released, case, pharmacist):
    change_case(case, ild_history=True)  # S3 warns on trastuzumab deruxtecan, not on tucatinib + trastuzumab
    assert holds.review_case(case, pharmacist) == []


def test_tier_fall_holds_the_plan(released, case, pharmacist):
    MolecularProfile.objects.filter(case=case).update(ras="unknown")  # R3: capped at consider
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    assert released.state == PlanState.ON_HOLD
    assert released.hold_reason == "tier fell from preferred to consider"


def test_lvef_falling_to_40_holds_for_the_warning_and_the_tier(released, case, pharmacist):
    change_case(case, lvef_percent=40)  # S2: LVEF below 50% contraindicates
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    assert "tier fell from preferred to contraindicated" in released.hold_reason
    assert "new blocking warning" in released.hold_reason


def test_missing_weight_holds_the_plan(released, case, pharmacist):
    change_case(case, weight_kg=None)
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    assert "Trastuzumab (loading): the dose can no longer be calculated" in released.hold_reason
    assert "value now missing" in released.hold_reason


def test_missing_lvef_holds_the_plan(released, case, pharmacist):
    change_case(case, lvef_percent=None)  # S2 needs a baseline LVEF
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    assert released.state == PlanState.ON_HOLD and "value now missing" in released.hold_reason


def test_an_unverified_plan_is_held_too_and_nurses_never_see_it(client, case, oncologist, nurse, pharmacist):
    plan = approved_plan(case, oncologist)
    change_case(case, lvef_percent=40)
    holds.review_case(case, pharmacist)
    plan.refresh_from_db()
    assert plan.state == PlanState.ON_HOLD and not plan.was_released
    client.force_login(nurse)
    assert client.get(reverse("plans:nurse_plan", args=[plan.pk])).status_code == 404


def test_a_plan_signed_over_the_same_warning_is_not_held_again(client, oncologist, pharmacist):
    case = plannable_case(oncologist, pregnant=None)
    plan = released_plan(case, oncologist, override_reason="Pregnancy excluded clinically; test to follow")
    change_case(case, height_cm=Decimal("171"))
    assert holds.review_case(case, pharmacist) == []
    plan.refresh_from_db()
    assert plan.state == PlanState.VERIFIED


def test_saving_the_case_in_the_wizard_holds_the_plan_and_reissues_its_pdf(
    client, released, case, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, case, "fitness", lvef_percent="40")
    released.refresh_from_db()
    assert released.state == PlanState.ON_HOLD
    assert moves(released)[-1] == (PlanState.VERIFIED, PlanState.ON_HOLD)
    assert PlanTransition.objects.filter(plan=released).last().by == coordinator
    pages = pdf_pages(released.latest_document.read_bytes())
    assert released.latest_document.plan_state == PlanState.ON_HOLD
    assert len(pages) > 1 and all("ON HOLD — do not administer" in " ".join(page.split()) for page in pages)



def test_the_person_whose_wizard_save_held_the_plan_is_told_once(client, released, case, coordinator):
    """A wizard save announces the change; the plan it holds is named in one warning to the person who saved."""
    client.force_login(coordinator)
    case.refresh_from_db()
    response = client.post(f"/cases/{case.pk}/step/fitness/", fitness_payload(case.version, lvef_percent="40"),
                           follow=True)
    warnings = [str(message) for message in response.context["messages"] if "put on hold" in str(message)]
    released.refresh_from_db()
    assert warnings == [f"Plan version {released.version} was put on hold for the oncologist's review: "
                        f"{released.hold_reason}."]

# --- held plans: nurses, resume, revise -------------------------------------------------
@pytest.fixture
def held(released, case, pharmacist):
    change_case(case, lvef_percent=40)
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    return released


def test_nurse_sees_a_held_plan_struck_through_with_its_reason(client, held, nurse):
    client.force_login(nurse)
    page = client.get(reverse("plans:nurse_plan", args=[held.pk])).content.decode()
    assert "ON HOLD — do not administer" in page and "Tier fell from preferred to contraindicated" in page
    assert '<del class="held">' in page
    worklist = client.get(reverse("plans:nurse_worklist")).content.decode()
    assert "ON HOLD — do not administer" in worklist and "tier fell from preferred to contraindicated" in worklist
    assert "<del>" in worklist


def test_only_a_verified_plan_may_be_given(case, oncologist, held):
    with pytest.raises(NotAdministrable):
        held.check_administrable()
    with pytest.raises(NotAdministrable):
        approved_plan(plannable_case(oncologist, mrn="MRN-UNVERIFIED"), oncologist).check_administrable()
    released_plan(plannable_case(oncologist, mrn="MRN-OK"), oncologist).check_administrable()


def test_resume_needs_reason_and_signature_and_goes_back_to_verification(client, held, oncologist):
    client.force_login(oncologist)
    no_reason = client.post(reverse("plans:resume", args=[held.pk]), {"reason": "", "password": password_of("oliver")})
    wrong_password = client.post(reverse("plans:resume", args=[held.pk]), {"reason": "Echo repeated: 55%",
                                                                           "password": "wrong"})
    assert (no_reason.status_code, wrong_password.status_code) == (400, 400)
    client.post(reverse("plans:resume", args=[held.pk]), {"reason": "Echo repeated: 55%", "password": password_of("oliver")})
    held.refresh_from_db()
    assert held.state == PlanState.APPROVED and held.verified_by is None and not held.was_released
    assert moves(held)[-1] == (PlanState.ON_HOLD, PlanState.APPROVED)
    assert PlanTransition.objects.filter(plan=held).last().reason == "Resumed: Echo repeated: 55%"


def test_revising_a_plan_held_for_weight_starts_from_the_current_data(released, case, oncologist, pharmacist):
    change_case(case, weight_kg=Decimal("60"))
    holds.review_case(case, pharmacist)
    released.refresh_from_db()
    revision = actions.revise_plan(released, oncologist)
    assert revision.state == PlanState.DRAFT and revision.supersedes == released
    loading = revision.doses.get(drug="trastuzumab", phase="loading")
    assert loading.calculated_mg == Decimal("480.0"), "D7: 8 mg/kg x 60 kg, not the stale 560 mg"
    revision, _ = actions.approve_plan(revision, oncologist)
    released.refresh_from_db()
    assert released.state == PlanState.SUPERSEDED
    assert moves(released)[-1] == (PlanState.ON_HOLD, PlanState.SUPERSEDED)


def test_revising_a_plan_held_for_a_new_blocking_warning_asks_for_a_new_override_reason(held, oncologist):
    with pytest.raises(actions.PlanActionError, match="needs a new override reason"):
        actions.revise_plan(held, oncologist)


def test_a_held_plan_cannot_be_verified_and_a_verified_plan_cannot_be_resumed(held, released, pharmacist,
                                                                               oncologist):
    with pytest.raises(actions.PlanActionError):
        actions.verify_plan(held, pharmacist)
    with pytest.raises(IllegalTransition):
        held.set_state(PlanState.VERIFIED, pharmacist)
    other = released_plan(plannable_case(oncologist, mrn="MRN-OTHER"), oncologist)
    with pytest.raises(actions.PlanActionError):
        actions.resume_plan(other, oncologist, "no reason to")


def test_cancelling_a_verified_plan_returns_the_case_to_ready(released, case, oncologist):
    actions.cancel_plan(released, oncologist, "Patient declined")
    released.refresh_from_db()
    case.refresh_from_db()
    assert released.state == PlanState.CANCELLED and case.status == case.Status.READY


# --- overrides where the drug is given ---------------------------------------------------
@pytest.fixture
def overridden(oncologist):
    case = plannable_case(oncologist, mrn="MRN-OVERRIDE", pregnant=None)
    plan = released_plan(case, oncologist, override_reason="Pregnancy excluded clinically; test to follow")
    documents.render_plan_document(plan, oncologist)
    return plan


def test_override_shows_in_a_red_box_on_the_nurse_page_and_worklist(client, overridden, nurse):
    TreatmentPlan.objects.filter(pk=overridden.pk).update(start_date=date.today())
    client.force_login(nurse)
    for url in (reverse("plans:nurse_plan", args=[overridden.pk]), reverse("plans:nurse_worklist")):
        page = client.get(url).content.decode()
        box = page.split('class="override-box"')[1].split("</div>")[0]
        assert "Approved over a blocking warning" in box
        assert "Pregnancy excluded clinically; test to follow" in box
        assert "pregnan" in box.split("<ul>")[1].lower(), "the warning itself is in the box"


def test_override_is_on_every_page_of_the_pdf(overridden):
    pages = [" ".join(page.split()) for page in pdf_pages(overridden.latest_document.read_bytes())]
    assert len(pages) > 1
    for page in pages:
        assert "Approved over a blocking warning" in page
        assert "Pregnancy excluded clinically" in page


# --- a ruleset upgrade --------------------------------------------------------------------
def test_ruleset_upgrade_lists_changed_plans_and_holds_only_on_the_conditions(oncologist, pharmacist, capsys):
    from django.core.management import call_command

    from her2app.plans.models import PlanDose

    listed_only = released_plan(plannable_case(oncologist, mrn="MRN-LISTED"), oncologist)
    stored = {**listed_only.engine_output, "ruleset_version": "2025.2", "recommendation": "complete_her2_testing"}
    TreatmentPlan.objects.filter(pk=listed_only.pk).update(engine_output=stored, tier="consider")  # now preferred
    dose_moved = released_plan(plannable_case(oncologist, mrn="MRN-HELD"), oncologist)
    PlanDose.objects.filter(plan=dose_moved, phase="loading").update(calculated_mg=Decimal("520.0"))  # now 560 mg

    call_command("recheck_cases", hold_as=pharmacist.username)
    output = capsys.readouterr().out

    listed_only.refresh_from_db()
    dose_moved.refresh_from_db()
    assert listed_only.state == PlanState.VERIFIED, "a tier that rises and a new recommendation are listed only"
    assert dose_moved.state == PlanState.ON_HOLD
    assert "calculated dose 520 mg is now 560 mg" in dose_moved.hold_reason
    assert f"plan {dose_moved.pk}: Trastuzumab (loading): calculated dose 520 mg" in output
    assert f"plan {listed_only.pk}: verified plan version 1, made with ruleset 2025.2" in output
    assert "Recommendation: Complete HER2 testing -> Anti-HER2 therapy" in output
