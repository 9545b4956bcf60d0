from django.db.models import Count

from notifications.models import Notification


def outbox_summary() -> dict[str, int]:
    """How many emails are in each state, for the admins' overview."""
    counts = dict(Notification.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Notification.Status.values}
