from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from her2app.accounts.access import role_required
from her2app.audit.history import case_history_entries
from her2app.cases.models import Case


@role_required("cases.view_case")
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what on a case, and when: every recorded change, newest first."""
    case = get_object_or_404(Case.objects.select_related("patient"), pk=pk)
    return render(request, "audit/case_history.html", {"case": case, "entries": case_history_entries(case)})
