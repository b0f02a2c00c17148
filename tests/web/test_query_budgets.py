"""Query budgets: the busiest pages run a fixed number of SQL queries,
whatever the size of the database.

Each test measures the page with a small and a large data set (synthetic
cases from `generate_cases`) and asserts the same count, under a budget. A
page that starts querying per row (an N+1) fails here long before a
tumour board notices a slow list.
"""

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.urls import reverse

from her2app.cases.management.commands.generate_cases import SCENARIOS, generate_cases
from her2app.cases.models import Case, TreatmentLine
from her2app.meetings.models import AgendaItem, Meeting
from her2app.plans.models import PlanState, TreatmentPlan
from tests.factories import plannable_case
from tests.web.plan_helpers import approved_plan

SMALL, LARGE = 10, 1000
# Measured on 2026-11-25 (list 9, detail 13, review 14, nurse 9: session, user, permissions,
# the page's own queries, session save) plus 2 for small additions that do not scale with data.
LIST_BUDGET = 11
DETAIL_BUDGET = 15
REVIEW_BUDGET = 16
NURSE_BUDGET = 11

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, budget: int, django_assert_max_num_queries) -> int:
    client.get(url)  # first request may warm per-process caches (content types, permissions)
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries)


def top_up(total: int, author) -> None:
    missing = total - Case.objects.count()
    if missing > 0:
        generate_cases(missing, author=author)


def assert_constant(measure: Callable[[], int | dict[str, int]], grow: Callable[[], None], what: str) -> None:
    """The queries `measure` counts (one count, or a count per URL) are the same before and after `grow`."""
    small = measure()
    grow()
    large = measure()
    assert large == small, f"{what}: {small} queries with {SMALL} rows but {large} with {LARGE} (an N+1?)"


LIST_QUERIES = ["", "?status=ready", "?q=Smith", "?q=SYN0000", "?page=3"]


def test_case_list_queries_do_not_grow_with_cases(client, coordinator, django_assert_max_num_queries):
    """Each filter, search and page of the list, measured on the same small and then large data set (one
    data set grown once: generating 1,000 cases costs more than the requests)."""
    client.force_login(coordinator)
    urls = [reverse("cases:list") + query for query in LIST_QUERIES]
    top_up(SMALL * 8, coordinator)  # enough for page 3 at 25 a page
    assert_constant(
        lambda: {url: queries_for(client, url, LIST_BUDGET, django_assert_max_num_queries) for url in urls},
        lambda: top_up(LARGE, coordinator),
        "case list",
    )


def first_synthetic_case() -> Case:
    return Case.objects.filter(patient__mrn__startswith="SYN").order_by("pk").first()


def add_lines(case: Case, count: int) -> None:
    start = case.treatment_lines.count() + 1
    TreatmentLine.objects.bulk_create(
        TreatmentLine(case=case, line_number=number, agents=["fluoropyrimidine", "other"])
        for number in range(start, start + count)
    )


@pytest.mark.parametrize(("url_name", "budget"), [("detail", DETAIL_BUDGET), ("review", REVIEW_BUDGET)])
def test_case_page_queries_do_not_grow_with_cases_or_lines(client, oncologist, django_assert_max_num_queries,
                                                          url_name, budget):
    """A refractory HER2-positive case (tucatinib-trastuzumab preferred), among 10 then 1,000 cases,
    with 2 then 10 treatment lines."""
    client.force_login(oncologist)
    top_up(SMALL, oncologist)
    case = first_synthetic_case()
    assert "R6" in SCENARIOS[0].name
    url = (reverse("cases:detail", args=[case.pk]) if url_name == "detail"
           else reverse("cases:step", args=[case.pk, "review"]))

    def grow() -> None:
        top_up(LARGE, oncologist)
        add_lines(case, 8)

    assert_constant(lambda: queries_for(client, url, budget, django_assert_max_num_queries), grow, url_name)


def clone_approved_plans(template: TreatmentPlan, count: int) -> None:
    """Approved plans on synthetic cases, copied from one real plan (bulk: no per-plan engine or PDF)."""
    cases = Case.objects.filter(patient__mrn__startswith="SYN").exclude(plans__isnull=False)[:count]
    copies = []
    for case in cases:
        copy = TreatmentPlan.objects.get(pk=template.pk)
        copy.pk, copy.case, copy.version = None, case, 1
        copies.append(copy)
    TreatmentPlan.objects.bulk_create(copies)


def test_nurse_worklist_queries_do_not_grow_with_plans(client, coordinator, oncologist, nurse,
                                                      django_assert_max_num_queries):
    template = approved_plan(plannable_case(coordinator, mrn="MRN-NURSE-1"), oncologist)
    assert template.state == PlanState.APPROVED and template.calendar, "the template plan needs infusions"
    top_up(LARGE + 1, coordinator)
    clone_approved_plans(template, SMALL - 1)
    client.force_login(nurse)
    url = reverse("plans:nurse_worklist")

    def measure() -> int:
        return queries_for(client, url, NURSE_BUDGET, django_assert_max_num_queries)

    assert_constant(measure, lambda: clone_approved_plans(template, LARGE - SMALL), "nurse worklist")
    assert TreatmentPlan.objects.filter(state=PlanState.APPROVED).count() == LARGE



def put_on_agendas(case: Case, count: int, author) -> None:
    for day in range(1, count + 1):
        meeting = Meeting.objects.create(date=date(2026, 10, day), created_by=author)
        AgendaItem.objects.create(meeting=meeting, case=case, position=1)


def test_case_page_queries_do_not_grow_with_agenda_items(client, oncologist, django_assert_max_num_queries):
    """The tumour-board entries on the case page: each item's meeting comes with the items, not one query each."""
    client.force_login(oncologist)
    top_up(SMALL, oncologist)
    case = first_synthetic_case()
    put_on_agendas(case, 1, oncologist)
    url = reverse("cases:detail", args=[case.pk])

    def measure() -> int:
        count = queries_for(client, url, DETAIL_BUDGET, django_assert_max_num_queries)
        entries = re.findall(r'href="/meetings/\d+/#item-\d+"', client.get(url).content.decode())
        assert len(entries) == case.agenda_items.count()
        return count

    assert_constant(measure, lambda: put_on_agendas(case, 4, oncologist), "case page agenda items")
