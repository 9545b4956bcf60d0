from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from jobs.models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a job is started from the page it belongs to and run by a worker; support
    staff look up how one went (its error, its attempts) here."""

    list_display = ["created_at", "kind", "subject", "started_by", "state", "done", "total"]
    list_filter = ["state", "kind"]
    search_fields = ["subject", "scope", "started_by__email", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["started_by"]
    exclude = ["params", "report"]
    readonly_fields = ["title"]
