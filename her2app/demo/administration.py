"""A demo plan in its third cycle with a recorded history: measurements before the start, the oncologist's
readiness decisions, every infusion of cycles 1-3 given with a second nurse's check, and the tablets dispensed
for each cycle. Demo data only (never clinical figures)."""

from datetime import date, time, timedelta
from decimal import Decimal

from her2app.administration.models import Administration, SupplyRecord
from her2app.monitoring.models import Kind, Measurement, PregnancyStatus
from her2app.monitoring.readiness import day_readiness, record_decision
from her2app.plans.models import TreatmentPlan
from regimens.schedule import planned_date

CYCLES_GIVEN = 3
DEMO_BATCH = "DEMO-LOT-{cycle:02d}"
# Tucatinib 300 mg twice daily as two 150 mg tablets (D1), for a 21-day cycle.
DEMO_TABLETS = {"tucatinib": 84}


def start_for_third_cycle(today: date, cycle_days: int = 21) -> date:
    """A start date that puts today two days into cycle 3: on its day 3."""
    into_the_plan = planned_date(today, cycle_days, cycle=3, day=3) - today  # from cycle 1 day 1
    return today - into_the_plan


def _baseline(plan: TreatmentPlan, user) -> None:
    measured_on = plan.start_date - timedelta(days=3)
    patient = plan.engine_input.get("patient") or {}
    values = [(Kind.WEIGHT, patient.get("weight_kg"), "kg"), (Kind.LVEF, plan.engine_input.get("lvef_percent"), "%"),
              (Kind.ALT, 24, "U/L"), (Kind.AST, 22, "U/L"), (Kind.BILIRUBIN, 9, "µmol/L")]
    for kind, value, unit in values:
        if value is not None:
            Measurement.objects.create(case=plan.case, kind=kind, value=Decimal(str(value)), unit=unit,
                                       measured_on=measured_on, recorded_by=user)
    if patient.get("sex") == "female":
        PregnancyStatus.objects.create(case=plan.case, basis=PregnancyStatus.Basis.TEST, pregnant=False,
                                       measured_on=measured_on, recorded_by=user)


def _resolve(plan: TreatmentPlan, day: date, oncologist) -> None:
    readiness = day_readiness(plan, day)
    for checked in readiness.lines:
        if checked.blocks_given:
            record_decision(readiness, checked, oncologist=oncologist, recorded_by=oncologist,
                            reason="Demo history: reviewed with the patient before this dose.")


def record_demo_history(plan: TreatmentPlan, *, nurse, second_nurse, oncologist) -> None:
    _baseline(plan, nurse)
    events = [event for event in plan.calendar_events() if event["cycle"] <= CYCLES_GIVEN]
    for event in events:
        if event["route"] == "PO":
            if event.get("day", 1) == 1 and event["drug"] in DEMO_TABLETS:
                SupplyRecord.objects.create(plan=plan, drug=event["drug"], cycle=event["cycle"],
                                            tablets=DEMO_TABLETS[event["drug"]], dispensed_on=event["date"],
                                            recorded_by=nurse)
            continue
        _resolve(plan, event["date"], oncologist)
        Administration.objects.create(
            plan=plan, drug=event["drug"], cycle=event["cycle"], day=event.get("day", 1), scheduled_on=event["date"],
            status=Administration.Status.GIVEN, given_on=event["date"], dose_mg=Decimal(str(event["dose_mg"])),
            started_at=time(9, 30), ended_at=time(11, 0) if event["cycle"] == 1 else time(10, 0),
            batch=DEMO_BATCH.format(cycle=event["cycle"]), recorded_by=nurse, checked_by=second_nurse,
        )
