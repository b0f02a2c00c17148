"""LVEF monitoring (M1): baseline, due date, the withhold criteria at their boundaries, and the course of holds."""

from datetime import date, timedelta

import pytest

from regimens.lvef import baseline_lvef, lvef_course, lvef_due, withhold_decision
from tests.regimens.helpers import lvef

LLN = 50  # an institution's lower limit of normal: a setting, chosen here for the tests
BASELINE_DAY = date(2026, 1, 5)
FIRST_DOSE = date(2026, 1, 12)


def weeks(n: float) -> timedelta:
    return timedelta(weeks=n)


BASELINE = lvef(BASELINE_DAY, 62)


def test_M1_baseline_is_the_first_lvef_before_the_first_dose():
    series = [lvef(date(2026, 2, 1), 55), lvef(date(2025, 12, 1), 64), BASELINE]
    assert baseline_lvef(series, FIRST_DOSE) == lvef(date(2025, 12, 1), 64)


def test_M1_an_lvef_on_the_day_of_the_first_dose_counts_as_before_it():
    assert baseline_lvef([lvef(FIRST_DOSE, 60)], FIRST_DOSE) == lvef(FIRST_DOSE, 60)


def test_M1_no_baseline_when_every_lvef_is_after_the_first_dose():
    assert baseline_lvef([lvef(FIRST_DOSE + timedelta(days=1), 60)], FIRST_DOSE) is None
    course = lvef_course([lvef(FIRST_DOSE + timedelta(days=1), 60)], FIRST_DOSE, LLN)
    assert course.status == "no_baseline" and course.holds_plan is False
    assert "baseline is needed" in course.text


def test_M1_before_any_dose_the_first_lvef_on_record_is_the_baseline():
    assert baseline_lvef([lvef(date(2026, 3, 1), 58), BASELINE], None) == BASELINE


def test_M1_lvef_due_12_weeks_after_the_last_measurement():
    assert lvef_due(date(2026, 1, 5)) == date(2026, 3, 30)


@pytest.mark.parametrize(
    "percent, withhold, criteria",
    [
        (46, True, ("drop",)),  # exactly 16 points, at the LLN
        (46.1, False, ()),  # 15.9 points: not yet
        (63, False, ()),  # a rise
    ],
)
def test_M1_withhold_at_exactly_16_points_drop(percent, withhold, criteria):
    decision = withhold_decision(lvef(BASELINE_DAY, 62), lvef(date(2026, 4, 1), percent), lower_limit_of_normal=45)
    assert (decision.withhold, decision.criteria, decision.ref) == (withhold, criteria, "M1")


@pytest.mark.parametrize(
    "baseline, percent, withhold",
    [
        (59, 49, True),  # below the LLN, exactly 10 points
        (58.9, 49, False),  # below the LLN, 9.9 points
        (60, 50, False),  # 10 points but AT the LLN, not below it
        (55, 49, False),  # below the LLN, only 6 points
    ],
)
def test_M1_withhold_below_lln_with_exactly_10_points_drop(baseline, percent, withhold):
    decision = withhold_decision(lvef(BASELINE_DAY, baseline), lvef(date(2026, 4, 1), percent), LLN)
    assert decision.withhold is withhold
    assert decision.criteria == (("below_lln",) if withhold else ())


def test_M1_both_criteria_are_named_and_the_recheck_is_due_in_4_weeks():
    decision = withhold_decision(BASELINE, lvef(date(2026, 4, 1), 44), LLN)
    assert decision.criteria == ("drop", "below_lln")
    assert decision.recheck_due == date(2026, 4, 29)
    assert decision.drop_points == 18
    assert "withhold trastuzumab" in decision.text and "recheck LVEF by 29 Apr 2026" in decision.text


def test_M1_no_recheck_when_nothing_is_withheld():
    decision = withhold_decision(BASELINE, lvef(date(2026, 4, 1), 60), LLN)
    assert decision.recheck_due is None and "no withhold criterion met" in decision.text


def test_M1_lower_limit_of_normal_outside_the_lvef_range_is_refused():
    with pytest.raises(ValueError, match="lower limit of normal"):
        withhold_decision(BASELINE, lvef(date(2026, 4, 1), 60), 120)


HOLD = date(2026, 4, 1)  # the first withhold measurement in the course tests


def course_of(*later: tuple[timedelta, float], as_of: date | None = None):
    """The course from BASELINE (62%) and LVEFs measured `offset` after HOLD."""
    series = [BASELINE] + [lvef(HOLD + offset, percent) for offset, percent in later]
    return lvef_course(series, FIRST_DOSE, LLN, as_of=as_of)


def test_M1_a_withhold_measurement_starts_a_hold_with_a_recheck_in_4_weeks():
    course = course_of((timedelta(0), 44))
    assert (course.status, course.holds, course.hold_started_on) == ("withhold", 1, HOLD)
    assert course.recheck_due == HOLD + weeks(4)
    assert course.holds_plan


def test_M1_recovery_at_the_4_week_recheck_resumes():
    course = course_of((timedelta(0), 44), (weeks(4), 55))
    assert (course.status, course.resume_from, course.holds_plan) == ("resume", HOLD + weeks(4), False)
    assert "may resume" in course.text


def test_M1_recovery_at_exactly_8_weeks_still_resumes():
    course = course_of((timedelta(0), 44), (weeks(4), 45), (weeks(8), 55))
    assert course.status == "resume"


def test_M1_still_withheld_at_4_weeks_rechecks_at_8_weeks():
    course = course_of((timedelta(0), 44), (weeks(4), 45))
    assert (course.status, course.recheck_due) == ("withhold", HOLD + weeks(8))


def test_M1_recovery_shown_before_the_4_week_recheck_does_not_end_the_hold():
    course = course_of((timedelta(0), 44), (weeks(2), 60))
    assert course.status == "withhold" and course.recheck_due == HOLD + weeks(4)
    assert course.steps[-1].outcome == "recovered_before_recheck"


def test_M1_decline_lasting_more_than_8_weeks_stops_permanently():
    course = course_of((timedelta(0), 44), (weeks(4), 45), (weeks(8) + timedelta(days=1), 58))
    assert course.status == "stop" and course.holds_plan
    assert "stop trastuzumab permanently" in course.text
    assert course.next_due is None


def test_M1_a_hold_open_more_than_8_weeks_on_the_day_is_a_stop():
    assert course_of((timedelta(0), 44), as_of=HOLD + weeks(8)).status == "withhold"
    assert course_of((timedelta(0), 44), as_of=HOLD + weeks(8) + timedelta(days=1)).status == "stop"


def test_M1_three_holds_are_allowed_the_fourth_stops_permanently():
    three = [(timedelta(0), 44), (weeks(4), 55), (weeks(10), 44), (weeks(14), 55), (weeks(20), 44), (weeks(24), 55)]
    course = course_of(*three)
    assert (course.status, course.holds) == ("resume", 3)
    course = course_of(*three, (weeks(30), 44))
    assert (course.status, course.holds) == ("stop", 4)
    assert "more than 3 holds" in course.text


def test_M1_measurements_after_a_stop_do_not_restart_treatment():
    course = course_of((timedelta(0), 44), (weeks(9), 60), (weeks(12), 62))
    assert course.status == "stop"
    assert [step.outcome for step in course.steps] == ["hold_started", "stop"]


def test_M1_after_a_resume_a_normal_lvef_is_plain_continue():
    course = course_of((timedelta(0), 44), (weeks(4), 55), (weeks(16), 58))
    assert (course.status, course.resume_from, course.holds) == ("continue", None, 1)
    assert course.next_due == HOLD + weeks(16) + weeks(12)


def test_M1_as_of_ignores_later_measurements():
    course = course_of((timedelta(0), 44), (weeks(4), 55), as_of=HOLD + weeks(1))
    assert course.status == "withhold"
