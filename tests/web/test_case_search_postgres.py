"""The case search's plans on PostgreSQL: every part is served by an index.

With synthetic MRNs that share most of their trigrams (as real numeric MRNs
do), an OR across the MRN and name columns made the planner scan every
patient. The search now asks the MRN's unique index for an exact MRN, and each
trigram index for its own column, combined with UNION (her2app/cases/search.py).
"""

import pytest
from django.db import connection

from her2app.cases.models import Case, Patient
from her2app.cases.search import cases_of_matching_patients, matching_patient_ids
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


def plan_of(queryset) -> str:
    return queryset.explain()


def test_an_exact_mrn_is_read_from_an_mrn_btree_index_alone(many_patients):
    ids = matching_patient_ids(many_patients.mrn)
    plan = plan_of(ids)
    assert "Index Scan using cases_patient_mrn_" in plan and "Index Cond: ((mrn)::text = " in plan, plan
    assert "Seq Scan" not in plan and "trgm" not in plan, plan
    assert list(ids.values_list("pk", flat=True)) == [many_patients.pk]


@pytest.mark.parametrize("column, index", [
    ("family_name", "cases_patient_family_trgm"), ("given_name", "cases_patient_given_trgm"),
])
def test_a_name_is_searched_through_each_columns_trigram_index(many_patients, column, index):
    name = getattr(many_patients, column)
    plan = plan_of(matching_patient_ids(name))
    assert "Seq Scan on cases_patient" not in plan, plan
    for each in ("cases_patient_mrn_trgm", "cases_patient_given_trgm", "cases_patient_family_trgm"):
        assert f"Bitmap Index Scan on {each}" in plan, plan
    found = set(matching_patient_ids(name).values_list("pk", flat=True))
    assert many_patients.pk in found
    assert found == set(Patient.objects.filter(**{f"{column}__icontains": name}).values_list("pk", flat=True)) | \
        set(Patient.objects.filter(mrn__icontains=name).values_list("pk", flat=True)) | \
        set(Patient.objects.filter(**{f"{'given_name' if column == 'family_name' else 'family_name'}__icontains": name})
            .values_list("pk", flat=True))


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
    assert "cases_case_patient_id_" in plan and "Index Cond: (patient_id = ANY (" in plan, plan


@pytest.mark.parametrize("column", ["family_name", "given_name", "mrn"])
def test_a_searchs_cases_are_read_through_the_patient_index_not_a_scan_of_every_case(a_case_each, column):
    text = getattr(a_case_each, column) if column != "mrn" else a_case_each.mrn[-6:]
    found = cases_of_matching_patients(Case.objects.all(), text)
    _assert_cases_read_by_patient_index(plan_of(found.values("pk")))  # the page count's rows
    _assert_cases_read_by_patient_index(plan_of(found.order_by("-created_at", "-pk").values("pk")[:25]))  # a page
    expected = set(Case.objects.filter(patient_id__in=matching_patient_ids(text)).values_list("pk", flat=True))
    assert a_case_each.cases.get().pk in expected
    assert set(found.values_list("pk", flat=True)) == expected


def test_a_search_that_matches_no_one_reads_no_case(a_case_each):
    found = cases_of_matching_patients(Case.objects.all(), "Zzyzxq")
    _assert_cases_read_by_patient_index(plan_of(found.values("pk")))
    assert not found.exists()
