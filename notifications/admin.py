from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from notifications.models import Notification, NotificationOptOut
from notifications.services import notification_requeue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient_name",
        "to_email",
        "subject",
        "scope",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "kind", "scope"]
    search_fields = ["to_email", "to_name", "subject", "idempotency_key", "message_id", "scope"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["requeue"]
    readonly_fields = [f.name for f in Notification._meta.fields] + [
        "subject_object",
        "kind_label",
        "attachment_names",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "kind_label",
                    # Name and time zone are set only for someone with no account.
                    "recipient",
                    "to_email",
                    "to_name",
                    "to_time_zone",
                    "subject_object",
                    "scope",
                    "subject",
                ]
            },
        ),
        (
            gettext_lazy("Delivery"),
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
        (
            gettext_lazy("Message"),
            {
                # Secret links show as their [[cairn:...]] markers: they are built only
                # when the email is sent.
                "fields": [
                    "message_id",
                    "idempotency_key",
                    "headers",
                    "attachment_names",
                    "body_text",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Try the selected failed emails again"))
    def requeue(self, request, queryset):
        failed = queryset.filter(status=Notification.Status.FAILED)
        for notification in failed:
            notification_requeue(notification=notification)
        count = len(failed)
        self.message_user(
            request,
            # The English is pinned as written; the plural lets other languages agree.
            ngettext("%(count)d email(s) queued again.", "%(count)d email(s) queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationOptOut)
class NotificationOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "user__display_name", "email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "email", "kind", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
