import email

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_create
from notifications.tasks import send_notification
from tests.factories import UserFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services


def queue_is_empty() -> bool:
    return redis.Redis.from_url(settings.REDIS_URL).llen("celery") == 0


def test_a_notification_delivered_twice_is_sent_once(celery_worker, worker_smtp):
    user = UserFactory()
    with transaction.atomic():
        notification = notification_create(
            recipient=user,
            kind="password_reset",
            context={"reset_url": "https://cairn.example/reset/"},
            idempotency_key="worker-once",
        )
    # The broker hands the same task out a second time, as Redis does after a lost ack.
    send_notification.delay(notification.pk)

    def sent():
        notification.refresh_from_db()
        return notification.status == Notification.Status.SENT

    assert wait_for(sent), f"still {notification.status}: {notification.last_error}"
    assert wait_for(queue_is_empty)
    # Give the second delivery time to run to its end before counting.
    wait_for(lambda: len(worker_smtp.accepted) > 1, timeout=3)

    assert len(worker_smtp.accepted) == 1
    message = email.message_from_bytes(worker_smtp.accepted[0])
    assert message["Message-ID"] == notification.message_id
    assert message["To"] == user.email
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_password_reset_email_reaches_smtp_through_the_worker(celery_worker, worker_smtp, client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})

    assert wait_for(lambda: len(worker_smtp.accepted) == 1)
    message = email.message_from_bytes(worker_smtp.accepted[0])
    assert message["Subject"] == "Reset your Cairn password"
    assert user.notifications.get().status == Notification.Status.SENT
