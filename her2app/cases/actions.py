"""Every change of a case's status or version goes through these functions.

The status map: what moves a case, and to which status. The version counts
saves, so an editor who opened an older version gets a conflict instead of
overwriting (EditConflict); a status change bumps it too.
"""

from django.db.models import F
from django.utils import timezone

from her2app.cases.models import Case, ClinicalStatus, EditConflict

SENT_FOR_REVIEW = "sent for review"
PLAN_APPROVED = "plan approved"
NO_APPROVED_PLAN_LEFT = "no approved plan left"

STATUS_AFTER = {
    SENT_FOR_REVIEW: Case.Status.READY,
    PLAN_APPROVED: Case.Status.PLANNED,
    NO_APPROVED_PLAN_LEFT: Case.Status.READY,
}


def start_case(patient, user) -> Case:
    """A new case for `patient` (a patient may have several cases over time)."""
    return Case.objects.create(patient=patient, created_by=user, updated_by=user)


def claim_version(case: Case, expected_version: int, user) -> None:
    """Claim the next version, or raise EditConflict if the case moved on.

    One conditional UPDATE, so of N concurrent saves from the same version
    exactly one wins.
    """
    claimed = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if not claimed:
        case.refresh_from_db()
        raise EditConflict(case)
    case.refresh_from_db(fields=["version", "updated_by", "updated_at"])


# The clinical record's values a measurement recorded after the wizard can bring up to date.
CURRENT_VALUE_FIELDS = frozenset({"weight_kg", "weight_date", "lvef_percent", "lvef_date", "pregnant", "breastfeeding"})


def take_current_values(case: Case, user, values: dict, reason: str) -> bool:
    """`values` (a newer weight, LVEF or pregnancy status) become the case's current clinical values, saved in the
    audit history as `user`'s with `reason`, and the version bumped so an editor who opened the older version gets
    a conflict. False when the record already held them (nothing saved)."""
    if not values.keys() <= CURRENT_VALUE_FIELDS:
        raise ValueError(f"Not a current value: {', '.join(sorted(values.keys() - CURRENT_VALUE_FIELDS))}")
    clinical = ClinicalStatus.objects.filter(case=case).first() or ClinicalStatus(case=case)
    if clinical.pk is not None and all(getattr(clinical, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(clinical, name, value)
    clinical.clean_fields(exclude=[field.name for field in ClinicalStatus._meta.fields if field.name not in values])
    clinical._history_user, clinical._change_reason = user, reason
    clinical.save()
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_by=user, updated_at=timezone.now())
    case.refresh_from_db(fields=["version", "updated_by", "updated_at"])
    return True


def send_for_review(case: Case, engine_input: dict, engine_output: dict | None) -> None:
    """Ready for the oncologist, keeping the engine result shown at that moment (for the re-check).

    The wizard claims the version for the same save (claim_version)."""
    case.status = STATUS_AFTER[SENT_FOR_REVIEW]
    case.sent_engine_input, case.sent_engine_output, case.sent_at = engine_input, engine_output, timezone.now()
    case.save(update_fields=["status", "sent_engine_input", "sent_engine_output", "sent_at"])


def plan_approved(case: Case, user) -> None:
    _move(case, user, PLAN_APPROVED)


def no_approved_plan_left(case: Case, user) -> None:
    _move(case, user, NO_APPROVED_PLAN_LEFT)


def _move(case: Case, user, event: str) -> None:
    # Bump the version so an open wizard edit gets a conflict, not a silent overwrite.
    case.status = STATUS_AFTER[event]
    case.version += 1
    case.updated_by = user
    case.save(update_fields=["status", "version", "updated_by", "updated_at"])
