"""The case's series: the case record's single values as their first entries, the latest recorded entries as the
case record's current values, and the series as the engine's plain values (regimens.readiness.CaseSeries).

Two ways between the case record and the series, one for each direction:
- `record_from_case`, the hook the case save path calls: whatever the wizard (or an import) saved as the case's
  weight, LVEF or pregnancy status is the series' "case record" entry, kept equal to the case record, unless
  that value came from a recorded entry (already in the series);
- `make_current`, called when an entry is recorded: the latest weight, LVEF or pregnancy status (by date) becomes
  the case record's current value, so the engine, the re-check and the plan holds read it.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from her2app.cases import actions as case_actions
from her2app.cases.models import Case, ClinicalStatus, Sex
from her2app.monitoring.models import LIVER_KINDS, Kind, Measurement, PregnancyStatus, Source
from regimens.measurements import Measurement as Value
from regimens.measurements import PregnancyRecord
from regimens.readiness import CaseSeries


@dataclass(frozen=True)
class CaseRecordValue:
    kind: str  # a Kind, or "pregnancy"
    fields: dict  # the entry's fields
    dated: bool  # False: the case record has no date for it, `measured_on` is the day it was saved


def values_from_clinical(clinical, sex: str, fallback_day: date) -> list[CaseRecordValue]:
    """The case record's values that start a series. A value saved without its date is dated `fallback_day`
    (the day it was recorded). Pregnancy status only where S10 applies (a female patient) and only when known."""
    values = []
    if clinical is None:
        return values
    if clinical.weight_kg is not None:
        values.append(CaseRecordValue(Kind.WEIGHT, {"value": clinical.weight_kg, "unit": "kg",
                                                    "measured_on": clinical.weight_date or fallback_day},
                                      clinical.weight_date is not None))
    if clinical.lvef_percent is not None:
        values.append(CaseRecordValue(Kind.LVEF, {"value": clinical.lvef_percent, "unit": "%",
                                                  "measured_on": clinical.lvef_date or fallback_day},
                                      clinical.lvef_date is not None))
    if sex == Sex.FEMALE and clinical.pregnant is not None:
        values.append(CaseRecordValue("pregnancy", {
            "basis": PregnancyStatus.Basis.STATUS, "pregnant": clinical.pregnant,
            "breastfeeding": clinical.breastfeeding, "measured_on": fallback_day,
        }, dated=False))
    return values


def pregnancy_applies(case: Case) -> bool:
    """S10: pregnancy status is asked for a female patient."""
    return case.patient.sex == Sex.FEMALE


def record_from_case(case: Case, user) -> bool:
    """Make the series' case-record entries equal to the case record (added, changed, or removed if cleared), except
    a value the case record took from a recorded entry. True when the LVEF entry was added or changed."""
    clinical = ClinicalStatus.objects.filter(case=case).first()  # never a stale cached record
    values = {value.kind: value for value in values_from_clinical(clinical, case.patient.sex, timezone.localdate())}
    recorded = _recorded_entries(case)
    changed = {kind: _mirror(Measurement.objects.filter(case=case, kind=kind, source=Source.CASE), values.get(kind),
                             user, Measurement, case=case, kind=kind)
               for kind in (Kind.WEIGHT, Kind.LVEF) if not _holds_one_of(clinical, recorded[kind])}
    if not _holds_one_of(clinical, recorded["pregnancy"]):
        _mirror(PregnancyStatus.objects.filter(case=case, source=Source.CASE), values.get("pregnancy"), user,
                PregnancyStatus, case=case)
    return changed.get(Kind.LVEF, False) and values.get(Kind.LVEF) is not None


def _recorded_entries(case: Case) -> dict[str, list]:
    """The weight, LVEF and pregnancy entries recorded on the measurements page."""
    entries = {Kind.WEIGHT: [], Kind.LVEF: []}
    for entry in Measurement.objects.filter(case=case, kind__in=entries, source=Source.ENTRY):
        entries[entry.kind].append(entry)
    entries["pregnancy"] = list(PregnancyStatus.objects.filter(case=case, source=Source.ENTRY))
    return entries


def _holds_one_of(clinical, entries) -> bool:
    """The case record holds one of the entries' values exactly as recorded (`make_current` put it there)."""
    return clinical is not None and any(
        all(getattr(clinical, name) == value for name, value in _as_recorded(entry).items()) for entry in entries)


def _as_recorded(entry: Measurement | PregnancyStatus) -> dict:
    """The entry's values as the case record's fields (none for a liver test: the engine's hepatic impairment is a
    Child-Pugh category, which the reference does not derive from ALT, AST or bilirubin)."""
    if isinstance(entry, PregnancyStatus):
        return {"pregnant": entry.pregnant, "breastfeeding": entry.breastfeeding}
    if entry.kind == Kind.WEIGHT:
        return {"weight_kg": entry.value, "weight_date": entry.measured_on}
    if entry.kind == Kind.LVEF:
        return {"lvef_percent": int(entry.value), "lvef_date": entry.measured_on}  # whole percent (Measurement.clean)
    return {}


def current_values(entry: Measurement | PregnancyStatus) -> dict:
    """The case record's fields an entry sets when it is the latest of its kind. Breastfeeding left "not known"
    keeps the case's breastfeeding: a later pregnancy test does not clear a known contraindication (S1)."""
    return {name: value for name, value in _as_recorded(entry).items()
            if not (name == "breastfeeding" and value is None)}


# The case record's date of each value that has one (its pregnancy status has none: the series dates it).
CASE_RECORD_DATES = {Kind.WEIGHT: "weight_date", Kind.LVEF: "lvef_date"}


def is_latest(entry: Measurement | PregnancyStatus) -> bool:
    """Neither an entry of its kind nor the case record's value is dated later (of several on one date, the last
    recorded is the latest)."""
    if isinstance(entry, PregnancyStatus):
        return not PregnancyStatus.objects.filter(case_id=entry.case_id, measured_on__gt=entry.measured_on).exists()
    later = {f"{CASE_RECORD_DATES[entry.kind]}__gt": entry.measured_on}
    return not (Measurement.objects.filter(case_id=entry.case_id, kind=entry.kind, measured_on__gt=entry.measured_on)
                .exists() or ClinicalStatus.objects.filter(case_id=entry.case_id, **later).exists())


def make_current(entry: Measurement | PregnancyStatus, user) -> bool:
    """A recorded weight, LVEF or pregnancy status that is the latest of its kind becomes the case record's current
    value (one entered late with an older date does not replace a newer one). True when the case record changed."""
    values = current_values(entry)
    if not values or not is_latest(entry):
        return False
    what = "Pregnancy status" if isinstance(entry, PregnancyStatus) else entry.get_kind_display()
    return case_actions.take_current_values(entry.case, user, values, f"{what} recorded on the measurements page")


def _mirror(existing, value: CaseRecordValue | None, user, model, **identity) -> bool:
    """True when the entry was added or changed."""
    entry = existing.first()
    if value is None:
        existing.delete()
        return False
    if entry is None:
        model.objects.create(source=Source.CASE, recorded_by=user, **identity, **value.fields)
        return True
    if _unchanged(entry, value):
        return False
    for name, field_value in value.fields.items():
        setattr(entry, name, field_value)
    entry.recorded_by = user
    entry.save()
    return True


def _unchanged(entry, value: CaseRecordValue) -> bool:
    """The same values; an undated case-record value keeps the day it was first saved."""
    return all(getattr(entry, name) == field_value for name, field_value in value.fields.items()
               if name != "measured_on" or value.dated)


def measurements(case: Case, kind: str) -> list[Measurement]:
    return list(Measurement.objects.filter(case=case, kind=kind).select_related("recorded_by"))


def pregnancy_statuses(case: Case) -> list[PregnancyStatus]:
    return list(PregnancyStatus.objects.filter(case=case).select_related("recorded_by"))


def _value(entry: Measurement) -> Value:
    return Value(entry.measured_on, float(entry.value), entry.unit)


def case_series(case: Case) -> CaseSeries:
    """The case's series as the engine reads them, in the order they were recorded (the last recorded wins
    on a tie of dates)."""
    by_kind: dict[str, list[Value]] = {kind: [] for kind in Kind.values}
    for entry in Measurement.objects.filter(case=case).order_by("recorded_at", "pk"):
        by_kind[entry.kind].append(_value(entry))
    pregnancy = tuple(PregnancyRecord(entry.measured_on, entry.pregnant, entry.breastfeeding)
                      for entry in PregnancyStatus.objects.filter(case=case).order_by("recorded_at", "pk"))
    return CaseSeries(
        weight_kg=tuple(by_kind[Kind.WEIGHT]),
        lvef_percent=tuple(by_kind[Kind.LVEF]),
        liver={kind: tuple(by_kind[kind]) for kind in LIVER_KINDS},
        pregnancy=pregnancy,
    )
