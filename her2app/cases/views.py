from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from her2app.accounts.access import role_required
from her2app.cases.models import Case


@role_required("cases.view_case")
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/list.html", {"cases": Case.objects.select_related("patient")[:50]})


@role_required("cases.add_case")
def case_new(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/list.html", {"cases": []})
