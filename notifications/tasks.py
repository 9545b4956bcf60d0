from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_notification(notification_id: int) -> None:
    result = services.notification_deliver(notification_id=notification_id)
    if result.retry_at is not None:
        delay = (result.retry_at - timezone.now()).total_seconds()
        # A longer ETA would outlive the broker's visibility timeout and be delivered
        # twice; past the cap the sweeper picks the row up when it is due.
        if delay <= settings.NOTIFICATIONS_MAX_COUNTDOWN:
            send_notification.apply_async((notification_id,), countdown=max(delay, 0))


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    return services.notifications_sweep()
