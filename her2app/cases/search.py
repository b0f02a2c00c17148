"""Case search by MRN or name, shaped so each part is served by an index.

An exact MRN is looked up on the MRN's unique index and, when it names a
patient, is the whole answer: a full MRN identifies one patient. Otherwise each
searched column is matched on its own (`icontains`: one trigram index per
column on PostgreSQL, migrations 0002 and 0006) and the three id sets are
combined with UNION. A trigram index needs three characters: one or two find
the MRNs and names that start with them (`istartswith`: a B-tree per column in
pattern order, migration 0007); as "contains" they read every patient three
times over, a second a search. An OR across the three columns makes PostgreSQL's planner
fall back to a sequential scan of every patient.

On PostgreSQL the patient ids are read once per search and the cases found as
`patient_id = ANY('{ids}'::bigint[])`: each id is looked up on the case's
patient index, and the page count and the page's rows do not search the
patients again. The ids travel as one text parameter: bound one by one, a
common name's 2,500 ids cost more Python time than the whole query.
When most patients match (a one-letter search), the ids stay in the database
as a subquery: for that many, a scan is the right plan.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, F, Lookup, QuerySet
from django.db.models.expressions import RawSQL

from her2app.cases.models import Patient

SEARCHED_COLUMNS = ("mrn", "given_name", "family_name")
SHORTEST_CONTAINS = 3
MOST_IDS_PASSED = 5_000  # a common name matches ~2,500 of 100,000 patients


def cases_of_matching_patients(cases: QuerySet, text: str) -> QuerySet:
    """`cases` narrowed to the patients `text` finds."""
    exact = list(patient_with_mrn(text)[:1])
    if exact:
        return cases.filter(patient_id=exact[0])
    found = patients_matching(text)
    if connection.vendor != "postgresql":
        return cases.filter(patient_id__in=found)
    ids = list(found[: MOST_IDS_PASSED + 1])
    if len(ids) > MOST_IDS_PASSED:
        return cases.filter(patient_id__in=found)
    return cases.filter(_EqualsAny(F("patient_id"), _bigint_array(ids)))


def patient_with_mrn(text: str) -> QuerySet:
    """The id of the patient whose MRN is exactly `text` (the MRN's unique index)."""
    return Patient.objects.filter(mrn=text).order_by().values_list("pk", flat=True)


def patients_matching(text: str) -> QuerySet:
    """The ids of the patients whose MRN or name contains `text` (any case), as a subquery;
    for one or two characters, whose MRN or name starts with them."""
    lookup = "icontains" if len(text) >= SHORTEST_CONTAINS else "istartswith"
    by_column = [
        Patient.objects.filter(**{f"{column}__{lookup}": text}).order_by().values_list("pk", flat=True)
        for column in SEARCHED_COLUMNS
    ]
    return by_column[0].union(*by_column[1:])


def _bigint_array(ids: list[int]) -> RawSQL:
    literal = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
    return RawSQL("%s::bigint[]", [literal], output_field=ArrayField(BigIntegerField()))


class _EqualsAny(Lookup):
    """`column = ANY(array)` (PostgreSQL)."""

    lookup_name = "equals_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
