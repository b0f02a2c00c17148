"""Cycle calendar (D1, D3, D4) and the missed-dose rule D8."""

import json
from datetime import date

import pytest

from regimens.schedule import build_schedule, cycle_date, day1_of, missed_dose, planned_date
from tests.regimens.helpers import option, run

START = date(2026, 12, 1)


def rows(events: list[dict], drug: str) -> list[tuple]:
    return [(e["cycle"], e["day"], e["phase"], e["dose_mg"]) for e in events if e["drug"] == drug]


def test_D1_schedule_loading_on_cycle_1_only_then_maintenance_every_21_days():
    events = build_schedule(option(run(), "tucatinib-trastuzumab"), START, 3)
    assert rows(events, "trastuzumab") == [
        (1, 1, "loading", 560.0), (2, 1, "maintenance", 420.0), (3, 1, "maintenance", 420.0),
    ]
    trastuzumab_dates = [e["date"] for e in events if e["drug"] == "trastuzumab"]
    assert trastuzumab_dates == [date(2026, 12, 1), date(2026, 12, 22), date(2027, 1, 12)]
    first = events[0]
    assert set(first) == {"date", "cycle", "day", "drug", "dose_mg", "phase", "route", "frequency"}


def test_D1_oral_continuous_drug_is_one_event_per_cycle_with_its_frequency():
    events = build_schedule(option(run(), "tucatinib-trastuzumab"), START, 2)
    tucatinib = [e for e in events if e["drug"] == "tucatinib"]
    summary = [(e["cycle"], e["day"], e["frequency"], e["route"]) for e in tucatinib]
    assert summary == [(1, 1, "BID", "PO"), (2, 1, "BID", "PO")]


def test_D3_pertuzumab_loading_then_420():
    events = build_schedule(option(run(), "pertuzumab-trastuzumab"), START, 2)
    assert rows(events, "pertuzumab") == [(1, 1, "loading", 840.0), (2, 1, "maintenance", 420.0)]


def test_D4_weekly_trastuzumab_days_1_8_15_loading_on_cycle_1_day_1():
    events = build_schedule(option(run(), "lapatinib-trastuzumab"), START, 2)
    assert rows(events, "trastuzumab") == [
        (1, 1, "loading", 280.0), (1, 8, "maintenance", 140.0), (1, 15, "maintenance", 140.0),
        (2, 1, "maintenance", 140.0), (2, 8, "maintenance", 140.0), (2, 15, "maintenance", 140.0),
    ]
    first_cycle = [e["date"] for e in events if e["drug"] == "trastuzumab"][:3]
    assert first_cycle == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]


def test_planned_date_counts_whole_cycles_from_the_start_then_days_within_the_cycle():
    assert planned_date(START, 21, 1, 1) == START
    assert planned_date(START, 21, 2, 8) == date(2026, 12, 29)  # cycle 2 day 1 is 22 Dec; day 8 a week later
    assert planned_date(START, 42, 3) == date(2027, 2, 23)
    assert cycle_date(date(2026, 12, 22), 21) == date(2027, 1, 11)  # a 21-day cycle's last day
    assert day1_of(date(2026, 12, 29), 8) == date(2026, 12, 22)


def test_schedule_from_a_stored_json_snapshot():
    stored = json.loads(json.dumps(option(run(), "trastuzumab-deruxtecan")))
    events = build_schedule(stored, START, 2)
    assert [(e["date"], e["dose_mg"]) for e in events] == [(START, 378.0), (date(2026, 12, 22), 378.0)]


def test_schedule_empty_for_clinical_trial_and_rejects_zero_cycles():
    assert build_schedule(option(run(), "clinical-trial"), START, 3) == []
    with pytest.raises(ValueError):
        build_schedule(option(run(), "tucatinib-trastuzumab"), START, 0)


@pytest.mark.parametrize(
    "schedule, last, today, action, mg_per_kg",
    [
        ("q3w", date(2026, 1, 1), date(2026, 1, 22), "maintenance", 6),  # on time
        ("q3w", date(2026, 1, 1), date(2026, 1, 29), "maintenance", 6),  # exactly 1 week late
        ("q3w", date(2026, 1, 1), date(2026, 1, 30), "reload", 8),  # 8 days late
        ("weekly", date(2026, 1, 1), date(2026, 1, 15), "maintenance", 2),  # 7 days late
        ("weekly", date(2026, 1, 1), date(2026, 1, 16), "reload", 4),
    ],
)
def test_D8_missed_trastuzumab_dose(schedule, last, today, action, mg_per_kg):
    decision = missed_dose("trastuzumab", last_dose_date=last, today=today, schedule=schedule, weight_kg=70)
    assert (decision.action, decision.mg_per_kg, decision.ref) == (action, mg_per_kg, "D8")
    assert decision.dose_mg == mg_per_kg * 70


@pytest.mark.parametrize(
    "last, today, action, mg",
    [
        (date(2026, 1, 1), date(2026, 2, 11), "maintenance", 420.0),  # 41 days
        (date(2026, 1, 1), date(2026, 2, 12), "reload", 840.0),  # 6 weeks
    ],
)
def test_D8_missed_pertuzumab_dose_reload_at_6_weeks(last, today, action, mg):
    decision = missed_dose("pertuzumab", last_dose_date=last, today=today)
    assert (decision.action, decision.dose_mg) == (action, mg)


def test_D8_trastuzumab_deruxtecan_delayed_dose_given_now_then_3_weeks_apart():
    decision = missed_dose("trastuzumab_deruxtecan", date(2026, 1, 1), date(2026, 1, 29), weight_kg=70)
    assert decision.action == "as_soon_as_possible" and decision.ref == "D8"
    assert (decision.mg_per_kg, decision.dose_mg) == (5.4, 378.0), "the same dose level, no re-load"
    assert decision.days_late == 7
    assert decision.next_dose_from == date(2026, 2, 19), "the schedule moves: 3 weeks after the delayed dose"
    assert "without waiting for the next planned cycle" in decision.text
    assert "fam-trastuzumab deruxtecan-nxki (ENHERTU)" in decision.text


def test_D8_trastuzumab_deruxtecan_keeps_a_reduced_dose_level():
    decision = missed_dose("trastuzumab_deruxtecan", date(2026, 1, 1), date(2026, 2, 1), weight_kg=70, mg_per_kg=4.4)
    assert (decision.mg_per_kg, decision.dose_mg) == (4.4, 308.0)


def test_D8_rejects_what_it_does_not_cover():
    with pytest.raises(ValueError):
        missed_dose("tucatinib", date(2026, 1, 1), date(2026, 2, 1))
    with pytest.raises(ValueError):
        missed_dose("trastuzumab_deruxtecan", date(2026, 1, 1), date(2026, 2, 1), schedule="weekly")
    with pytest.raises(ValueError):
        missed_dose("trastuzumab", date(2026, 2, 1), date(2026, 1, 1))
    assert missed_dose("trastuzumab", date(2026, 1, 1), date(2026, 2, 1)).dose_mg is None
