"""The schedule that follows what was really given (D8, with the cycles of D1, D3, D4 and D5)."""

from datetime import date

import pytest

from regimens.reflow import Administration, reflow
from tests.regimens.helpers import days, option, run

START = date(2026, 3, 2)  # cycle 1 day 1 as planned (a Monday)
RESULT = run()  # 70 kg, refractory, RAS wild-type, IHC 3+
TUCATINIB = option(RESULT, "tucatinib-trastuzumab")
PERTUZUMAB = option(RESULT, "pertuzumab-trastuzumab")
LAPATINIB = option(RESULT, "lapatinib-trastuzumab")
DERUXTECAN = option(RESULT, "trastuzumab-deruxtecan")


def given(drug: str, cycle: int, day: int, on: date) -> Administration:
    return Administration(drug, cycle, day, "given", on)


def tucatinib_cycles(*day1s: date) -> list[Administration]:
    """Cycles of tucatinib-trastuzumab given in full on these day-1 dates."""
    return [record for cycle, on in enumerate(day1s, start=1)
            for record in (given("trastuzumab", cycle, 1, on), given("tucatinib", cycle, 1, on))]


def upcoming(flow, drug: str) -> list:
    return [dose for dose in flow.upcoming if dose.drug == drug]


def test_D1_nothing_given_yet_is_the_plan_from_its_start():
    flow = reflow(TUCATINIB, START, [], as_of=START - days(3), weight_kg=70)
    assert [(d.date, d.cycle, d.day, d.drug, d.phase) for d in flow.upcoming] == [
        (START, 1, 1, "tucatinib", "continuous"), (START, 1, 1, "trastuzumab", "loading"),
        (START + days(21), 2, 1, "tucatinib", "continuous"), (START + days(21), 2, 1, "trastuzumab", "maintenance"),
    ]
    assert all(not d.needs_confirmation and d.note is None for d in flow.upcoming)


def test_D1_cycles_given_on_time_continue_every_21_days():
    flow = reflow(TUCATINIB, START, tucatinib_cycles(START, START + days(21)), as_of=START + days(30), weight_kg=70)
    assert [(c.cycle, c.day1, c.started, c.delay_days) for c in flow.cycles] == [
        (1, START, True, 0), (2, START + days(21), True, 0), (3, START + days(42), False, 0),
        (4, START + days(63), False, 0),
    ]
    assert [(d.cycle, d.give_phase, d.give_mg) for d in upcoming(flow, "trastuzumab")] == [
        (3, "maintenance", 420.0), (4, "maintenance", 420.0)]


@pytest.mark.parametrize("late, give_phase, give_mg, confirm", [
    (7, "maintenance", 420.0, False),  # exactly 1 week late: maintenance as soon as possible
    (8, "loading", 560.0, True),  # 8 days late: re-load 8 mg/kg, proposed for the oncologist
])
def test_D8_trastuzumab_3_weekly_exactly_7_and_8_days_late(late, give_phase, give_mg, confirm):
    history = tucatinib_cycles(START, START + days(21))
    delayed = Administration("trastuzumab", 3, 1, "delayed", START + days(42), delayed_until=START + days(42 + late))
    flow = reflow(TUCATINIB, START, history + [delayed], as_of=START + days(42), weight_kg=70)
    dose = upcoming(flow, "trastuzumab")[0]
    assert (dose.cycle, dose.day, dose.date, dose.days_late) == (3, 1, START + days(42 + late), late)
    assert (dose.phase, dose.planned_mg) == ("maintenance", 420.0), "the plan's line is kept beside the proposal"
    assert (dose.give_phase, dose.give_mg, dose.needs_confirmation, dose.ref) == (give_phase, give_mg, confirm, "D8")


def test_D8_after_a_reload_the_next_dose_is_maintenance_21_days_later():
    history = tucatinib_cycles(START, START + days(21))
    flow = reflow(TUCATINIB, START, history, as_of=START + days(51), weight_kg=70)
    reload, following = upcoming(flow, "trastuzumab")
    assert reload.needs_confirmation and reload.give_phase == "loading"
    assert (following.date, following.cycle, following.give_phase, following.needs_confirmation) == (
        reload.date + days(21), 4, "maintenance", False)


def test_D8_reload_without_a_weight_leaves_the_mg_to_the_oncologist():
    flow = reflow(TUCATINIB, START, tucatinib_cycles(START), as_of=START + days(30))
    dose = upcoming(flow, "trastuzumab")[0]
    assert dose.needs_confirmation and dose.give_mg is None


def test_D1_a_delayed_cycle_moves_its_day_1_and_the_tablets_start_then():
    """The browser journey's case: cycle 3 delayed 9 days. Cycle 3's day 1 is the new date, its tucatinib supply
    starts then, cycle 4 follows 21 days later, and the days without tablets are reported."""
    history = tucatinib_cycles(START, START + days(21))
    new_day1 = START + days(51)
    delayed = Administration("trastuzumab", 3, 1, "delayed", START + days(42), delayed_until=new_day1)
    flow = reflow(TUCATINIB, START, history + [delayed], as_of=START + days(42), weight_kg=70)
    assert [(c.cycle, c.day1, c.delay_days) for c in flow.cycles][2:] == [(3, new_day1, 9), (4, new_day1 + days(21), 0)]
    tablets = upcoming(flow, "tucatinib")
    assert [(d.cycle, d.date, d.last_date) for d in tablets] == [
        (3, new_day1, new_day1 + days(20)), (4, new_day1 + days(21), new_day1 + days(41))]
    assert tablets[0].ref == "D1" and "starts 9 days late" in tablets[0].note
    assert tablets[0].days_late == 0 and tablets[0].shift_days == 9
    (gap,) = flow.supply_gaps
    assert (gap.after_cycle, gap.first_day, gap.last_day, gap.days) == (2, START + days(42), new_day1 - days(1), 9)
    assert "the oncologist decides" in gap.text


def test_D8_a_dose_whose_date_has_passed_is_due_today():
    today = START + days(25)
    flow = reflow(TUCATINIB, START, tucatinib_cycles(START), as_of=today, weight_kg=70)
    assert flow.cycles[1].day1 == today and flow.cycles[1].started is False
    assert upcoming(flow, "trastuzumab")[0].date == today


def test_D1_a_held_tucatinib_supply_is_not_made_up():
    history = tucatinib_cycles(START) + [given("trastuzumab", 2, 1, START + days(21)),
                                         Administration("tucatinib", 2, 1, "held", START + days(21))]
    flow = reflow(TUCATINIB, START, history, as_of=START + days(22), weight_kg=70)
    assert [d.cycle for d in upcoming(flow, "tucatinib")] == [3, 4]
    (passed,) = flow.passed_over
    assert (passed.drug, passed.cycle) == ("tucatinib", 2) and "not made up (D1)" in passed.why


def test_D1_a_delayed_tucatinib_supply_is_dropped_once_its_cycle_has_ended():
    history = tucatinib_cycles(START) + [given("trastuzumab", 2, 1, START + days(21)),
                                         Administration("tucatinib", 2, 1, "delayed", START + days(21))]
    within = reflow(TUCATINIB, START, history, as_of=START + days(30), weight_kg=70)
    assert upcoming(within, "tucatinib")[0].cycle == 2 and upcoming(within, "tucatinib")[0].date == START + days(30)
    after = reflow(TUCATINIB, START, history, as_of=START + days(42), weight_kg=70)
    assert [d.cycle for d in upcoming(after, "tucatinib")] == [3, 4], "cycle 2's supply is not made up"
    assert after.passed_over[0].cycle == 2


def _infusions_only(*day1s: date) -> list[Administration]:
    """Cycles whose trastuzumab was given on these day-1 dates, with no tucatinib supply recorded."""
    return [given("trastuzumab", cycle, 1, on) for cycle, on in enumerate(day1s, start=1)]


@pytest.mark.parametrize("as_of", [START - days(2), START + days(30), START + days(44)])
def test_D1_supplies_not_recorded_do_not_narrow_the_window_of_infusions(as_of):
    """Whether the nurse recorded the tablets of a started cycle does not change which infusions are listed."""
    day1s = (START, START + days(21))
    recorded = reflow(TUCATINIB, START, tucatinib_cycles(*day1s), as_of=as_of, weight_kg=70)
    unrecorded = reflow(TUCATINIB, START, _infusions_only(*day1s), as_of=as_of, weight_kg=70)
    infusions = [(d.cycle, d.date) for d in upcoming(unrecorded, "trastuzumab")]
    assert [d.cycle for d in upcoming(unrecorded, "trastuzumab")] == [3, 4]
    assert infusions == [(d.cycle, d.date) for d in upcoming(recorded, "trastuzumab")]


def test_D1_a_past_cycles_supply_not_recorded_is_reported_neither_given_nor_passed_over():
    flow = reflow(TUCATINIB, START, _infusions_only(START, START + days(21)), as_of=START + days(44), weight_kg=70)
    assert [(s.drug, s.cycle, s.first_day, s.last_day) for s in flow.supplies_not_recorded] == [
        ("tucatinib", 1, START, START + days(20)), ("tucatinib", 2, START + days(21), START + days(41))]
    assert "supply not recorded" in flow.supplies_not_recorded[0].text
    assert flow.passed_over == () and [d.cycle for d in upcoming(flow, "tucatinib")] == [3, 4]
    assert flow.cycles[2].day1 == START + days(44), "cycle 3 still follows the infusions given"


def test_D1_the_current_cycles_supply_not_recorded_stays_due_within_its_cycle():
    today = START + days(30)
    flow = reflow(TUCATINIB, START, _infusions_only(START, START + days(21)), as_of=today, weight_kg=70)
    assert [s.cycle for s in flow.supplies_not_recorded] == [1]
    assert [(d.cycle, d.date) for d in upcoming(flow, "tucatinib")] == [
        (2, today), (3, START + days(42)), (4, START + days(63))]


@pytest.mark.parametrize("since, action, give_mg", [
    (41, "maintenance", 420.0),  # 41 days since the last dose: 420 mg
    (42, "loading", 840.0),  # 6 weeks: re-load 840 mg
])
def test_D8_pertuzumab_reload_at_exactly_6_weeks(since, action, give_mg):
    history = [given("pertuzumab", 1, 1, START), given("trastuzumab", 1, 1, START)]
    flow = reflow(PERTUZUMAB, START, history, as_of=START + days(since), weight_kg=70)
    dose = upcoming(flow, "pertuzumab")[0]
    assert (dose.give_phase, dose.give_mg, dose.ref) == (action, give_mg, "D8")
    assert dose.needs_confirmation is (action == "loading")


def test_D8_trastuzumab_deruxtecan_delayed_dose_given_asap_and_the_schedule_moves():
    history = [given("trastuzumab_deruxtecan", 1, 1, START)]
    today = START + days(30)
    flow = reflow(DERUXTECAN, START, history, as_of=today, weight_kg=70)
    first, second = flow.upcoming
    assert (first.date, first.cycle, first.give_phase, first.give_mg, first.needs_confirmation) == (
        today, 2, "maintenance", 378.0, False)
    assert first.days_late == 9 and "as soon as possible" in first.note and first.ref == "D8"
    assert (second.date, second.cycle) == (today + days(21), 3), "3 weeks between doses"


def test_D8_trastuzumab_deruxtecan_keeps_a_reduced_dose_level():
    reduced = {**DERUXTECAN, "doses": [{**DERUXTECAN["doses"][0], "mg_per_kg": 4.4, "dose_mg": 308.0}]}
    flow = reflow(reduced, START, [given("trastuzumab_deruxtecan", 1, 1, START)], as_of=START + days(30),
                  weight_kg=70)
    assert flow.upcoming[0].give_mg == 308.0 and "4.4 mg/kg" in flow.upcoming[0].note


@pytest.mark.parametrize("late, give_phase, give_mg", [(7, "maintenance", 140.0), (8, "loading", 280.0)])
def test_D8_weekly_trastuzumab_exactly_7_and_8_days_late(late, give_phase, give_mg):
    history = [given("trastuzumab", 1, 1, START), given("lapatinib", 1, 1, START)]
    flow = reflow(LAPATINIB, START, history, as_of=START + days(7 + late), weight_kg=70)
    dose = upcoming(flow, "trastuzumab")[0]
    assert (dose.cycle, dose.day, dose.days_late, dose.give_phase, dose.give_mg) == (1, 8, late, give_phase, give_mg)


def test_D4_a_late_weekly_dose_keeps_7_days_to_the_next_and_delays_the_next_cycle():
    history = [given("trastuzumab", 1, 1, START), given("lapatinib", 1, 1, START),
               given("trastuzumab", 1, 8, START + days(10))]  # day 8 given 3 days late
    flow = reflow(LAPATINIB, START, history, as_of=START + days(11), weight_kg=70)
    dates = [(d.cycle, d.day, d.date) for d in upcoming(flow, "trastuzumab")]
    assert dates[:2] == [(1, 15, START + days(17)), (2, 1, START + days(24))]
    assert flow.cycles[1].delay_days == 3
    assert upcoming(flow, "lapatinib")[0].date == START + days(24), "cycle 2's lapatinib starts with cycle 2"
    assert upcoming(flow, "lapatinib")[0].ref is None, "D1's not-made-up rule is tucatinib's, not lapatinib's"


def test_D3_a_late_pertuzumab_delays_the_next_cycle_for_both_drugs():
    history = [given("pertuzumab", 1, 1, START + days(2)), given("trastuzumab", 1, 1, START)]
    flow = reflow(PERTUZUMAB, START, history, as_of=START, weight_kg=70)
    assert flow.cycles[0].day1 == START, "day 1 is the infusion given first"
    assert flow.cycles[1].day1 == START + days(23), "no pertuzumab dose earlier than 3 weeks after the last"
    trastuzumab = upcoming(flow, "trastuzumab")[0]
    assert trastuzumab.days_late == 2 and trastuzumab.note is not None and not trastuzumab.needs_confirmation


def test_D8_a_later_given_dose_passes_over_an_earlier_one_never_given():
    history = [given("trastuzumab_deruxtecan", 1, 1, START), given("trastuzumab_deruxtecan", 3, 1, START + days(45))]
    flow = reflow(DERUXTECAN, START, history, as_of=START + days(46), weight_kg=70)
    assert [(p.cycle, p.why) for p in flow.passed_over] == [(2, "a later dose was given")]
    assert [(d.cycle, d.date) for d in flow.upcoming] == [(4, START + days(66)), (5, START + days(87))]


def test_reflow_events_keep_the_build_schedule_shape():
    event = reflow(TUCATINIB, START, [], as_of=START).events()[0]
    assert {"date", "cycle", "day", "drug", "dose_mg", "phase", "route", "frequency"} <= set(event)
    assert {"planned_date", "give_phase", "give_mg", "needs_confirmation", "note", "ref", "last_date"} <= set(event)


def test_reflow_refuses_a_record_that_is_not_in_the_plan():
    with pytest.raises(ValueError, match="not planned on cycle 1 day 8"):
        reflow(TUCATINIB, START, [given("trastuzumab", 1, 8, START)], as_of=START)
    with pytest.raises(ValueError, match="status"):
        reflow(TUCATINIB, START, [Administration("trastuzumab", 1, 1, "skipped", START)], as_of=START)
    with pytest.raises(ValueError, match="date it was given"):
        reflow(TUCATINIB, START, [Administration("trastuzumab", 1, 1, "given")], as_of=START)
    with pytest.raises(ValueError, match="cycles_ahead"):
        reflow(TUCATINIB, START, [], as_of=START, cycles_ahead=0)


def test_reflow_of_the_clinical_trial_is_empty():
    assert reflow(option(RESULT, "clinical-trial"), START, [], as_of=START).upcoming == ()
