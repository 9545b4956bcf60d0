"""A batch of rows goes out over one SMTP connection, each row's outcome recorded as for a
single email; no row is sent twice."""

import datetime
import email

import pytest
import time_machine
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Notification
from notifications.services import (
    SENDING_TIMEOUT,
    notifications_create_many,
    notifications_deliver,
    notifications_sweep,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

CONTEXT = {
    "topic": "Kick-off",
    "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
    "link": "https://cairn.example/plans/1/",
}


def queued(count: int, key="change") -> list[int]:
    """Rows recorded for `count` people; their tasks never run (the test's transaction is
    never committed), so each test sends them itself."""
    people = [UserFactory() for _ in range(count)]
    notifications_create_many(
        recipients=people, kind="test_notice", context=CONTEXT, idempotency_key=key
    )
    return list(Notification.objects.order_by("pk").values_list("pk", flat=True))


def statuses(ids):
    return [Notification.objects.get(pk=pk).status for pk in ids]


def test_a_batch_is_sent_over_one_connection(smtp_server):
    ids = queued(30)
    results = notifications_deliver(notification_ids=ids)

    assert all(result.sent for result in results.values()) and len(results) == 30
    assert len(smtp_server.accepted) == 30
    assert smtp_server.connections == 1
    assert set(statuses(ids)) == {Notification.Status.SENT}
    message_ids = {email.message_from_bytes(raw)["Message-ID"] for raw in smtp_server.accepted}
    assert message_ids == set(Notification.objects.values_list("message_id", flat=True))


def test_only_queued_and_due_rows_of_a_batch_are_sent(smtp_server):
    ids = queued(6)
    now = timezone.now()
    sent, failed, skipped, in_flight, later, ready = ids
    Notification.objects.filter(pk=sent).update(status="sent", sent_at=now)
    Notification.objects.filter(pk=failed).update(status="failed")
    Notification.objects.filter(pk=skipped).update(status="skipped")
    Notification.objects.filter(pk=in_flight).update(status="sending", claimed_at=now)
    Notification.objects.filter(pk=later).update(next_attempt_at=now + datetime.timedelta(hours=1))

    results = notifications_deliver(notification_ids=ids)

    assert list(results) == [ready]
    assert len(smtp_server.accepted) == 1
    assert statuses(ids) == ["sent", "failed", "skipped", "sending", "queued", "sent"]


def test_the_same_batch_delivered_twice_sends_each_row_once(smtp_server):
    ids = queued(5)
    tasks.send_notifications.apply(args=[ids])
    tasks.send_notifications.apply(args=[ids])
    assert len(smtp_server.accepted) == 5
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_refused_row_is_recorded_and_the_rest_of_the_batch_still_goes(smtp_server):
    ids = queued(5)
    smtp_server.replies = ["250 OK", "451 4.3.0 Busy", "550 5.1.1 No such user"]

    results = notifications_deliver(notification_ids=ids)

    assert statuses(ids) == ["sent", "queued", "failed", "sent", "sent"]
    assert results[ids[1]].retry_at is not None and results[ids[2]].retry_at is None
    busy = Notification.objects.get(pk=ids[1])
    assert "451" in busy.last_error and busy.next_attempt_at > timezone.now()
    assert len(smtp_server.accepted) == 3


def test_a_retry_keeps_the_message_id(smtp_server):
    ids = queued(2)
    smtp_server.replies = ["451 Busy"]
    notifications_deliver(notification_ids=ids)
    busy = Notification.objects.get(pk=ids[0])
    with time_machine.travel(busy.next_attempt_at + datetime.timedelta(seconds=1)):
        notifications_deliver(notification_ids=ids)

    busy.refresh_from_db()
    assert busy.status == "sent" and busy.attempts == 2
    assert [email.message_from_bytes(raw)["Message-ID"] for raw in smtp_server.accepted] == [
        Notification.objects.get(pk=ids[1]).message_id,
        busy.message_id,
    ]


def test_an_unreachable_server_puts_the_whole_batch_back_for_a_retry(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    ids = queued(4)
    results = notifications_deliver(notification_ids=ids)

    assert all(result.retry_at for result in results.values())
    for row in Notification.objects.all():
        assert row.status == "queued" and row.attempts == 1
        assert row.last_error.startswith("ConnectionRefusedError")


def test_the_failed_rows_of_a_batch_are_retried_by_one_task(
    smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    ids = queued(4)
    smtp_server.replies = ["451 Busy", "250 OK", "451 Busy"]
    retries = []
    monkeypatch.setattr(
        tasks.send_notifications, "apply_async", lambda args, **kw: retries.append((args, kw))
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_notifications.run(ids)

    ((args, options),) = retries
    assert sorted(args[0]) == [ids[0], ids[2]]
    assert 60 <= options["countdown"] <= 70


def test_the_sweeper_takes_back_a_dead_workers_claim_and_sends_late_rows_in_batches(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "SEND_BATCH", 3)
    ids = queued(7)
    Notification.objects.filter(pk__in=ids[:2]).update(
        status="sending", claimed_at=timezone.now(), attempts=1
    )
    batches = []
    monkeypatch.setattr(
        tasks.send_notifications, "apply_async", lambda args, **kw: batches.append(args[0])
    )
    later = timezone.now() + SENDING_TIMEOUT + datetime.timedelta(minutes=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert notifications_sweep() == 7
    assert sorted(pk for batch in batches for pk in batch) == ids
    assert [len(batch) for batch in batches] == [3, 3, 1]
