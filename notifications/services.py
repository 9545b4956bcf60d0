"""The outbox: record an email with the change that causes it, send it once, retry it safely."""

import logging
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import models, transaction
from django.utils import timezone

from notifications.emails import render_email
from notifications.models import Notification

logger = logging.getLogger(__name__)

# A claimed row whose worker has said nothing for this long is taken to be lost.
SENDING_TIMEOUT = timedelta(minutes=10)
# A queued row that is this late was not picked up by its own task; the sweeper sends it.
QUEUED_GRACE = timedelta(minutes=2)


def notification_create(
    *,
    recipient,
    kind: str,
    context: dict,
    idempotency_key: str,
    subject_object: models.Model | None = None,
) -> Notification:
    """Record an email inside the caller's transaction and send it once that commits.

    Calling it again with the same idempotency key returns the existing row and sends
    nothing more.
    """
    rendered = render_email(kind, {"recipient": recipient, **context})
    notification, created = Notification.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "recipient": recipient,
            "to_email": recipient.email,
            "kind": kind,
            "subject_type": (
                ContentType.objects.get_for_model(subject_object) if subject_object else None
            ),
            "subject_id": str(subject_object.pk) if subject_object else "",
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
            "message_id": make_msgid(domain=_message_id_domain()),
        },
    )
    if created:
        _enqueue_on_commit(notification.pk)
    return notification


@dataclass(frozen=True)
class DeliveryResult:
    sent: bool = False
    retry_at: datetime | None = None


def notification_deliver(*, notification_id: int) -> DeliveryResult:
    """Send one queued notification, unless it is sent, failed, in flight or not yet due."""
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if (
            notification is None
            or notification.status != Notification.Status.QUEUED
            or notification.next_attempt_at > now
        ):
            return DeliveryResult()
        notification.status = Notification.Status.SENDING
        notification.claimed_at = now
        notification.attempts += 1
        notification.save(update_fields=["status", "claimed_at", "attempts"])

    # The row is claimed, so no other worker sends it while the SMTP conversation runs
    # outside any database transaction.
    try:
        _build_message(notification).send()
    except Exception as error:
        return _record_failure(notification, error)

    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "last_error"])
    return DeliveryResult(sent=True)


def notifications_sweep() -> int:
    """Queue again the rows whose own task was lost: late queued rows and stale claims."""
    now = timezone.now()
    with transaction.atomic():
        stale = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=stale).update(
            status=Notification.Status.QUEUED,
            next_attempt_at=now,
            last_error="The worker sending this email stopped before it finished.",
        )
        late = list(
            Notification.objects.filter(
                status=Notification.Status.QUEUED, next_attempt_at__lt=now - QUEUED_GRACE
            ).values_list("pk", flat=True)
        )
        for pk in [*stale, *late]:
            _enqueue_on_commit(pk)
    return len(stale) + len(late)


def notification_requeue(*, notification: Notification) -> None:
    """Give a failed email another try (an admin's decision, after fixing the cause)."""
    with transaction.atomic():
        updated = Notification.objects.filter(
            pk=notification.pk, status=Notification.Status.FAILED
        ).update(status=Notification.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0)
        if updated:
            _enqueue_on_commit(notification.pk)


def is_temporary(error: Exception) -> bool:
    """SMTP 4xx replies and network trouble are worth retrying; 5xx replies are final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout | OSError)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after each failed attempt, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def _record_failure(notification: Notification, error: Exception) -> DeliveryResult:
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    retry = is_temporary(error) and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS
    if retry:
        notification.status = Notification.Status.QUEUED
        notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
        logger.warning("Email %s failed, will retry: %s", notification.pk, notification.last_error)
    else:
        notification.status = Notification.Status.FAILED
        logger.error("Email %s failed for good: %s", notification.pk, notification.last_error)
    notification.save(update_fields=["status", "next_attempt_at", "last_error"])
    return DeliveryResult(retry_at=notification.next_attempt_at if retry else None)


def _build_message(notification: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        # The same Message-ID on every attempt lets receiving servers drop a duplicate.
        headers={"Message-ID": notification.message_id},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


def _message_id_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "cairn.localhost"


def _enqueue_on_commit(notification_id: int) -> None:
    from notifications.tasks import send_notification

    # robust: if the broker is down the row stays queued and the sweeper sends it later.
    transaction.on_commit(lambda: send_notification.delay(notification_id), robust=True)
