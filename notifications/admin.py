from django.contrib import admin, messages

from notifications.models import Notification
from notifications.services import notification_requeue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject", "idempotency_key", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["requeue"]
    readonly_fields = [f.name for f in Notification._meta.fields] + ["subject_object"]
    fieldsets = [
        (None, {"fields": ["kind", "recipient", "to_email", "subject_object", "subject"]}),
        (
            "Delivery",
            {
                "fields": [
                    "status",
                    "attempts",
                    "last_error",
                    "next_attempt_at",
                    "claimed_at",
                    "sent_at",
                    "created_at",
                ]
            },
        ),
        ("Message", {"fields": ["message_id", "idempotency_key", "body_text"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try the selected failed emails again")
    def requeue(self, request, queryset):
        failed = queryset.filter(status=Notification.Status.FAILED)
        for notification in failed:
            notification_requeue(notification=notification)
        self.message_user(request, f"{len(failed)} email(s) queued again.", messages.SUCCESS)
