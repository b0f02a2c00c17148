from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from her2app.plans.models import PlanDocument, PlanDose, PlanTransition, TreatmentPlan


class PlanDoseInline(admin.TabularInline):
    model = PlanDose
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in PlanDose._meta.fields]


class PlanTransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "at", "reason"]


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(SimpleHistoryAdmin):
    """Read-only: plans change only through the plan pages (actions.py)."""

    list_display = ["pk", "case", "version", "regimen", "state", "approved_by", "approved_at"]
    list_filter = ["state", "regimen"]
    search_fields = ["case__patient__mrn", "case__patient__family_name"]
    inlines = [PlanDoseInline, PlanTransitionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanDocument)
class PlanDocumentAdmin(admin.ModelAdmin):
    list_display = ["pk", "plan", "version", "plan_state", "sha256", "created_by", "created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
