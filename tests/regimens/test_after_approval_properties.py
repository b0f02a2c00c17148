"""Properties of the after-approval rules over generated histories and values (hypothesis, bounded counts)."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regimens import catalogue as cat
from regimens.lvef import lvef_course, withhold_decision
from regimens.measurements import Measurement
from regimens.readiness import weight_line
from regimens.reductions import check_reduction, next_dose_level
from regimens.reflow import Administration, reflow
from tests.regimens.helpers import option, run

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
START = date(2026, 3, 2)
RESULT = run()
REGIMENS = ("tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab", "trastuzumab-deruxtecan")
INTERVALS = {"tucatinib-trastuzumab": {"trastuzumab": 21}, "pertuzumab-trastuzumab": {"trastuzumab": 21,
             "pertuzumab": 21}, "lapatinib-trastuzumab": {"trastuzumab": 7},
             "trastuzumab-deruxtecan": {"trastuzumab_deruxtecan": 21}}


def give_history(opt: dict, delays: list[int]) -> list[Administration]:
    """Give the next pending administration `delay` days after its re-flowed date, one delay at a time."""
    history: list[Administration] = []
    as_of = START
    for delay in delays:
        dose = reflow(opt, START, history, as_of, cycles_ahead=1).upcoming[0]
        on = dose.date + timedelta(days=delay)
        history.append(Administration(dose.drug, dose.cycle, dose.day, "given", on))
        as_of = on
    return history


@SETTINGS
@given(st.sampled_from(REGIMENS), st.lists(st.integers(0, 15), max_size=8), st.integers(0, 40), st.integers(1, 3))
def test_D8_reflow_never_schedules_a_drug_earlier_than_its_interval(regimen, delays, wait, cycles_ahead):
    opt = option(RESULT, regimen)
    history = give_history(opt, delays)
    as_of = max((record.on for record in history), default=START) + timedelta(days=wait)
    flow = reflow(opt, START, history, as_of, weight_kg=70, cycles_ahead=cycles_ahead)
    for drug, interval in INTERVALS[regimen].items():
        dates = sorted(record.on for record in history if record.drug == drug)[-1:]
        dates += [dose.date for dose in flow.upcoming if dose.drug == drug]
        gaps = [(later - earlier).days for earlier, later in zip(dates, dates[1:])]
        assert all(gap >= interval for gap in gaps), f"{drug} doses {gaps} days apart"
    assert all(dose.date >= as_of for dose in flow.upcoming), "nothing upcoming is dated in the past"
    positions = [(dose.cycle, dose.day) for dose in sorted(flow.upcoming, key=lambda dose: dose.date)]
    assert positions == sorted(positions), "cycle numbers and days follow the dates"
    starts = [start.day1 for start in flow.cycles]
    assert all((later - earlier).days >= opt["cycle_days"] for earlier, later in zip(starts, starts[1:]))
    assert all(dose.needs_confirmation == (dose.give_phase != dose.phase) for dose in flow.upcoming), (
        "only a re-load differs from the plan's line, and it always needs the oncologist")


@SETTINGS
@given(st.sampled_from(tuple(cat.DOSE_LADDERS)), st.data())
def test_D2_D5_reductions_never_go_up(drug, data):
    levels = cat.DOSE_LADDERS[drug][0]
    current = data.draw(st.sampled_from(levels))
    step = next_dose_level(drug, current)
    assert step.action in ("reduce", "discontinue")
    if step.action == "reduce":
        assert step.next_level < current and step.next_level in levels
    higher = data.draw(st.floats(current, current * 2, exclude_min=True))
    try:
        check_reduction(drug, [current], higher)
    except ValueError:
        pass
    else:
        raise AssertionError(f"{drug}: {higher} accepted above {current}")


weights = st.floats(20, 350, allow_nan=False)


@SETTINGS
@given(weights, st.floats(0, 60, allow_nan=False), st.floats(1, 30, allow_nan=False))
def test_weight_check_is_the_same_above_and_below_the_dosing_weight(used, change_kg, threshold):
    day = date(2026, 5, 4)
    heavier = weight_line(day, [Measurement(day, used + change_kg, "kg")], used, threshold)
    lighter = weight_line(day, [Measurement(day, used - change_kg, "kg")], used, threshold)
    assert heavier.status == lighter.status


lvef_values = st.floats(5, 90, allow_nan=False)


@SETTINGS
@given(lvef_values, lvef_values, lvef_values, st.floats(40, 60, allow_nan=False))
def test_M1_a_lower_lvef_never_lifts_a_withhold(baseline, measured, lower, lln):
    lower = min(lower, measured)
    first = Measurement(date(2026, 1, 5), baseline)
    if withhold_decision(first, Measurement(date(2026, 4, 1), measured), lln).withhold:
        assert withhold_decision(first, Measurement(date(2026, 4, 1), lower), lln).withhold


@SETTINGS
@given(st.lists(st.tuples(st.integers(1, 60), lvef_values), min_size=1, max_size=12), st.integers(0, 60))
def test_M1_at_most_4_holds_and_a_stop_is_final(steps, extra_days):
    day, series = date(2026, 1, 5), [Measurement(date(2026, 1, 5), 62)]
    for gap, value in steps:
        day += timedelta(days=gap)
        series.append(Measurement(day, value))
    course = lvef_course(series, date(2026, 1, 6), 50)
    assert course.holds <= cat.LVEF_MAX_HOLDS + 1
    if course.status == "stop":
        later = series + [Measurement(day + timedelta(days=extra_days + 1), 62)]
        assert lvef_course(later, date(2026, 1, 6), 50).status == "stop"
