"""The case list's paginator: the same pages as Django's Paginator, read ids first."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from her2app.cases.management.commands.generate_cases import generate_cases
from her2app.cases.models import Case
from her2app.cases.views import CASES_PER_PAGE, RowsByIdPaginator, _filtered

pytestmark = pytest.mark.django_db
CASES = 3 * CASES_PER_PAGE + 7


@pytest.fixture
def cases(coordinator):
    generate_cases(CASES, author=coordinator)
    return Case.objects.select_related("patient", "updated_by").order_by("-created_at", "-pk")


def pages(paginator: Paginator) -> list[list[int]]:
    return [[case.pk for case in paginator.page(number).object_list] for number in paginator.page_range]


@pytest.mark.parametrize(("text", "status"), [("", ""), ("", "ready"), ("SYN", ""), ("a", "draft"), ("zzz", "")])
def test_same_pages_in_the_same_order_as_django_paginator(cases, text, status):
    listed = _filtered(cases, text, status)
    expected = pages(Paginator(listed, CASES_PER_PAGE))
    assert pages(RowsByIdPaginator(listed, CASES_PER_PAGE)) == expected
    assert sum(map(len, expected)) == listed.count()


def the_one_query_reading_a_page(cases, number: int) -> str:
    """The SQL of the one query that reads a full page's rows with their patients and editors."""
    page = RowsByIdPaginator(cases, CASES_PER_PAGE).page(number)
    page.paginator.count  # noqa: B018 (the count is its own query)
    with CaptureQueriesContext(connection) as captured:
        rows = [(case.patient.mrn, case.updated_by.username) for case in page.object_list]
    assert len(rows) == CASES_PER_PAGE
    assert len(captured.captured_queries) == 1
    return captured.captured_queries[0]["sql"]


def test_a_page_reads_its_rows_with_their_joins_in_one_query(cases):
    sql = the_one_query_reading_a_page(cases, 3)
    subquery = sql[sql.index(" IN (SELECT"):]
    assert "LIMIT 25 OFFSET 50" in subquery and "patient" not in subquery, "the offset skips ids, not joined rows"


def test_the_first_page_reads_its_rows_without_the_ids_subquery(cases):
    """Nothing to skip on the first page: the rows and their joins in one plain query."""
    sql = the_one_query_reading_a_page(cases, 1)
    assert " IN (SELECT" not in sql and "OFFSET" not in sql and "LIMIT 25" in sql, sql
