"""A PDF that must exist: one durable row per request to render a document.

The row is written in the same transaction as the change that needs the PDF
(a signature, a print request), so a crash between the two cannot lose the
request. Workers claim a job with one conditional UPDATE, render, and store
the document and mark the job done in one transaction; a failure is recorded
and retried later (see her2app.rendering.jobs).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RenderJob(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", "Treatment plan PDF"
        AGENDA = "agenda", "Tumour-board agenda PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Being rendered"
        DONE = "done", "Done"
        FAILED = "failed", "Failed (no more retries)"

    OPEN = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(help_text="The plan or meeting to print")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    run_after = models.DateTimeField(default=timezone.now, help_text="Not before this time (retry back-off)")
    claim = models.UUIDField(null=True, blank=True, help_text="Token of the attempt now running")
    leased_until = models.DateTimeField(null=True, blank=True, help_text="Another worker may take over after this")
    last_error = models.TextField(blank=True, help_text="Why the last attempt failed (for administrators)")
    refused = models.BooleanField(default=False, help_text="Failed for a reason retrying cannot fix")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="render_job_target"),
            models.Index(fields=["status", "run_after"], name="render_job_due"),
        ]
        constraints = [
            # At most one waiting job per document to print: a second request joins it.
            models.UniqueConstraint(
                fields=["kind", "object_id"], condition=Q(status="queued"), name="render_job_one_waiting_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def retrying(self) -> bool:
        """Open after at least one failed attempt."""
        return self.is_open and bool(self.last_error)


class StoredPdf(models.Model):
    """A rendered PDF in Django storage, with the SHA-256 of the bytes the server rendered.
    A concrete document adds what it belongs to, its `version` and its `file` (with the path it is stored at)."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def verify_checksum(self, content: bytes | None = None) -> bool:
        """True when the bytes (the stored ones, if none are given) hash to the SHA-256 recorded at creation."""
        try:
            content = self.read_bytes() if content is None else content
        except (FileNotFoundError, OSError):
            return False
        return hashlib.sha256(content).hexdigest() == self.sha256
