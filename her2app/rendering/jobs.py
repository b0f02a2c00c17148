"""Render PDFs in the background, durably, with retries.

- `request_render` writes a RenderJob inside the caller's transaction and
  enqueues its task when that transaction commits.
- `run_job` (the task body) claims the job with one conditional UPDATE,
  renders without holding a transaction, then stores the document and marks
  the job done in one transaction. A failure is recorded on the job and
  retried with exponential back-off (django-tasks has no retries of its own:
  the job re-enqueues its task with `run_after`), up to PDF_RENDER_ATTEMPTS.
- `sweep` (on worker start and every PDF_SWEEP_SECONDS) re-enqueues jobs
  whose task was lost (a worker killed mid-render, an enqueue lost after a
  commit) and asks each kind of document for targets that still lack their
  PDF (e.g. plans approved before the worker existed).

Each kind of document registers a Renderer from its app's `ready()`. The two
django-tasks tasks (`render_pdf`, `sweep_pdfs`) stand at the end.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from her2app.rendering.models import RenderJob

logger = logging.getLogger(__name__)
ERROR_CHARS = 1000


class RenderRefused(Exception):
    """Rendering cannot succeed by retrying (e.g. over the page budget); the message is for people."""


@dataclass(frozen=True)
class Renderer:
    # Slow: reads the database and renders, writes nothing. Returns the function that
    # stores what it rendered, run in the transaction that marks the job done.
    render: Callable[[RenderJob], Callable[[], object]]
    # (object id, user to credit) of every object still lacking its PDF and any job for it.
    missing: Callable[[], Iterable[tuple[int, object]]]


RENDERERS: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    RENDERERS[kind] = renderer


# --- asking for a PDF ---------------------------------------------------------
def request_render(kind: str, object_id: int, user) -> RenderJob:
    """Ask for a PDF of the object as it will stand when rendered. A job already waiting
    (perhaps backing off after a failure) is joined and made due now."""
    job = _waiting_job(kind, object_id)
    if job is not None and job.run_after > timezone.now():
        RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.QUEUED).update(run_after=timezone.now())
    if job is None:
        try:
            with transaction.atomic():
                job = RenderJob.objects.create(kind=kind, object_id=object_id, requested_by=user)
        except IntegrityError:  # a concurrent request created the waiting job first
            job = _waiting_job(kind, object_id)
    transaction.on_commit(partial(enqueue, job.pk))
    return job


def _waiting_job(kind: str, object_id: int) -> RenderJob | None:
    return RenderJob.objects.filter(kind=kind, object_id=object_id, status=RenderJob.Status.QUEUED).first()


def enqueue(job_id: int, run_after: datetime | None = None) -> None:
    task = render_pdf
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # stays queued: the next sweep or a person's "Retry" runs it
        task = task.using(run_after=run_after)
    task.enqueue(job_id)


def latest_job(kind: str, object_id: int) -> RenderJob | None:
    return RenderJob.objects.filter(kind=kind, object_id=object_id).order_by("-requested_at", "-pk").first()


@dataclass(frozen=True)
class PdfStatus:
    """A document as it should stand now: ready, being prepared (perhaps after a failed
    attempt), failed for good, or never asked for. `document` is the current PDF, if any;
    `job` the latest request to render one."""

    document: object | None
    job: RenderJob | None

    @property
    def ready(self) -> bool:
        return self.document is not None

    @property
    def preparing(self) -> bool:
        return self.job is not None and self.job.is_open and (self.document is None or self._job_is_newer)

    @property
    def retrying(self) -> bool:
        return self.preparing and self.job.retrying

    @property
    def failed(self) -> bool:
        return self.document is None and self.job is not None and self.job.status == RenderJob.Status.FAILED

    @property
    def attempts_allowed(self) -> int:
        return settings.PDF_RENDER_ATTEMPTS

    @property
    def _job_is_newer(self) -> bool:
        return self.job.requested_at > self.document.created_at


# --- doing the work -----------------------------------------------------------
def run_job(job_id: int) -> str:
    token = uuid.uuid4()
    if not _claim(job_id, token):
        return "not due, or taken by another worker"
    job = RenderJob.objects.select_related("requested_by").get(pk=job_id)
    renderer = RENDERERS[job.kind]
    try:
        store = renderer.render(job)
        with transaction.atomic():
            finished = _mine(job_id, token).update(
                status=RenderJob.Status.DONE, finished_at=timezone.now(), last_error="", claim=None, leased_until=None
            )
            if finished:
                store()
    except Exception as error:  # any failure: recorded on the job and retried; never lost
        _record_failure(job, token, error)
        return "failed"
    return "done" if finished else "lease lost: another worker took over"


def _claim(job_id: int, token: uuid.UUID) -> bool:
    now = timezone.now()
    due = Q(status=RenderJob.Status.QUEUED, run_after__lte=now) | Q(
        status=RenderJob.Status.RUNNING, leased_until__lt=now
    )
    return bool(
        RenderJob.objects.filter(due, pk=job_id).update(
            status=RenderJob.Status.RUNNING,
            claim=token,
            leased_until=now + timedelta(seconds=settings.PDF_RENDER_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )


def _mine(job_id: int, token: uuid.UUID):
    return RenderJob.objects.filter(pk=job_id, claim=token, status=RenderJob.Status.RUNNING)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... after the 1st, 2nd, 3rd, 4th failed attempt."""
    return timedelta(seconds=settings.PDF_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def _record_failure(job: RenderJob, token: uuid.UUID, error: Exception) -> None:
    logger.error("rendering %s %s failed (attempt %s)", job.kind, job.object_id, job.attempts, exc_info=error)
    refused = isinstance(error, RenderRefused)
    message = str(error) if refused else f"{error.__class__.__name__}: {error}"
    done = {"last_error": message[:ERROR_CHARS], "claim": None, "leased_until": None, "refused": refused}
    if refused or job.attempts >= settings.PDF_RENDER_ATTEMPTS:
        _mine(job.pk, token).update(status=RenderJob.Status.FAILED, finished_at=timezone.now(), **done)
        return
    retry_at = timezone.now() + retry_delay(job.attempts)
    try:
        with transaction.atomic():
            requeued = _mine(job.pk, token).update(status=RenderJob.Status.QUEUED, run_after=retry_at, **done)
    except IntegrityError:  # a newer request is already waiting and will do the work
        _mine(job.pk, token).update(status=RenderJob.Status.FAILED, finished_at=timezone.now(), **done)
        return
    if requeued:
        enqueue(job.pk, run_after=retry_at)


# --- finding lost and missing work ----------------------------------------------
def sweep(grace_seconds: float | None = None) -> int:
    """Re-enqueue jobs whose task was lost, and request PDFs that are missing. Returns how many."""
    grace = timedelta(seconds=settings.PDF_RENDER_LEASE_SECONDS if grace_seconds is None else grace_seconds)
    now = timezone.now()
    lost = RenderJob.objects.filter(
        Q(status=RenderJob.Status.QUEUED, run_after__lte=now - grace)
        | Q(status=RenderJob.Status.RUNNING, leased_until__lt=now)
    )
    count = 0
    for job_id in lost.values_list("pk", flat=True):
        enqueue(job_id)
        count += 1
    for kind, renderer in RENDERERS.items():
        for object_id, user in renderer.missing():
            with transaction.atomic():
                request_render(kind, object_id, user)
            count += 1
    if count:
        logger.info("PDF sweep: %s job(s) enqueued", count)
    return count


def schedule_next_sweep() -> None:
    """Keep one periodic sweep waiting in the queue (database backend only)."""
    if not sweep_pdfs.get_backend().supports_defer:
        return
    waiting = DBTaskResult.objects.filter(task_path=sweep_pdfs.module_path, status="READY")
    if waiting.exists():
        return
    sweep_pdfs.using(run_after=timezone.now() + timedelta(seconds=settings.PDF_SWEEP_SECONDS)).enqueue()


# --- the background tasks (django-tasks) ----------------------------------------
@task()
def render_pdf(job_id: int) -> str:
    return run_job(job_id)


@task()
def sweep_pdfs() -> int:
    found = sweep()
    schedule_next_sweep()
    return found
