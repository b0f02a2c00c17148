"""Case list: search by MRN or name, filter by status, 25 a page, newest first, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from her2app.cases.models import Case
from tests.factories import make_case


def listed_mrns(response) -> list[str]:
    return [row.mrn for row in response.context["rows"]]


def test_newest_first(client, coordinator):
    older = make_case(coordinator, mrn="OLD-1")
    newer = make_case(coordinator, mrn="NEW-2")
    client.force_login(coordinator)
    assert listed_mrns(client.get("/cases/")) == [newer.patient.mrn, older.patient.mrn]


@pytest.mark.parametrize("query, expected", [
    ("ABC-7", ["ABC-77"]), ("abc", ["ABC-77"]), ("turing", ["X-1"]), ("alan", ["X-1"]), ("", ["X-1", "ABC-77"]),
    ("ppe", ["ABC-77"]), ("tu", ["X-1"]), ("pp", []),  # one or two characters: a prefix, not anywhere in the name
])
def test_search_by_mrn_or_name(client, coordinator, query, expected):
    make_case(coordinator, mrn="ABC-77", given_name="Grace", family_name="Hopper")
    make_case(coordinator, mrn="X-1", given_name="Alan", family_name="Turing")
    client.force_login(coordinator)
    assert listed_mrns(client.get("/cases/", {"q": query})) == expected


@pytest.mark.parametrize(("query", "told"), [("tu", True), ("T", True), ("tur", False), ("", False)])
def test_a_one_or_two_character_search_says_it_matches_the_start_only(client, coordinator, query, told):
    make_case(coordinator, mrn="X-1", given_name="Alan", family_name="Turing")
    client.force_login(coordinator)
    html = client.get("/cases/", {"q": query}).content.decode()
    assert ("Showing MRNs and names that start with “" + query + "”" in html) is told
    assert ('id="search-scope"' in html) is told


def test_filter_by_status(client, coordinator):
    make_case(coordinator, mrn="D-1")
    make_case(coordinator, mrn="R-1", status=Case.Status.READY)
    client.force_login(coordinator)
    assert listed_mrns(client.get("/cases/", {"status": "ready"})) == ["R-1"]
    assert client.get("/cases/", {"status": "nonsense"}).status_code == 200


def test_paginated_by_25_keeping_the_search(client, coordinator):
    for number in range(27):
        make_case(coordinator, mrn=f"P-{number:02d}")
    client.force_login(coordinator)
    first = client.get("/cases/", {"q": "P-"})
    assert len(listed_mrns(first)) == 25
    assert 'href="?q=P-&amp;page=2"' in first.content.decode()
    second = client.get("/cases/", {"q": "P-", "page": 2})
    assert listed_mrns(second) == ["P-01", "P-00"]
    assert client.get("/cases/", {"page": "zzz"}).status_code == 200


def test_query_count_does_not_grow_with_the_number_of_cases(client, coordinator, oncologist):
    client.force_login(coordinator)
    make_case(coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    for _ in range(10):
        make_case(oncologist)
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/")
    assert len(many) == len(few)
