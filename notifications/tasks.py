import math
from datetime import UTC, datetime

from celery import shared_task

from notifications import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_notification(notification_id: int) -> None:
    _retry_later(services.notifications_deliver(notification_ids=[notification_id]))


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_notifications(notification_ids: list[int]) -> None:
    """Send a batch of rows over one connection to the mail server."""
    _retry_later(services.notifications_deliver(notification_ids=notification_ids))


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    return services.notifications_sweep()


def _retry_later(results: dict[int, services.DeliveryResult]) -> None:
    moments: dict[datetime, list[int]] = {}
    for notification_id, result in results.items():
        if result.retry_at is not None:
            # Rounded up to ten seconds, so the rows of a batch that failed alike, moments
            # apart, are retried by one task.
            moment = datetime.fromtimestamp(math.ceil(result.retry_at.timestamp() / 10) * 10, UTC)
            moments.setdefault(moment, []).append(notification_id)
    for due, notification_ids in moments.items():
        services.notifications_enqueue(notification_ids=notification_ids, due=due)
