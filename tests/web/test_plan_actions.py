"""Plan life cycle through the actions module: transitions, audit rows,
versioning, immutability and the override rule."""

from decimal import Decimal

import pytest

import regimens
from her2app.cases.models import Case, TreatmentLine
from her2app.cases.clinical import run_for_case
from her2app.plans import actions
from her2app.plans.options import override_reasons, plannable_options
from her2app.plans.models import (
    TRANSITIONS,
    IllegalTransition,
    ImmutablePlanError,
    OverrideReasonMissing,
    PlanState,
    PlanTransition,
    TreatmentPlan,
)
from tests.factories import plannable_case
from tests.web.plan_helpers import ALTERNATIVE, PREFERRED, START, approved_plan, draft_plan


@pytest.fixture
def case(oncologist):
    return plannable_case(oncologist)


def test_transition_map_allows_only_the_designed_moves():
    assert TRANSITIONS[PlanState.DRAFT] == {PlanState.APPROVED, PlanState.CANCELLED}
    assert TRANSITIONS[PlanState.APPROVED] == {
        PlanState.VERIFIED, PlanState.ON_HOLD, PlanState.SUPERSEDED, PlanState.CANCELLED
    }
    assert TRANSITIONS[PlanState.VERIFIED] == {PlanState.ON_HOLD, PlanState.SUPERSEDED, PlanState.CANCELLED}
    assert TRANSITIONS[PlanState.ON_HOLD] == {PlanState.APPROVED, PlanState.SUPERSEDED, PlanState.CANCELLED}
    assert TRANSITIONS[PlanState.SUPERSEDED] == set()
    assert TRANSITIONS[PlanState.CANCELLED] == set()


def test_draft_holds_the_engine_doses_for_70_kg(case, oncologist):
    plan = draft_plan(case, oncologist)
    doses = {(dose.drug, dose.phase): dose for dose in plan.doses.all()}
    assert doses[("trastuzumab", "loading")].final_mg == Decimal("560.0")
    assert doses[("trastuzumab", "maintenance")].final_mg == Decimal("420.0")
    assert doses[("tucatinib", "continuous")].final_mg == Decimal("300.0")
    assert doses[("tucatinib", "continuous")].frequency == "BID"
    assert plan.ruleset_version == regimens.RULESET_VERSION
    assert plan.engine_output["options"] and plan.engine_input["patient"]["weight_kg"] == 70.0
    assert plan.state == PlanState.DRAFT and plan.version == 1


def test_calendar_covers_the_configured_cycles_with_loading_then_maintenance(case, oncologist, settings):
    settings.PLAN_CALENDAR_CYCLES = 4
    plan = draft_plan(case, oncologist)
    trastuzumab = [event for event in plan.calendar_events() if event["drug"] == "trastuzumab"]
    assert [(event["cycle"], event["phase"], event["dose_mg"]) for event in trastuzumab] == [
        (1, "loading", 560.0), (2, "maintenance", 420.0), (3, "maintenance", 420.0), (4, "maintenance", 420.0)
    ]
    assert trastuzumab[1]["date"].isoformat() == "2026-12-22"
    tucatinib = [event for event in plan.calendar_events() if event["drug"] == "tucatinib"]
    assert tucatinib[0]["last_date"].isoformat() == "2026-12-21"


def test_illegal_transition_raises_and_changes_nothing(case, oncologist):
    plan = draft_plan(case, oncologist)
    with pytest.raises(IllegalTransition):
        plan.set_state(PlanState.SUPERSEDED, oncologist)
    assert plan.state == PlanState.DRAFT
    plan.state = PlanState.SUPERSEDED  # bypassing set_state is caught on save
    with pytest.raises(IllegalTransition):
        plan.save()


def test_every_transition_writes_an_audit_row(case, oncologist):
    plan = approved_plan(case, oncologist)
    actions.cancel_plan(plan, oncologist, "patient declined")
    moves = list(PlanTransition.objects.filter(plan=plan).values_list("from_state", "to_state", "by", "reason"))
    assert moves == [
        ("", "draft", oncologist.pk, "chosen"),
        ("draft", "approved", oncologist.pk, "signed with password"),
        ("approved", "cancelled", oncologist.pk, "patient declined"),
    ]


def test_approval_records_signer_and_marks_the_case_planned(case, oncologist):
    version_before = case.version
    plan = approved_plan(case, oncologist)
    assert plan.approved_by == oncologist and plan.approved_at is not None
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNED
    assert case.version == version_before + 1, "an open wizard edit must conflict, not overwrite"


def test_approving_twice_approves_once(case, oncologist):
    plan = draft_plan(case, oncologist)
    first, approved_first = actions.approve_plan(plan, oncologist)
    second, approved_second = actions.approve_plan(plan, oncologist)
    assert (approved_first, approved_second) == (True, False)
    assert PlanTransition.objects.filter(plan=plan, to_state="approved").count() == 1
    assert second.approved_at == first.approved_at


def test_approved_plan_content_cannot_change(case, oncologist):
    plan = approved_plan(case, oncologist)
    plan.start_date = plan.start_date.replace(day=2)
    with pytest.raises(ImmutablePlanError):
        plan.save()
    plan.refresh_from_db()
    plan.clinician_notes = "quietly edited"
    with pytest.raises(ImmutablePlanError):
        plan.save()
    dose = plan.doses.first()
    dose.final_mg = Decimal("1.0")
    with pytest.raises(ImmutablePlanError):
        dose.save()
    with pytest.raises(ImmutablePlanError):
        dose.delete()
    assert TreatmentPlan.objects.get(pk=plan.pk).clinician_notes == ""


def test_revision_is_a_new_version_and_approving_it_supersedes_the_old(case, oncologist):
    first = approved_plan(case, oncologist)
    revision = actions.revise_plan(first, oncologist)
    assert (revision.version, revision.state, revision.supersedes_id) == (2, PlanState.DRAFT, first.pk)
    assert [dose.final_mg for dose in revision.doses.all()] == [dose.final_mg for dose in first.doses.all()]
    first.refresh_from_db()
    assert first.state == PlanState.APPROVED, "the old version stays valid until the new one is signed"
    actions.approve_plan(revision, oncologist)
    first.refresh_from_db()
    assert first.state == PlanState.SUPERSEDED
    assert PlanTransition.objects.filter(plan=first, to_state="superseded", reason__contains="version 2").exists()


def test_a_new_choice_also_supersedes_the_approved_plan_when_signed(case, oncologist):
    first = approved_plan(case, oncologist)
    second = draft_plan(case, oncologist, ALTERNATIVE, override_reason="tucatinib not available")
    actions.approve_plan(second, oncologist)
    assert TreatmentPlan.objects.get(pk=first.pk).state == PlanState.SUPERSEDED
    assert list(TreatmentPlan.objects.filter(case=case, state="approved")) == [second]


def test_override_reasons_choice_that_is_not_preferred_needs_a_reason(case, oncologist):
    engine_input, engine_output = run_for_case(case).input_and_result()
    assert override_reasons(engine_output, PREFERRED) == []
    assert override_reasons(engine_output, ALTERNATIVE) == ["it is not the preferred option (it is alternative)"]
    with pytest.raises(actions.PlanActionError, match="override reason"):
        actions.choose_option(case, oncologist, engine_input, engine_output, ALTERNATIVE, START)
    assert not TreatmentPlan.objects.exists()


def test_override_reasons_blocking_warning_choice_needs_a_reason(oncologist):
    case = plannable_case(oncologist, lvef_percent=40)
    engine_input, engine_output = run_for_case(case).input_and_result()
    reasons = override_reasons(engine_output, PREFERRED)
    assert any(reason.startswith("it carries a blocking warning: LVEF below 50%") for reason in reasons)


def test_override_reasons_every_choice_needs_a_reason_when_nothing_is_preferred(oncologist):
    """The audit: a fit, treatment-naive patient could be planned on any regimen, trastuzumab deruxtecan
    included, with no reason (standard therapy first: nothing is preferred)."""
    case = plannable_case(oncologist)
    TreatmentLine.objects.filter(case=case).delete()
    engine_input, engine_output = run_for_case(case).input_and_result()
    assert engine_output["recommendation"] == "standard_therapy_first"
    for option in plannable_options(engine_output):
        with pytest.raises(actions.PlanActionError, match="no option is preferred"):
            actions.choose_option(case, oncologist, engine_input, engine_output, option["regimen"], START)
    assert not TreatmentPlan.objects.exists()
    plan = actions.choose_option(case, oncologist, engine_input, engine_output, "trastuzumab-deruxtecan", START,
                                 override_reason="Board: chemotherapy declined after discussion")
    assert plan.override_reason == "Board: chemotherapy declined after discussion"


def test_override_reasons_the_model_refuses_a_plan_without_a_needed_reason(case, oncologist):
    """Not only the form and the action: a plan row that needs a reason cannot be created without one."""
    engine_input, engine_output = run_for_case(case).input_and_result()
    with pytest.raises(OverrideReasonMissing):
        TreatmentPlan.objects.create(
            case=case, version=1, regimen=ALTERNATIVE, tier="alternative", engine_input=engine_input,
            engine_output=engine_output, ruleset_version=engine_output["ruleset_version"], start_date=START,
            cycle_days=21, chosen_by=oncologist,
        )
    assert not TreatmentPlan.objects.exists()


def test_S4_lapatinib_dose_in_child_pugh_c_must_be_set_and_justified_before_signing(oncologist):
    case = plannable_case(oncologist, hepatic_impairment="severe")
    plan = draft_plan(case, oncologist, "lapatinib-trastuzumab", override_reason="No alternative: board decision")
    lapatinib = plan.doses.get(drug="lapatinib")
    assert lapatinib.clinician_sets_dose and lapatinib.calculated_mg is None and lapatinib.final_mg is None
    assert "oncologist sets and justifies" in lapatinib.basis
    with pytest.raises(actions.PlanActionError, match="Set the dose, with its reason, of lapatinib"):
        actions.approve_plan(plan, oncologist)
    actions.update_draft(plan, oncologist, plan.edit_version, START, "", [actions.DoseChange(lapatinib, Decimal("750.0"), "")])
    plan = TreatmentPlan.objects.get(pk=plan.pk)
    with pytest.raises(actions.PlanActionError, match="Set the dose"):
        actions.approve_plan(plan, oncologist)
    reason = "Hepatology advice: 750 mg once daily, liver tests weekly"
    actions.update_draft(plan, oncologist, plan.edit_version, START, "", [actions.DoseChange(lapatinib, Decimal("750.0"), reason)])
    approved, _ = actions.approve_plan(TreatmentPlan.objects.get(pk=plan.pk), oncologist)
    assert approved.state == PlanState.APPROVED
    assert approved.doses.get(drug="lapatinib").adjustment_reason == reason


def test_editing_a_draft_keeps_calculated_and_final_doses_and_moves_the_calendar(case, oncologist):
    plan = draft_plan(case, oncologist)
    loading = plan.doses.get(drug="trastuzumab", phase="loading")
    changes = [actions.DoseChange(loading, Decimal("550.0"), "rounded to vial sizes")]
    actions.update_draft(plan, oncologist, plan.edit_version, START.replace(day=3), "", changes)
    loading.refresh_from_db()
    assert (loading.calculated_mg, loading.final_mg) == (Decimal("560.0"), Decimal("550.0"))
    plan.refresh_from_db()
    first = plan.calendar_events()[0]
    assert first["date"] == START.replace(day=3)
    assert any(event["dose_mg"] == 550.0 for event in plan.calendar_events())


def test_signed_plan_records_the_version_it_actually_replaced(case, oncologist):
    """Two drafts made from version 1: whichever is signed last replaces the one signed before it."""
    first = approved_plan(case, oncologist)
    second = actions.revise_plan(first, oncologist)
    third = actions.revise_plan(first, oncologist)
    actions.approve_plan(third, oncologist)
    signed_second, _ = actions.approve_plan(second, oncologist)
    assert signed_second.supersedes_id == third.pk
    assert list(TreatmentPlan.objects.filter(case=case, state="approved")) == [signed_second]


def test_weekly_infusions_are_listed_by_date_and_oral_supply_as_a_span(case, oncologist):
    from her2app.plans.calendar import cycle_rows

    plan = draft_plan(case, oncologist, "lapatinib-trastuzumab", override_reason="tucatinib unavailable")
    first_cycle = cycle_rows(plan.calendar_events())[0]
    weekly = next(item for item in first_cycle.items if item.phase == "maintenance")
    oral = next(item for item in first_cycle.items if item.drug == "lapatinib")
    assert [day.isoformat() for day in weekly.dates] == ["2026-12-08", "2026-12-15"]
    assert weekly.days_label == "days 8, 15" and not weekly.spans_days
    assert oral.spans_days and oral.last_date.isoformat() == "2026-12-21"
