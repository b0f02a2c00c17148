"""The case search's plans on PostgreSQL: every part is served by an index.

With synthetic MRNs that share most of their trigrams (as real numeric MRNs
do), an OR across the MRN and name columns made the planner scan every
patient. The search now asks the MRN's unique index for an exact MRN, and each
trigram index for its own column, combined with UNION (her2app/cases/search.py).
The trigram indexes take new entries on insert rather than into a pending list
that every search would read in full (migration 0006); one or two characters,
too few for a trigram, are matched as a prefix on B-trees (migration 0007).
"""

import re

import pytest
from django.db import connection

from her2app.cases.models import Case, Patient
from her2app.cases.search import (
    MOST_IDS_PASSED,
    cases_of_matching_patients,
    patient_with_mrn,
    patients_matching,
)
from tests.factories import make_case

pytestmark = pytest.mark.postgres

PATIENTS = 50_000  # enough that a sequential scan costs more than the indexes; inserted in one statement
# Names end in three letters, so a full name is as rare as a real one and the planner's estimate says so.
GIVEN = ["Tomasz", "Amara", "Li", "Sofia", "Kwame", "Ingrid", "Mateo", "Priya", "Oren", "Hana", "Emeka", "Lucia"]
FAMILY = ["Williams", "Okafor", "Nakamura", "Rossi", "Mensah", "Larsen", "Silva", "Patel", "Cohen", "Novak",
          "Dubois", "Kowalski", "Haddad", "Moreau", "Jensen", "Tanaka", "Ivanova", "Garcia", "Murphy", "Schmidt"]


@pytest.fixture
def many_patients(db):
    if connection.vendor != "postgresql":
        pytest.skip("the plan of a PostgreSQL query: trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO cases_patient (mrn, given_name, family_name, date_of_birth, sex)
               SELECT 'SYN' || lpad(n::text, 8, '0'), (%s::text[])[1 + n %% %s] || chr(65 + n %% 26) || chr(65 + (n / 26) %% 26)
                                                      || chr(65 + (n / 676) %% 26),
                      (%s::text[])[1 + n %% %s] || chr(65 + (n / 26) %% 26) || chr(65 + (n / 676) %% 26),
                      DATE '1950-01-01' + n %% 15000, 'female'
               FROM generate_series(1, %s) AS n""",
            [GIVEN, len(GIVEN), FAMILY, len(FAMILY), PATIENTS],
        )
        cursor.execute("ANALYZE cases_patient")
    return Patient.objects.order_by("mrn")[PATIENTS // 2]


TRIGRAM_INDEXES = ("cases_patient_mrn_trgm", "cases_patient_given_trgm", "cases_patient_family_trgm")


SEARCH_TEXT = {
    "exact MRN": lambda patient: patient.mrn,
    "partial MRN": lambda patient: patient.mrn[-6:],
    "family name": lambda patient: patient.family_name,
    "given name": lambda patient: patient.given_name,
    "no match": lambda patient: "Zzyzxq",
    "two letters": lambda patient: patient.given_name[:2],
}


def plan_of(queryset) -> str:
    return queryset.explain()


def test_an_exact_mrn_is_read_from_an_mrn_btree_index_alone(many_patients):
    ids = patient_with_mrn(many_patients.mrn)
    plan = plan_of(ids)
    assert "Index Scan using cases_patient_mrn_" in plan and "Index Cond: ((mrn)::text = " in plan, plan
    assert "Seq Scan" not in plan and "trgm" not in plan, plan
    assert list(ids) == [many_patients.pk]


def test_the_trigram_indexes_take_new_patients_on_insert_not_into_a_pending_list(db):
    if connection.vendor != "postgresql":
        pytest.skip("GIN index options exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'cases_patient_%%_trgm'")
        options = dict(cursor.fetchall())
    assert options == {index: ["fastupdate=off"] for index in TRIGRAM_INDEXES}, options


@pytest.mark.parametrize("kind", ["partial MRN", "family name", "given name", "no match"])
def test_a_partial_mrn_or_a_name_is_searched_through_each_columns_trigram_index(many_patients, kind):
    text = SEARCH_TEXT[kind](many_patients)
    plan = plan_of(patients_matching(text))
    assert "Seq Scan on cases_patient" not in plan, plan
    for each in TRIGRAM_INDEXES:
        assert f"Bitmap Index Scan on {each}" in plan, plan
    found = set(patients_matching(text))
    assert (many_patients.pk in found) == (kind != "no match")
    assert found == {
        patient.pk for patient in Patient.objects.all()
        if any(text.upper() in value.upper() for value in (patient.mrn, patient.given_name, patient.family_name))
    }


@pytest.fixture
def a_case_each(many_patients, coordinator):
    """One case per patient, copied in one statement from a case made the ordinary way."""
    template = make_case(coordinator, mrn="TEMPLATE-1")
    columns = [field.column for field in Case._meta.concrete_fields if field.column not in ("id", "patient_id")]
    listed = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO cases_case ({listed}, patient_id)
                SELECT {", ".join(f'template."{column}"' for column in columns)}, patient.id
                FROM cases_case AS template, cases_patient AS patient
                WHERE template.id = %s AND patient.id <> %s""",
            [template.pk, template.patient_id],
        )
        cursor.execute("ANALYZE cases_case")
    return many_patients


def _assert_cases_read_by_patient_index(plan: str) -> None:
    assert "Seq Scan on cases_case" not in plan and "Hash Join" not in plan, plan
    assert "cases_case_patient_id_" in plan and "Index Cond: (patient_id = " in plan, plan




@pytest.mark.parametrize("kind", ["exact MRN", "partial MRN", "family name", "given name"])
def test_a_searchs_cases_are_read_through_the_patient_index_not_a_scan_of_every_case(a_case_each, kind):
    text = SEARCH_TEXT[kind](a_case_each)
    found = cases_of_matching_patients(Case.objects.all(), text)
    _assert_cases_read_by_patient_index(plan_of(found.values("pk")))  # the page count's rows
    _assert_cases_read_by_patient_index(plan_of(found.order_by("-created_at", "-pk").values("pk")[:25]))  # a page
    patients = patient_with_mrn(text) if kind == "exact MRN" else patients_matching(text)
    expected = set(Case.objects.filter(patient_id__in=patients).values_list("pk", flat=True))
    assert a_case_each.cases.get().pk in expected
    assert set(found.values_list("pk", flat=True)) == expected


def test_a_search_that_matches_no_one_reads_no_case(a_case_each):
    found = cases_of_matching_patients(Case.objects.all(), "Zzyzxq")
    _assert_cases_read_by_patient_index(plan_of(found.values("pk")))
    assert not found.exists()


def test_one_or_two_characters_find_the_mrns_and_names_that_start_with_them_through_prefix_indexes(many_patients):
    text = SEARCH_TEXT["two letters"](many_patients).lower()
    plan = plan_of(patients_matching(text))
    assert "Seq Scan on cases_patient" not in plan, plan
    for column in ("mrn", "given", "family"):  # the planner may choose a column's trigram index for a prefix too
        assert re.search(rf"Index Scan (using|on) cases_patient_{column}_(prefix|trgm)", plan), plan
    assert set(patients_matching(text)) == {
        patient.pk for patient in Patient.objects.all()
        if any(value.upper().startswith(text.upper()) for value in (patient.mrn, patient.given_name, patient.family_name))
    }


def test_a_search_most_patients_match_keeps_their_ids_in_the_database(a_case_each):
    found = cases_of_matching_patients(Case.objects.all(), "SYN0")  # every synthetic MRN
    sql = str(found.values("pk").query)
    assert len(patients_matching("SYN0")) > MOST_IDS_PASSED
    assert " IN (" in sql and "ANY(" not in sql, sql
    assert found.count() == Case.objects.filter(patient_id__in=patients_matching("SYN0")).count() >= PATIENTS
