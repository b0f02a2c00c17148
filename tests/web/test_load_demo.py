"""`make run` loads demo users, cases and one signed plan, so every role has something to see."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from her2app.demo.management.commands.load_demo import DEMO_CASES
from her2app.cases.models import Case
from her2app.plans.models import PlanState, TreatmentPlan


def test_load_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_load_demo_creates_users_cases_and_one_signed_plan_with_its_pdf(
    db, settings, tmp_path, capsys, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the worker beside `make run` renders the PDF
        call_command("load_demo")
    call_command("load_demo")  # a second run adds nothing

    assert User.objects.get(username="nurse").check_password("nurse-demo-2026")
    assert Case.objects.count() == len(list(DEMO_CASES.glob("*.json"))) == 27
    plan = TreatmentPlan.objects.get()
    assert (plan.state, plan.regimen, plan.approved_by.username) == (
        PlanState.APPROVED, "tucatinib-trastuzumab", "oncologist"
    )
    assert plan.case.status == Case.Status.PLANNED
    document = plan.documents.get()
    assert document.verify_checksum()
    assert capsys.readouterr().out.count("Demo plan signed") == 1
