"""A plan's PDF documents: rendered by the server, stored with the SHA-256 of
exactly the bytes it rendered, produced in the background, and reported
clearly while they do not exist yet.

Approval asks for the PDFs in its own transaction (`request_documents`); a
worker renders them (her2app.rendering). Nothing here takes a checksum, a
file or a state from a person: the server computes all three.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from her2app.plans.as_given import schedule_as_given
from her2app.plans.models import PlanDocument, PlanState, TreatmentPlan
from her2app.plans.pdf import render_plan_pdf
from her2app.rendering import jobs
from her2app.rendering.jobs import PdfStatus
from her2app.rendering.models import RenderJob

KIND = RenderJob.Kind.PLAN
PRINTED_AFTER_SIGNATURE = (PlanState.APPROVED, PlanState.VERIFIED, PlanState.ON_HOLD, PlanState.SUPERSEDED)


def _plan_for_print(pk: int) -> TreatmentPlan:
    return TreatmentPlan.objects.select_related("case__patient", "approved_by", "chosen_by").get(pk=pk)


def store_plan_document(plan: TreatmentPlan, content: bytes, user) -> PlanDocument:
    """Store rendered bytes as the plan's next document, checksummed here from those bytes."""
    with transaction.atomic():
        highest = PlanDocument.objects.filter(plan=plan).aggregate(highest=Max("version"))["highest"]
        document = PlanDocument(
            plan=plan,
            version=(highest or 0) + 1,
            plan_state=plan.state,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            created_by=user,
        )
        document.file.save("plan.pdf", ContentFile(content), save=False)
        document.save()
    return document


def _render(plan: TreatmentPlan) -> bytes:
    """The plan as it stands, with its schedule as given and re-flowed today once anything is recorded."""
    return render_plan_pdf(plan, schedule=schedule_as_given(plan, timezone.localdate()))


def render_plan_document(plan: TreatmentPlan, user) -> PlanDocument:
    """Render the plan as it stands and store it now, in this process (tests and benchmarks; the app asks the
    worker, request_documents)."""
    plan = _plan_for_print(plan.pk)
    return store_plan_document(plan, _render(plan), user)


# --- in the background ---------------------------------------------------------
def request_documents(plan: TreatmentPlan, user) -> None:
    """Ask for the plan's PDF, and a SUPERSEDED copy of each superseded version of
    the case whose latest PDF does not say so yet. Call inside the transaction of
    the change that needs them; the worker starts once it commits."""
    jobs.request_render(KIND, plan.pk, user)
    for older in _superseded_without_superseded_pdf(plan.case_id):
        jobs.request_render(KIND, older.pk, user)


def _superseded_without_superseded_pdf(case_id: int) -> list[TreatmentPlan]:
    latest_state = PlanDocument.objects.filter(plan=OuterRef("pk")).order_by("-version").values("plan_state")[:1]
    return list(
        TreatmentPlan.objects.filter(case_id=case_id, state=PlanState.SUPERSEDED)
        .annotate(latest_state=Subquery(latest_state))
        .filter(Q(latest_state__isnull=True) | ~Q(latest_state=PlanState.SUPERSEDED))
    )


def _render_for_job(job: RenderJob) -> Callable[[], object]:
    plan = _plan_for_print(job.object_id)
    content = _render(plan)
    printed = (plan.state, plan.edit_version)

    def store() -> PlanDocument | None:
        locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        if (locked.state, locked.edit_version) != printed:
            # Changed while rendering: these bytes no longer show the plan; render it again.
            jobs.request_render(KIND, plan.pk, job.requested_by)
            return None
        return store_plan_document(locked, content, job.requested_by)

    return store


def _plans_missing_pdf() -> Iterable[tuple[int, object]]:
    """Signed plans without a PDF of their current state and without a job for one
    (e.g. approved while no worker ran, or before background rendering existed)."""
    current = PlanDocument.objects.filter(plan=OuterRef("pk"), plan_state=OuterRef("state"))
    handled = RenderJob.objects.filter(
        kind=KIND, object_id=OuterRef("pk"),
        status__in=[RenderJob.Status.QUEUED, RenderJob.Status.RUNNING, RenderJob.Status.FAILED],
    )
    plans = (
        TreatmentPlan.objects.filter(state__in=PRINTED_AFTER_SIGNATURE)
        .exclude(Exists(current))
        .exclude(Exists(handled))
        .select_related("approved_by")
    )
    return [(plan.pk, plan.approved_by) for plan in plans]


RENDERER = jobs.Renderer(render=_render_for_job, missing=_plans_missing_pdf)


# --- telling people where the PDF is ---------------------------------------------
def pdf_status(plan: TreatmentPlan) -> PdfStatus:
    document = plan.documents.filter(plan_state=plan.state).select_related("created_by").order_by("-version").first()
    return PdfStatus(document=document, job=jobs.latest_job(KIND, plan.pk))


def with_pdf_status(plans: QuerySet) -> QuerySet:
    """Annotate each plan with `pdf_ready` and the status of its latest PDF job (for lists)."""
    latest_job = RenderJob.objects.filter(kind=KIND, object_id=OuterRef("pk")).order_by("-requested_at", "-pk")
    return plans.annotate(
        pdf_ready=Exists(PlanDocument.objects.filter(plan=OuterRef("pk"), plan_state=OuterRef("state"))),
        pdf_job_status=Subquery(latest_job.values("status")[:1]),
    )


def retry_documents(plan: TreatmentPlan, user) -> None:
    """A person asks for the PDF again (after a failure, or for a draft)."""
    with transaction.atomic():
        request_documents(plan, user)
