"""A plan's content as every view of it shows it: the plan page, the nurse's
page and the PDF each add only what is theirs (forms, today, print time)."""

from django.conf import settings

from her2app.plans.as_given import ScheduleAsGiven
from her2app.plans.calendar import administration_rows, cycle_rows
from her2app.plans.options import CONTINUATION
from her2app.plans.models import PlanDose, TreatmentPlan
from regimens import vocabulary


def plan_content(plan: TreatmentPlan, schedule: ScheduleAsGiven | None = None) -> dict:
    """`schedule`: the doses as given and re-flowed (plans.as_given); its upcoming doses then make the
    administration rows, on their re-flowed dates. None: the calendar as signed."""
    events = plan.calendar_events()
    doses = list(plan.doses.all())
    return {
        "plan": plan,
        "case": plan.case,
        "patient": plan.case.patient,
        "doses": doses,
        "repeats": repeat_sentence(doses, plan.cycle_days),
        "cycles": cycle_rows(events),
        "administration": administration_rows(events) if schedule is None else schedule.upcoming,
        "schedule": schedule,
        "calendar_cycles": settings.PLAN_CALENDAR_CYCLES,
        "continuation": CONTINUATION,
    }


def repeat_sentence(doses: list[PlanDose], cycle_days: int) -> str:
    """What every later cycle repeats, dose by dose with its own frequency and days, so that a weekly dose is
    never read as one dose per cycle (D4)."""
    parts = []
    for dose in doses:
        if dose.phase == "loading":
            continue
        amount = "dose set by the oncologist" if dose.final_mg is None else f"{float(dose.final_mg):g} mg"
        parts.append(
            f"{vocabulary.drug_name(dose.drug)} {amount} {vocabulary.frequency_label(dose.frequency)} "
            f"({dose.days_label})"
        )
    return f"Each later {cycle_days}-day cycle repeats: {'; '.join(parts)}." if parts else ""
