"""Plausibility checks that ask rather than refuse: an unusual weight is saved once a person ticks that they
checked it. The bands are institutional settings; the reference's hard limits (S9) stay on the field."""

from decimal import Decimal

from django.conf import settings

from her2app.cases.models import Case, ClinicalStatus


def last_recorded_weight(case: Case) -> Decimal | None:
    """The weight saved on this case, else the latest one recorded in the patient's earlier cases."""
    saved = ClinicalStatus.objects.filter(case=case).values_list("weight_kg", flat=True).first()
    if saved is not None:
        return saved
    earlier = ClinicalStatus.objects.filter(case__patient=case.patient_id, weight_kg__isnull=False).exclude(case=case)
    return earlier.order_by("-case__created_at", "-case__pk").values_list("weight_kg", flat=True).first()


def weight_question(weight: Decimal | None, last: Decimal | None) -> str | None:
    """Why this weight needs a second look, or None."""
    if weight is None:
        return None
    low, high = settings.WEIGHT_PLAUSIBLE_KG
    if not low <= weight <= high:
        return f"{kg_text(weight)} kg is outside the usual {low}-{high} kg."
    limit = settings.WEIGHT_CHANGE_CONFIRM_PERCENT
    if last and abs(weight - last) * 100 > limit * last:
        change = abs(weight - last) * 100 / last
        direction = "more" if weight > last else "less"
        return f"{kg_text(weight)} kg is {change:.0f}% {direction} than the last recorded weight ({kg_text(last)} kg)."
    return None


def kg_text(value: Decimal) -> str:
    """A weight as a person writes it: 164, 64.5."""
    return f"{Decimal(value).normalize():f}"
