"""Admin classes for clinical records: view-only for every user, superusers included.

A clinical record changes only through its app's actions, which check the
signature and write the audit row; the admin can show records but never add,
change, delete or revert one (a superuser passes every permission check, so
the refusal is in the class, not in the permissions).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ViewOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ViewOnly, admin.TabularInline):
    extra = 0


class ReadOnlyHistoryAdmin(ViewOnly, SimpleHistoryAdmin):
    """History is shown; its "revert" form refuses every POST (simple-history checks only view permission there)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Clinical records cannot be reverted from the admin.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True
