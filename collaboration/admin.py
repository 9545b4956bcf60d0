from django.contrib import admin

from collaboration.models import ChatMessage, Project, ProjectMilestone


class ReadOnlyInline(admin.TabularInline):
    """Milestones and chat change through the project page, which emails the client and posts
    to the chat; the admin site only shows them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MilestoneInline(ReadOnlyInline):
    model = ProjectMilestone
    fields = ["due_date", "title", "completed_at", "completed_by", "version"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["consultant", "client"]
    date_hierarchy = "completion_date"
    readonly_fields = [
        "payment_amount",
        "payment_received_on",
        "payment_reference",
        "payment_recorded_by",
        "payment_recorded_at",
        "milestones_opened_at",
        "milestones_opened_by",
        "next_no_milestones_reminder_at",
        "no_milestones_reminders_sent",
        "created_by",
        "created_at",
    ]
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
                ]
            },
        ),
        (
            "Initial payment (recorded on the project page)",
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
            "Milestones section (opened on the project page)",
            {
                "fields": [
                    "milestones_opened_at",
                    "milestones_opened_by",
                    "next_no_milestones_reminder_at",
                    "no_milestones_reminders_sent",
                ]
            },
        ),
        ("History", {"fields": ["created_by", "created_at"]}),
    ]
    inlines = [MilestoneInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "project", "kind", "author", "body"]
    list_filter = ["kind", "event"]
    search_fields = ["body", "project__title"]
    list_select_related = ["project", "author"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
