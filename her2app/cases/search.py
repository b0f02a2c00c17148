"""Case search by MRN or name, shaped so each part is served by an index.

An exact MRN is looked up on the MRN's unique index and, when it names a
patient, is the whole answer: a full MRN identifies one patient. Otherwise each
searched column is matched on its own (`icontains`: one trigram index per
column on PostgreSQL, migration 0002) and the three id sets are combined with
UNION. An OR across the three columns makes PostgreSQL's planner fall back to
a sequential scan of every patient.
"""

from django.db.models import QuerySet

from her2app.cases.models import Patient

SEARCHED_COLUMNS = ("mrn", "given_name", "family_name")


def matching_patient_ids(text: str) -> QuerySet:
    """The ids of the patients `text` finds, as a subquery for `patient_id__in`."""
    exact = Patient.objects.filter(mrn=text).order_by().values("pk")
    if exact.exists():
        return exact
    by_column = [Patient.objects.filter(**{f"{column}__icontains": text}).order_by().values("pk") for column in SEARCHED_COLUMNS]
    return by_column[0].union(*by_column[1:])
