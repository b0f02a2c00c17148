"""Plan PDFs are rendered in the background: approval commits and returns at
once, a failed render is retried with back-off and then reported, a render
whose worker vanished is taken over, and signed plans lacking a PDF are found.
(Real worker processes and kill -9: test_pdf_worker_durability.py.)"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import at, password_of
from her2app.plans.models import PlanDocument, PlanState
from her2app.rendering import jobs
from her2app.rendering.models import RenderJob
from tests.factories import plannable_case
from tests.web.plan_helpers import approved_plan, draft_plan
from tests.web.security_fixtures import make_plan

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def case(oncologist):
    return plannable_case(oncologist)


@pytest.fixture
def queue(settings):
    """The production queue: tasks wait in the database for a worker."""
    settings.TASKS = DATABASE_BACKEND


def broken(plan, printed_at=None, schedule=None):
    raise OSError("storage unavailable")


def test_approval_commits_and_returns_with_the_render_queued_not_done(
    client, case, oncologist, queue, django_capture_on_commit_callbacks
):
    plan = draft_plan(case, oncologist)
    client.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        response = client.post(reverse("plans:approve", args=[plan.pk]), {"password": password_of("oliver")})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert len(enqueued) == 1, "the render is enqueued only once the approval has committed"
    job = RenderJob.objects.get(kind="plan", object_id=plan.pk)
    task = DBTaskResult.objects.get()
    assert (task.status, task.args_kwargs["args"], job.status) == ("READY", [job.pk], "queued")
    assert not PlanDocument.objects.exists()
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "PDF being prepared" in page and 'hx-trigger="every 3s"' in page

    assert jobs.run_job(job.pk) == "done"  # what the worker does with the task
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "PDF ready" in page and "every 3s" not in page


def test_a_second_request_joins_the_waiting_job_and_makes_it_due_now(case, oncologist, queue):
    plan = approved_plan(case, oncologist)
    RenderJob.objects.filter(object_id=plan.pk).update(run_after=timezone.now() + timedelta(minutes=4))  # backing off
    jobs.request_render(RenderJob.Kind.PLAN, plan.pk, oncologist)
    [job] = RenderJob.objects.filter(object_id=plan.pk)
    assert job.run_after <= timezone.now()


def test_retries_back_off_then_stop_and_are_shown_to_the_oncologist_and_admins(
    client, case, oncologist, admin_user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PDF_RENDER_ATTEMPTS = 3
    assert [jobs.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    monkeypatch.setattr("her2app.plans.documents.render_plan_pdf", broken)
    plan = approved_plan(case, oncologist)
    job = RenderJob.objects.get(object_id=plan.pk)
    now = timezone.now()
    for attempt in (1, 2):
        with at(now):
            assert jobs.run_job(job.pk) == "failed"
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("queued", attempt)
        assert job.run_after == now + jobs.retry_delay(attempt)
        with at(job.run_after - timedelta(seconds=1)):
            assert jobs.run_job(job.pk) == "not due, or taken by another worker", "no retry before its time"
        now = job.run_after
    with at(now):
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == ("failed", 3, "OSError: storage unavailable")

    client.force_login(oncologist)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "The PDF could not be produced after 3 attempts" in page and "Retry PDF" in page
    client.force_login(admin_user)
    listing = client.get(reverse("admin:rendering_renderjob_changelist") + "?status__exact=failed").content.decode()
    assert "OSError: storage unavailable" in listing

    monkeypatch.undo()
    client.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:render", args=[plan.pk]))  # "Retry PDF": a fresh job (immediate backend here)
    assert PlanDocument.objects.filter(plan=plan, plan_state=PlanState.APPROVED).count() == 1


def test_a_render_whose_worker_vanished_is_taken_over_after_its_lease(case, oncologist, settings):
    plan = approved_plan(case, oncologist)
    job = RenderJob.objects.get(object_id=plan.pk)
    assert jobs._claim(job.pk, token := __import__("uuid").uuid4())  # a worker starts, then is killed
    assert jobs.run_job(job.pk) == "not due, or taken by another worker", "its lease still holds"
    with at(timezone.now() + timedelta(seconds=settings.PDF_RENDER_LEASE_SECONDS + 1)):
        assert jobs.sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert not jobs._mine(job.pk, token).exists(), "the vanished worker could no longer store a second copy"
    assert PlanDocument.objects.filter(plan=plan).count() == 1


def test_the_sweep_finds_signed_plans_that_have_no_pdf_and_no_job(
    case, oncologist, django_capture_on_commit_callbacks
):
    approved = make_plan(case, oncologist, version=1, state=PlanState.APPROVED)  # e.g. signed before this release
    make_plan(case, oncologist, version=2)  # drafts are printed only on request
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep() == 1
    assert list(PlanDocument.objects.values_list("plan_id", "plan_state")) == [(approved.pk, "approved")]
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep() == 0, "nothing left to do"


def test_one_periodic_sweep_waits_in_the_queue(db, queue):
    jobs.schedule_next_sweep()
    jobs.schedule_next_sweep()
    waiting = DBTaskResult.objects.filter(task_path="her2app.rendering.jobs.sweep_pdfs", status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
