"""`{% imported_values case step as imported %}`: a wizard step's values imported from a FHIR bundle
that no person has confirmed yet (`imported.marks`), and what the imports left out (`imported.records`,
while any value of the case is still unconfirmed)."""

from django import template

from her2app.interop.actions import pending_values
from her2app.interop.models import BundleImport

register = template.Library()


@register.simple_tag
def imported_values(case, step: str) -> dict:
    if case is None:
        return {"marks": [], "records": []}
    unconfirmed = BundleImport.objects.filter(case=case, values__confirmed_at__isnull=True).distinct()
    return {"marks": pending_values(case, step), "records": list(unconfirmed)}
