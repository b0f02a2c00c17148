"""Readiness ("OK to treat") for one administration day: pure checks over the plan's facts and the case's dated
measurement series. Each line is ok, not ok, or needs the oncologist's go-ahead, with the data behind it as text.

- Weight (D7 doses use actual body weight): within the institution's threshold (a policy input, not a reference
  figure) of the weight the doses were calculated from.
- LVEF: M1 for trastuzumab and trastuzumab emtansine (measured within 12 weeks, no withhold criterion met
  against the baseline, no hold or stop in the course of holds), S2 before the first dose; M3 for trastuzumab
  deruxtecan (before start, then "periodically": no interval or criterion, so the oncologist decides).
- Liver tests (ALT, AST, bilirubin): M2 for tucatinib (every 3 weeks), M4 for lapatinib (no interval). The
  reference has no numeric limits, so a line with results never says ok: it asks for the oncologist's go-ahead.
- Pregnancy status where S10 applies (female patients), S1 when pregnant or breastfeeding.

A line that is not ok blocks "given" until an oncologist overrides it with a reason; a line that needs the
oncologist blocks it until the oncologist's go-ahead is recorded. The web app records both.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from regimens import catalogue as cat
from regimens.lvef import lvef_course, lvef_due
from regimens.measurements import Measurement, PregnancyRecord, format_date, latest

STATUS_LABELS = {"ok": "OK", "not_ok": "Not OK", "needs_oncologist": "Oncologist's go-ahead needed"}
CHECK_LABELS = {"weight": "Weight", "lvef": "LVEF (heart function)", "liver_tests": "Liver tests",
                "pregnancy": "Pregnancy status"}
_RESOLUTION = {"not_ok": "override", "needs_oncologist": "go_ahead"}


@dataclass(frozen=True)
class ReadinessPolicy:
    """The institution's settings (web app), not reference figures."""

    weight_change_percent: float  # dose-recheck threshold, e.g. 10
    lvef_lower_limit_of_normal: float  # the institutional LVEF lower limit of normal (M1)


@dataclass(frozen=True)
class CaseSeries:
    """The case's dated measurement series (any order; entries after the administration day are ignored)."""

    weight_kg: tuple[Measurement, ...] = ()
    lvef_percent: tuple[Measurement, ...] = ()
    liver: Mapping[str, tuple[Measurement, ...]] = field(default_factory=dict)  # keys: cat.LIVER_TESTS
    pregnancy: tuple[PregnancyRecord, ...] = ()


@dataclass(frozen=True)
class ReadinessLine:
    check: str  # weight | lvef | liver_tests | pregnancy
    status: str  # ok | not_ok | needs_oncologist
    text: str  # the data behind the status, readable
    ref: str
    drug: str | None = None  # the drug a drug-specific line is about (LVEF, liver tests)

    @property
    def label(self) -> str:
        return CHECK_LABELS[self.check]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def blocks_given(self) -> bool:
        return self.status != "ok"

    @property
    def resolution(self) -> str | None:
        """What lifts the block: "override" (an oncologist's override with a reason), "go_ahead" (the oncologist's
        go-ahead recorded), or None (nothing blocks)."""
        return _RESOLUTION.get(self.status)


@dataclass(frozen=True)
class Readiness:
    day: date
    lines: tuple[ReadinessLine, ...]

    @property
    def blocks_given(self) -> bool:
        return any(line.blocks_given for line in self.lines)


def readiness(
    day: date,
    drugs: Collection[str],
    series: CaseSeries,
    policy: ReadinessPolicy,
    *,
    weight_used_kg: float | None,
    sex: str | None,
    first_trastuzumab_dose_on: date | None,
) -> Readiness:
    """The checklist for the drugs given or dispensed on `day`.

    `weight_used_kg`: the weight the plan's doses were calculated from. `first_trastuzumab_dose_on`: the date the
    first dose of the trastuzumab family was given (None before it), which fixes the LVEF baseline.
    """
    drugs = frozenset(drugs)
    lines: list[ReadinessLine] = []
    if drugs & cat.WEIGHT_BASED_DRUGS:
        lines.append(weight_line(day, series.weight_kg, weight_used_kg, policy.weight_change_percent))
    for drug in sorted(drugs & cat.LVEF_M1_AGENTS):
        lines.append(lvef_m1_line(day, drug, series.lvef_percent, first_trastuzumab_dose_on,
                                  policy.lvef_lower_limit_of_normal))
    for drug in sorted(drugs & cat.LVEF_M3_AGENTS):
        lines.append(lvef_m3_line(day, drug, series.lvef_percent, first_trastuzumab_dose_on))
    for drug in sorted(drugs & set(cat.LIVER_TEST_REFS)):
        lines.append(liver_line(day, drug, series.liver))
    if sex == "female" and drugs & cat.ANTI_HER2_AGENTS:
        lines.append(pregnancy_line(day, series.pregnancy))
    return Readiness(day, tuple(lines))


def weight_change_percent(weight_used_kg: float, weight_kg: float) -> float:
    """The change from the dosing weight, in % of it (positive: heavier)."""
    return round((weight_kg - weight_used_kg) / weight_used_kg * cat.PERCENT, cat.FLOAT_NOISE_DIGITS)


def weight_line(day: date, weights: Iterable[Measurement], weight_used_kg: float | None,
                threshold_percent: float) -> ReadinessLine:
    """Within `threshold_percent` (an institutional policy) of the weight the doses were calculated from."""
    current = latest(weights, day)
    if weight_used_kg is None or current is None:
        missing = "the weight the doses were calculated from" if weight_used_kg is None else "a weight"
        return ReadinessLine("weight", "not_ok", f"No {missing} is recorded: weight-based doses need it (S9).", "S9")
    change = weight_change_percent(weight_used_kg, current.value)
    shown = Measurement(current.on, current.value, current.unit or "kg").describe("Weight")
    if change:
        direction = "above" if change > 0 else "below"
        compared = f"{shown}: {abs(change):.2f}".rstrip("0").rstrip(".") + (
            f"% {direction} the {weight_used_kg:g} kg the doses were calculated from")
    else:
        compared = f"{shown}: the weight the doses were calculated from"
    policy = f"(the institution's dose-recheck threshold is {threshold_percent:g}%)"
    if abs(change) <= threshold_percent:
        return ReadinessLine("weight", "ok", f"{compared} {policy}.", "D7")
    return ReadinessLine("weight", "not_ok", f"{compared}, more than {threshold_percent:g}% {policy}: the doses "
                         "need recalculating from the actual body weight (D7).", "D7")


def _not_started(first_dose_on: date | None, day: date) -> bool:
    return first_dose_on is None or first_dose_on >= day


def _s2_line(drug: str, current: Measurement) -> ReadinessLine | None:
    if current.value >= cat.LVEF_MIN_PERCENT:
        return None
    return ReadinessLine("lvef", "not_ok", f"{current.describe('LVEF')}, below {cat.LVEF_MIN_PERCENT}% before the "
                         f"first dose: {cat.DRUG_NAMES[drug]} is contraindicated (S2).", "S2", drug)


def lvef_m1_line(day: date, drug: str, lvef: Iterable[Measurement], first_dose_on: date | None,
                 lower_limit_of_normal: float) -> ReadinessLine:
    """M1: measured within the last 12 weeks, no withhold criterion met against the baseline, not withheld or
    stopped in the course of holds; S2 before the first dose."""
    lvef = tuple(lvef)
    course = lvef_course(lvef, first_dose_on, lower_limit_of_normal, as_of=day)
    current = latest(lvef, day)
    if course.status == "no_baseline" or current is None:
        return ReadinessLine("lvef", "not_ok", course.text, "S2, M1", drug)
    if _not_started(first_dose_on, day) and (line := _s2_line(drug, current)):
        return line
    if course.holds_plan:
        return ReadinessLine("lvef", "not_ok", course.text, "M1", drug)
    due = lvef_due(current.on)
    if day > due:
        return ReadinessLine("lvef", "not_ok", f"{current.describe('LVEF')}: more than {cat.LVEF_INTERVAL_WEEKS} "
                             f"weeks ago, an LVEF was due by {format_date(due)} (M1).", "M1", drug)
    return ReadinessLine("lvef", "ok", f"{course.text} Next LVEF due by {format_date(due)}.", "M1", drug)


def lvef_m3_line(day: date, drug: str, lvef: Iterable[Measurement], first_dose_on: date | None) -> ReadinessLine:
    """M3 (trastuzumab deruxtecan): LVEF before start (S2 applies), then "periodically" with no interval and no
    withhold criterion in the reference: the values are shown and the oncologist gives the go-ahead."""
    lvef = tuple(lvef)
    before_start = [m for m in lvef if first_dose_on is None or m.on <= first_dose_on]
    current = latest(lvef, day)
    if not before_start or current is None:
        return ReadinessLine("lvef", "not_ok", "No LVEF was measured before the first dose (M3, S2).", "M3, S2", drug)
    if _not_started(first_dose_on, day) and (line := _s2_line(drug, current)):
        return line
    baseline = min(before_start, key=lambda m: m.on)
    return ReadinessLine("lvef", "needs_oncologist", f"{current.describe('LVEF')} (first LVEF {baseline.value:g}% on "
                         f"{format_date(baseline.on)}). M3 asks for LVEF periodically with {cat.TDXD_NAME}; the "
                         "reference gives no interval and no withhold criterion, so the oncologist's go-ahead is "
                         "needed.", "M3", drug)


def liver_line(day: date, drug: str, liver: Mapping[str, Iterable[Measurement]]) -> ReadinessLine:
    """M2 (tucatinib: every 3 weeks) or M4 (lapatinib: no interval). No numeric limits exist in the reference, so
    results never make the line ok: they are shown with their dates for the oncologist's go-ahead."""
    ref = cat.LIVER_TEST_REFS[drug]
    results = {test: latest(liver.get(test, ()), day) for test in cat.LIVER_TESTS}
    shown = "; ".join(result.describe(cat.LIVER_TESTS[test]) if result else f"{cat.LIVER_TESTS[test]} not recorded"
                      for test, result in results.items())
    name = cat.DRUG_NAMES[drug]
    if drug == "tucatinib":
        window_start = day - timedelta(weeks=cat.TUCATINIB_LIVER_TEST_INTERVAL_WEEKS)
        stale = [cat.LIVER_TESTS[test] for test, result in results.items() if not result or result.on < window_start]
        if stale:
            return ReadinessLine("liver_tests", "not_ok", f"{shown}. M2 asks for ALT, AST and bilirubin before "
                                 f"starting {name} and every {cat.TUCATINIB_LIVER_TEST_INTERVAL_WEEKS} weeks: "
                                 f"{', '.join(stale)} not done since {format_date(window_start)}.", ref, drug)
        window = f"done within {cat.TUCATINIB_LIVER_TEST_INTERVAL_WEEKS} weeks (M2)"
    else:
        if not any(results.values()):
            return ReadinessLine("liver_tests", "not_ok", f"{shown}. M4 asks for liver tests with {name} (boxed "
                                 "warning: hepatotoxicity); none is recorded.", ref, drug)
        window = "M4 gives no interval for them"
    return ReadinessLine("liver_tests", "needs_oncologist", f"{shown} ({window}). The reference gives no numeric "
                         "limits: the oncologist's go-ahead is needed.", ref, drug)


def pregnancy_line(day: date, records: Iterable[PregnancyRecord]) -> ReadinessLine:
    """S10 for a female patient: a recorded status is needed; S1: pregnant or breastfeeding is a contraindication."""
    record = latest(records, day)
    if record is None or record.pregnant is None:
        return ReadinessLine("pregnancy", "not_ok", "Pregnancy status is not recorded: verify it before treatment "
                             "(S10).", "S10")
    recorded = f"recorded on {format_date(record.on)}"
    if record.pregnant or record.breastfeeding:
        state = "Pregnant" if record.pregnant else "Breastfeeding"
        return ReadinessLine("pregnancy", "not_ok", f"{state} ({recorded}): anti-HER2 therapy is contraindicated "
                             "(S1).", "S1")
    return ReadinessLine("pregnancy", "ok", f"Not pregnant ({recorded}).", "S10")
