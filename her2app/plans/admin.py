from django.contrib import admin

from her2app.accounts.readonly_admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline
from her2app.plans.models import PlanDocument, PlanDose, PlanTransition, TreatmentPlan


class PlanDoseInline(ReadOnlyInline):
    model = PlanDose


class PlanTransitionInline(ReadOnlyInline):
    model = PlanTransition


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(ReadOnlyHistoryAdmin):
    """View-only: plans are created, signed and changed only through the plan pages (actions.py)."""

    list_display = ["pk", "case", "version", "regimen", "state", "approved_by", "approved_at"]
    list_filter = ["state", "regimen"]
    search_fields = ["case__patient__mrn", "case__patient__family_name"]
    inlines = [PlanDoseInline, PlanTransitionInline]


@admin.register(PlanDose)
class PlanDoseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["pk", "plan", "drug", "phase", "calculated_mg", "final_mg"]


@admin.register(PlanTransition)
class PlanTransitionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "plan", "from_state", "to_state", "by", "at"]


@admin.register(PlanDocument)
class PlanDocumentAdmin(ReadOnlyAdmin):
    """View-only: documents are rendered and checksummed by the server (plans/documents.py)."""

    list_display = ["pk", "plan", "version", "plan_state", "sha256", "created_by", "created_at"]
