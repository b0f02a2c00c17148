"""The case search's plans on PostgreSQL: every part is served by an index.

With synthetic MRNs that share most of their trigrams (as real numeric MRNs
do), an OR across the MRN and name columns made the planner scan every
patient. The search now asks the MRN's unique index for an exact MRN, and each
trigram index for its own column, combined with UNION (her2app/cases/search.py).
"""

import pytest
from django.db import connection

from her2app.cases.models import Patient
from her2app.cases.search import matching_patient_ids

pytestmark = pytest.mark.postgres

PATIENTS = 50_000  # enough that a sequential scan costs more than the indexes; inserted in one statement
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
               SELECT 'SYN' || lpad(n::text, 8, '0'), (%s::text[])[1 + n %% %s] || chr(65 + n %% 26) || chr(65 + (n / 26) %% 26),
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
