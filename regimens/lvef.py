"""LVEF monitoring during trastuzumab therapy (M1), from a dated series of LVEF measurements.

- The baseline is the first LVEF measured before the first dose of the trastuzumab family (S2 asks for it).
- An LVEF is due 12 weeks after the last one.
- Withhold for a drop of >= 16 points from baseline, or for an LVEF below the institutional lower limit of
  normal (LLN, a setting passed in) with a drop of >= 10 points; recheck in 4 weeks.
- The course of holds: resume when the LVEF recovers within 4-8 weeks of the hold; stop permanently when the
  decline lasts more than 8 weeks or at the 4th hold ("more than 3 holds").

"Recovers" is not defined by the reference; the reading used here (no longer meeting a withhold criterion,
measured 4 to 8 weeks after the hold began) is for the clinical owner to confirm (see NOTES.md).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from regimens import catalogue as cat
from regimens.measurements import Measurement, format_date, in_date_order

CRITERION_TEXT = {
    "drop": f"a drop of {cat.LVEF_WITHHOLD_DROP_POINTS} points or more from baseline",
    "below_lln": "below the institutional lower limit of normal with a drop of "
    f"{cat.LVEF_WITHHOLD_BELOW_LLN_DROP_POINTS} points or more",
}
_RECHECK = timedelta(weeks=cat.LVEF_RECHECK_WEEKS)
_RECOVERY_FROM, _RECOVERY_UNTIL = (timedelta(weeks=weeks) for weeks in cat.LVEF_RECOVERY_WINDOW_WEEKS)


@dataclass(frozen=True)
class WithholdDecision:
    """One measurement judged against the baseline (M1)."""

    withhold: bool
    criteria: tuple[str, ...]  # drop | below_lln (the M1 criteria met; empty when none)
    drop_points: float  # baseline minus this measurement: positive is a decrease
    measurement: Measurement
    baseline: Measurement
    recheck_due: date | None  # 4 weeks after the measurement, when withheld
    text: str
    ref: str = "M1"


@dataclass(frozen=True)
class CourseStep:
    """What one measurement after the baseline meant in the course of holds."""

    decision: WithholdDecision
    outcome: str  # continue | hold_started | still_withheld | recovered | recovered_before_recheck | stop
    text: str


@dataclass(frozen=True)
class LvefCourse:
    """Where the patient stands under M1 on `as_of`."""

    status: str  # no_baseline | continue | withhold | resume | stop
    baseline: Measurement | None
    holds: int  # M1 holds so far (each one counts as a hold for cardiomyopathy)
    hold_started_on: date | None  # the current hold's first measurement
    recheck_due: date | None  # while withheld
    resume_from: date | None  # status resume: the date the oncologist may resume trastuzumab from
    next_due: date | None  # 12 weeks after the latest measurement
    text: str
    steps: tuple[CourseStep, ...]
    ref: str = "M1"

    @property
    def holds_plan(self) -> bool:
        """True when trastuzumab must not be given: withheld, or stopped permanently."""
        return self.status in ("withhold", "stop")


def baseline_lvef(series: Iterable[Measurement], first_dose_on: date | None) -> Measurement | None:
    """The first LVEF measured before the first trastuzumab-family dose; one measured on the day of the first
    dose counts (dates carry no time). Before any dose is given, the first LVEF on record."""
    earlier = [m for m in in_date_order(series) if first_dose_on is None or m.on <= first_dose_on]
    return earlier[0] if earlier else None


def lvef_due(last_measured_on: date) -> date:
    """M1: the next LVEF is due 12 weeks after the last one."""
    return last_measured_on + timedelta(weeks=cat.LVEF_INTERVAL_WEEKS)


def _check_lln(lower_limit_of_normal: float) -> None:
    limit = cat.INPUT_LIMITS["lvef_percent"]
    if not limit.low <= lower_limit_of_normal <= limit.high:
        raise ValueError(f"the LVEF lower limit of normal must be between {limit.low:g} and {limit.high:g}%")


def withhold_decision(baseline: Measurement, measurement: Measurement, lower_limit_of_normal: float) -> WithholdDecision:
    """M1: withhold trastuzumab for >= 16 points absolute decrease from baseline, or LVEF below the institutional
    lower limit of normal with >= 10 points decrease; the recheck is due 4 weeks after the measurement."""
    _check_lln(lower_limit_of_normal)
    drop = round(baseline.value - measurement.value, cat.FLOAT_NOISE_DIGITS)
    criteria = []
    if drop >= cat.LVEF_WITHHOLD_DROP_POINTS:
        criteria.append("drop")
    if measurement.value < lower_limit_of_normal and drop >= cat.LVEF_WITHHOLD_BELOW_LLN_DROP_POINTS:
        criteria.append("below_lln")
    compared = (
        f"{measurement.describe('LVEF')}, baseline {baseline.value:g}% on {format_date(baseline.on)} "
        f"({_change_words(drop)}; lower limit of normal {lower_limit_of_normal:g}%)"
    )
    if not criteria:
        return WithholdDecision(False, (), drop, measurement, baseline, None, f"{compared}: no withhold criterion met.")
    recheck = measurement.on + _RECHECK
    met = " and ".join(CRITERION_TEXT[code] for code in criteria)
    text = f"{compared}: withhold trastuzumab ({met}); recheck LVEF by {format_date(recheck)}."
    return WithholdDecision(True, tuple(criteria), drop, measurement, baseline, recheck, text)


def _change_words(drop: float) -> str:
    if drop > 0:
        return f"{drop:g} points lower"
    if drop < 0:
        return f"{-drop:g} points higher"
    return "unchanged"


def lvef_course(
    series: Iterable[Measurement], first_dose_on: date | None, lower_limit_of_normal: float, as_of: date | None = None
) -> LvefCourse:
    """M1's course of holds from every LVEF after the baseline, in date order, as it stands on `as_of`
    (default: the latest measurement's date; a hold older than 8 weeks on `as_of` with no recovery is a stop)."""
    _check_lln(lower_limit_of_normal)
    measurements = in_date_order(series)
    if as_of is not None:
        measurements = [m for m in measurements if m.on <= as_of]
    baseline = baseline_lvef(measurements, first_dose_on)
    if baseline is None:
        return LvefCourse("no_baseline", None, 0, None, None, None, None,
                          "No LVEF was measured before the first dose: a baseline is needed (S2, M1).", (), "S2")
    later = measurements[measurements.index(baseline) + 1:]
    course = _Course(baseline)
    for measurement in later:
        if course.stopped:
            break
        course.add(withhold_decision(baseline, measurement, lower_limit_of_normal))
    if as_of is not None:
        course.close(as_of)
    return course.result(lvef_due(measurements[-1].on))


class _Course:
    """The running state while the measurements are read in order."""

    def __init__(self, baseline: Measurement):
        self.baseline = baseline
        self.holds = 0
        self.hold_started_on: date | None = None
        self.last_in_hold: date | None = None
        self.resume_from: date | None = None
        self.stopped = False
        self.steps: list[CourseStep] = []
        self.text = f"Baseline LVEF {baseline.value:g}% on {format_date(baseline.on)}; no withhold criterion met."

    def add(self, decision: WithholdDecision) -> None:
        if self.hold_started_on is None:
            self._while_treated(decision)
        else:
            self._while_withheld(decision)

    def _step(self, decision: WithholdDecision, outcome: str, text: str) -> None:
        self.steps.append(CourseStep(decision, outcome, text))
        self.text = text

    def _while_treated(self, decision: WithholdDecision) -> None:
        self.resume_from = None
        if not decision.withhold:
            self._step(decision, "continue", decision.text)
            return
        self.holds += 1
        if self.holds > cat.LVEF_MAX_HOLDS:
            self.stopped = True
            self._step(decision, "stop", f"{decision.text} This is hold number {self.holds}: stop trastuzumab "
                       f"permanently (M1: more than {cat.LVEF_MAX_HOLDS} holds for cardiomyopathy).")
            return
        self.hold_started_on = self.last_in_hold = decision.measurement.on
        self._step(decision, "hold_started", f"{decision.text} Hold number {self.holds}.")

    def _while_withheld(self, decision: WithholdDecision) -> None:
        measured_on = decision.measurement.on
        weeks_in = measured_on - self.hold_started_on
        if weeks_in > _RECOVERY_UNTIL:
            self._stop_for_decline(decision)
        elif decision.withhold:
            self.last_in_hold = measured_on
            self._step(decision, "still_withheld", f"{decision.text} Still withheld (hold began "
                       f"{format_date(self.hold_started_on)}).")
        elif weeks_in < _RECOVERY_FROM:
            self._step(decision, "recovered_before_recheck", f"{decision.text} Measured before the "
                       f"{cat.LVEF_RECHECK_WEEKS}-week recheck: the hold lasts until a recheck from "
                       f"{format_date(self.hold_started_on + _RECOVERY_FROM)} shows recovery.")
        else:
            self.resume_from = measured_on
            self.hold_started_on = self.last_in_hold = None
            self._step(decision, "recovered", f"{decision.text} Recovered within "
                       f"{'-'.join(map(str, cat.LVEF_RECOVERY_WINDOW_WEEKS))} weeks of the hold: trastuzumab may "
                       f"resume from {format_date(measured_on)} (oncologist's decision).")

    def _stop_for_decline(self, decision: WithholdDecision | None) -> None:
        self.stopped = True
        text = (f"No LVEF showed recovery within {cat.LVEF_RECOVERY_WINDOW_WEEKS[1]} weeks of the hold that began "
                f"{format_date(self.hold_started_on)}: stop trastuzumab permanently (M1: decline lasting more than "
                f"{cat.LVEF_RECOVERY_WINDOW_WEEKS[1]} weeks).")
        if decision is None:
            self.text = text
        else:
            self._step(decision, "stop", f"{decision.text} {text}")

    def close(self, as_of: date) -> None:
        """A hold still open more than 8 weeks after it began, on `as_of`, is a decline lasting > 8 weeks."""
        if not self.stopped and self.hold_started_on is not None and as_of - self.hold_started_on > _RECOVERY_UNTIL:
            self._stop_for_decline(None)

    def _recheck_due(self) -> date | None:
        if self.hold_started_on is None:
            return None
        first = self.hold_started_on + _RECOVERY_FROM
        return min(max(first, self.last_in_hold + _RECHECK), self.hold_started_on + _RECOVERY_UNTIL)

    def _status(self) -> str:
        if self.stopped:
            return "stop"
        if self.hold_started_on is not None:
            return "withhold"
        return "resume" if self.resume_from is not None else "continue"

    def result(self, next_due: date) -> LvefCourse:
        status = self._status()
        return LvefCourse(
            status=status,
            baseline=self.baseline,
            holds=self.holds,
            hold_started_on=self.hold_started_on if status == "withhold" else None,
            recheck_due=self._recheck_due() if status == "withhold" else None,
            resume_from=self.resume_from,
            next_due=None if status == "stop" else next_due,
            text=self.text,
            steps=tuple(self.steps),
        )
