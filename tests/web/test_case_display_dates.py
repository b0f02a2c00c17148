"""The list's fast date filters print exactly what Django's |date filter prints."""

from datetime import date, datetime, timedelta, timezone

import pytest
from django.template import engines
from django.test import override_settings

from her2app.cases.dates import day_month_year, day_month_year_time

UTC = timezone.utc
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the last minute of GMT: still 29 Mar, 00:59 in London
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # BST starts: 02:00 in London
    datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # BST: already 25 Oct, 00:30 in London
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2027, 1, 1, 0, 5, tzinfo=UTC),
    datetime(2026, 5, 9, 7, 3, tzinfo=timezone(timedelta(hours=-5))),  # another zone: shown in London time
]


def render(source: str, value) -> str:
    return engines["django"].from_string("{% load case_display %}" + source).render({"value": value})


@pytest.mark.parametrize("value", MOMENTS, ids=str)
@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland"])
def test_same_text_as_the_date_filter(value, zone):
    with override_settings(TIME_ZONE=zone):
        assert render("{{ value|day_month_year }}", value) == render('{{ value|date:"j M Y" }}', value)
        assert (render("{{ value|day_month_year_time }}", value)
                == render('{{ value|date:"j M Y, H:i" }}', value))


def test_local_time_is_used_for_the_day():
    with override_settings(TIME_ZONE="Europe/London"):
        assert render("{{ value|day_month_year_time }}", MOMENTS[2]) == "25 Oct 2026, 00:30"


@pytest.mark.parametrize("value", [None, "", "not a date"])
def test_no_date_prints_nothing(value):
    assert day_month_year(value) == ""
    assert day_month_year_time(value) == ""


def test_a_plain_date_has_no_time():
    assert day_month_year(date(2026, 7, 4)) == "4 Jul 2026"
    assert day_month_year_time(date(2026, 7, 4)) == "4 Jul 2026"
