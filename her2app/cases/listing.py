"""The case list's rows as the page shows them, worked out once in Python from the columns a row shows:
in the template each value of each row would be a variable lookup, a method call or a filter, 25 rows a page."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.timezone import localtime

from her2app.accounts.people import name_or_username
from her2app.cases.models import Case, listed_patient_name
from her2app.cases.dates import day_month_year, day_month_year_time

# The columns a row shows, read as values: no case, patient or user instances, and none of the case's
# stored engine input and result or the patient's and user's other columns.
LIST_COLUMNS = ("pk", "status", "created_at", "updated_at", "patient__mrn", "patient__given_name",
                "patient__family_name", "updated_by__username", "updated_by__first_name", "updated_by__last_name")
_STATUS_LABELS = dict(Case.Status.choices)
_PLACEHOLDER = 918273645  # an integer key no URL pattern spells out itself


class RowUrl:
    """A URL whose only argument is an integer key, reversed once for a whole list of rows
    (`reverse` costs ~20 us a row); each row's URL is the same text with the row's own key."""

    def __init__(self, viewname: str):
        self.head, self.tail = reverse(viewname, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))

    def with_pk(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


@dataclass(frozen=True)
class CaseRow:
    url: str
    mrn: str
    patient: str
    status: str
    status_label: str
    created: str
    last_change: str


def case_rows(cases: Iterable[dict]) -> list[CaseRow]:
    """The rows of a page of cases, each case a dict of LIST_COLUMNS."""
    case_url = RowUrl("cases:detail")
    return [_row(case, case_url.with_pk(case["pk"])) for case in cases]


def _row(case: dict, url: str) -> CaseRow:
    editor = name_or_username(case["updated_by__first_name"], case["updated_by__last_name"],
                              case["updated_by__username"])
    return CaseRow(
        url=url,
        mrn=case["patient__mrn"],
        patient=listed_patient_name(case["patient__given_name"], case["patient__family_name"]),
        status=case["status"],
        status_label=_STATUS_LABELS.get(case["status"], case["status"]),
        created=day_month_year(localtime(case["created_at"])),
        last_change=f"{day_month_year_time(localtime(case['updated_at']))} by {editor}",
    )
