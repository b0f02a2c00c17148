"""Case detail and wizard pages read the case's records together, not one query per record.

The engine input and the page both read the treatment lines, profile and
clinical status: one fetch serves both. The detail page's plan table reads
each plan's signer and PDFs: prefetched, so more plan versions add no queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from her2app.plans.models import PlanDocument, TreatmentPlan
from tests.factories import plannable_case
from tests.web.plan_helpers import approved_plan

pytestmark = pytest.mark.django_db


def queries_on(client, url: str) -> list[str]:
    client.get(url)  # warm per-process caches (permissions, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def count_touching(queries: list[str], table: str) -> int:
    return sum(f'FROM "{table}"' in sql for sql in queries)


def with_pdf(plan: TreatmentPlan) -> None:
    PlanDocument.objects.create(plan=plan, version=1, plan_state=plan.state, file=f"plans/{plan.pk}.pdf",
                                sha256="0" * 64, created_by=plan.approved_by)


def add_signed_versions(plan: TreatmentPlan, count: int) -> None:
    """More versions of an approved plan, each with a PDF (bulk: no engine or rendering)."""
    for version in range(plan.version + 1, plan.version + 1 + count):
        copy = TreatmentPlan.objects.get(pk=plan.pk)
        copy.pk, copy.version, copy.supersedes = None, version, None
        TreatmentPlan.objects.bulk_create([copy])
        with_pdf(copy)


@pytest.mark.parametrize("url_name", ["detail", "review"])
def test_engine_and_page_share_one_read_of_each_record(client, coordinator, oncologist, url_name):
    case = plannable_case(coordinator)
    client.force_login(oncologist)
    url = reverse("cases:detail", args=[case.pk]) if url_name == "detail" else reverse(
        "cases:step", args=[case.pk, "review"])
    queries = queries_on(client, url)
    assert count_touching(queries, "cases_treatmentline") == 1
    assert count_touching(queries, "cases_case") == 1, "profile and clinical status come with the case"
    assert b"tucatinib" in client.get(url).content.lower()


def test_more_plan_versions_add_no_queries_to_the_case_page(client, coordinator, oncologist):
    case = plannable_case(coordinator)
    plan = approved_plan(case, oncologist)
    with_pdf(plan)
    client.force_login(oncologist)
    url = reverse("cases:detail", args=[case.pk])
    one_version = len(queries_on(client, url))
    add_signed_versions(plan, 3)
    page = client.get(url).content.decode()
    assert page.count("PDF 1 (") == 4, "every version lists its PDF"
    assert len(queries_on(client, url)) == one_version
