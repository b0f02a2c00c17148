from django.contrib import admin

from her2app.accounts.readonly_admin import ReadOnlyAdmin
from her2app.rendering.models import RenderJob


@admin.register(RenderJob)
class RenderJobAdmin(ReadOnlyAdmin):
    """Every PDF job with its status, attempts and last error; failures first when filtered."""

    list_display = ["pk", "kind", "object_id", "status", "attempts", "run_after", "requested_by", "requested_at",
                    "last_error"]
    list_filter = ["status", "kind"]
