"""The admin site shows projects, milestones and chat to support staff; it changes none of them.

Projects are read-only here rather than saved through the services: platform admins already
create, edit, pay and open projects on the project pages, through those services and their
messages, so a second way in would only be a second place for the rules to drift. Milestones
and chat messages are read-only because every milestone change must post to the chat and
email the client (the services do both in one transaction), and the chat is the project's
record of who changed what: deleting a project, a milestone or a message here would rewrite
that record without telling anyone.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from collaboration.models import ChatMessage, Deliverable, Project, ProjectMilestone
from common.admin import ReadOnlyAdminMixin


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectMilestone
    fields = ["due_date", "title", "completed_at", "completed_by", "accepted_at", "version"]
    readonly_fields = fields
    extra = 0


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "consultant",
        "client",
        "completion_date",
        "initial_payment_required",
        "payment_received_on",
        "milestones_opened_at",
    ]
    list_filter = ["initial_payment_required", "completion_date"]
    search_fields = ["title", "consultant__email", "client__email", "payment_reference"]
    list_select_related = ["consultant", "client"]
    date_hierarchy = "completion_date"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "consultant",
                    "client",
                    "completion_date",
                    "initial_payment_required",
                    "acceptance_required",
                ]
            },
        ),
        (
            _("Initial payment (recorded on the project page)"),
            {
                "fields": [
                    "payment_amount",
                    "payment_received_on",
                    "payment_reference",
                    "payment_recorded_by",
                    "payment_recorded_at",
                ]
            },
        ),
        (
            _("Milestones section (opened on the project page)"),
            {
                "fields": [
                    "milestones_opened_at",
                    "milestones_opened_by",
                    "next_no_milestones_reminder_at",
                    "no_milestones_reminders_sent",
                ]
            },
        ),
        (_("History"), {"fields": ["created_by", "created_at"]}),
    ]
    inlines = [MilestoneInline]


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "project", "kind", "author", "body"]
    list_filter = ["kind", "event"]
    search_fields = ["body", "project__title"]
    list_select_related = ["project", "author"]
    date_hierarchy = "created_at"


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Listed for support; the files themselves are downloaded from the project page, where
    access is checked."""

    list_display = ["title", "milestone", "filename", "url", "added_by", "added_at"]
    search_fields = ["title", "milestone__title", "milestone__project__title"]
    list_select_related = ["milestone", "added_by"]
    fields = ["milestone", "title", "filename", "url", "added_by", "added_at"]
    readonly_fields = fields
