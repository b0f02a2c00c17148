"""`{% imported_values case step as imported %}`: a wizard step's values imported from a FHIR bundle
that no person has confirmed yet (`imported.marks`), and what the imports left out (`imported.records`,
while any value of the case is still unconfirmed, or the import brought no value at all).

One query for a case that was never imported, two otherwise.
"""

from django import template
from django.db.models import Prefetch

from her2app.interop.models import BundleImport, ImportedValue

register = template.Library()


@register.simple_tag
def imported_values(case, step: str) -> dict:
    if case is None:
        return {"marks": [], "records": []}
    imports = case.bundle_imports.order_by("-imported_at", "-pk").prefetch_related(  # one case: no join to sort cases
        Prefetch("values", ImportedValue.objects.order_by("pk")))
    records = [record for record in imports if _unconfirmed(record)]
    marks = [value for record in records for value in record.values.all()
             if value.step == step and value.confirmed_at is None]
    return {"marks": marks, "records": records}


def _unconfirmed(record: BundleImport) -> bool:
    values = record.values.all()
    return not values or any(value.confirmed_at is None for value in values)
