"""Case search by MRN or name, shaped so each part is served by an index.

An exact MRN is looked up on the MRN's unique index and, when it names a
patient, is the whole answer: a full MRN identifies one patient. Otherwise each
searched column is matched on its own (`icontains`: one trigram index per
column on PostgreSQL, migration 0002) and the three id sets are combined with
UNION. An OR across the three columns makes PostgreSQL's planner fall back to
a sequential scan of every patient.

On PostgreSQL the patient ids are read once per search and the cases found as
`patient_id = ANY(array of those ids)`: each id is looked up on the case's
patient index, and the page count and the page's rows do not search the
patients again. As `patient_id IN (subquery)` the planner joined the ids with
a hash of every case, a sequential scan of the whole table for a handful of
matches, and ran the trigram searches once per query.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, F, Lookup, QuerySet, Value

from her2app.cases.models import Patient

SEARCHED_COLUMNS = ("mrn", "given_name", "family_name")


def cases_of_matching_patients(cases: QuerySet, text: str) -> QuerySet:
    """`cases` narrowed to the patients `text` finds."""
    ids = matching_patient_ids(text)
    if connection.vendor == "postgresql":
        found = [row["pk"] for row in ids]
        return cases.filter(_EqualsAny(F("patient_id"), Value(found, output_field=ArrayField(BigIntegerField()))))
    return cases.filter(patient_id__in=ids)


def matching_patient_ids(text: str) -> QuerySet:
    """The ids of the patients `text` finds, as a subquery."""
    exact = Patient.objects.filter(mrn=text).order_by().values("pk")
    if exact.exists():
        return exact
    by_column = [Patient.objects.filter(**{f"{column}__icontains": text}).order_by().values("pk") for column in SEARCHED_COLUMNS]
    return by_column[0].union(*by_column[1:])


class _EqualsAny(Lookup):
    """`column = ANY(array)` (PostgreSQL)."""

    lookup_name = "equals_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
