import datetime
import email

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    SENDING_TIMEOUT,
    notification_create,
    notification_deliver,
    notifications_sweep,
)
from notifications.tasks import send_notification, sweep_notifications

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("test_kind")]

CONTEXT = {
    "topic": "Kick-off",
    "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
    "link": "https://cairn.example/plans/1/",
}


def create(user, key="key-1", **kwargs):
    return notification_create(
        recipient=user, kind="test_notice", context=CONTEXT, idempotency_key=key, **kwargs
    )


def test_email_is_recorded_and_sent_once_the_transaction_commits(user):
    with transaction.atomic():
        notification = create(user, subject_object=user)
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == f"Kick-off: a notice for {user}"
    assert CONTEXT["link"] in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and CONTEXT["link"] in html
    assert message.extra_headers["Message-ID"] == notification.message_id

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.subject_object == user


def test_a_rolled_back_change_leaves_no_email(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        create(user)
        raise RuntimeError("the change failed")

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_same_idempotency_key_records_and_sends_one_email(user):
    first = create(user)
    second = create(user)

    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_text_body_is_not_html_escaped(user):
    create(user, key="k", subject_object=None)
    assert "&amp;" not in mail.outbox[0].body
    notification_create(
        recipient=user,
        kind="test_notice",
        context={**CONTEXT, "link": "https://x.example/?a=1&b=2"},
        idempotency_key="amp",
    )
    assert "https://x.example/?a=1&b=2" in mail.outbox[1].body
    assert "https://x.example/?a=1&amp;b=2" in mail.outbox[1].alternatives[0].content


def test_a_second_delivery_of_the_task_sends_nothing(user):
    notification = create(user)
    send_notification.apply(args=[notification.pk])
    send_notification.apply(args=[notification.pk])

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_notification_in_flight_is_left_to_its_worker(user):
    with transaction.atomic():
        notification = create(user)
        # Another worker has claimed it between commit and this task.
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.SENDING, claimed_at=timezone.now()
        )

    assert mail.outbox == []
    assert notification_deliver(notification_id=notification.pk).sent is False
    assert mail.outbox == []


def test_a_temporary_smtp_error_is_recorded_and_retried_with_backoff(user, smtp_server):
    smtp_server.replies = ["451 4.3.0 Mailbox temporarily unavailable"]
    notification = create(user)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 1
    assert "451" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    assert smtp_server.accepted == []

    # Not due yet: a sweep now sends nothing.
    notifications_sweep()
    assert smtp_server.accepted == []

    with time_machine.travel(notification.next_attempt_at + datetime.timedelta(minutes=3)):
        sweep_notifications.apply()

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert notification.last_error == ""
    assert len(smtp_server.accepted) == 1
    sent = email.message_from_bytes(smtp_server.accepted[0])
    assert sent["Message-ID"] == notification.message_id


def test_the_wait_between_attempts_grows(user, smtp_server):
    smtp_server.replies = ["421 4.7.0 Try again later"] * 3
    notification = create(user)
    waits = []
    for _ in range(2):
        notification.refresh_from_db()
        waits.append(notification.next_attempt_at - timezone.now())
        with time_machine.travel(notification.next_attempt_at + datetime.timedelta(seconds=1)):
            notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.attempts == 3
    assert waits[0] < waits[1]


def test_a_permanent_smtp_error_fails_at_once(user, smtp_server):
    smtp_server.replies = ["550 5.1.1 No such user"]
    notification = create(user)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert "550" in notification.last_error

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        notifications_sweep()
    assert smtp_server.accepted == []


def test_retries_stop_after_the_maximum_number_of_attempts(user, smtp_server, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    smtp_server.replies = ["451 busy", "451 busy", "451 busy"]
    notification = create(user)
    notification.refresh_from_db()
    with time_machine.travel(notification.next_attempt_at + datetime.timedelta(seconds=1)):
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 2


def test_an_unreachable_server_is_a_temporary_error(user, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    notification = create(user)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.last_error.startswith("ConnectionRefusedError")


def test_the_sweeper_requeues_a_claim_whose_worker_died(user):
    with transaction.atomic():
        notification = create(user)
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.SENDING, claimed_at=timezone.now(), attempts=1
        )

    notifications_sweep()
    assert mail.outbox == []  # still within the claim's time

    with time_machine.travel(timezone.now() + SENDING_TIMEOUT + datetime.timedelta(minutes=1)):
        assert notifications_sweep() == 1

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


def test_the_sweeper_sends_a_queued_row_whose_task_was_lost(user):
    with transaction.atomic():
        notification = create(user)
        transaction.get_connection().run_on_commit.clear()  # the broker lost the message

    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        notifications_sweep()
        notifications_sweep()

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_admin_lists_the_outbox_and_retries_failed_emails(
    client, platform_admin, user, smtp_server
):
    smtp_server.replies = ["550 5.1.1 No such user"]
    notification = create(user)
    client.force_login(platform_admin)

    page = client.get(reverse("admin:notifications_notification_changelist"))
    assert page.status_code == 200
    assert user.email in page.text and "Failed" in page.text

    response = client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "requeue", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert "1 email(s) queued again." in response.text
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(smtp_server.accepted) == 1
    assert admin_site.is_registered(Notification)


def test_admin_filters_by_scope_and_shows_attachments_and_headers(platform_admin_client, user):
    from notifications.services import Attachment

    notification = create(
        user,
        scope="plan:3",
        attachments=[Attachment("invite.ics", "text/calendar", "BEGIN:VCALENDAR")],
        headers={"X-Cairn-Event": "session-confirmed"},
    )
    create(user, key="other", scope="plan:4")
    changelist = reverse("admin:notifications_notification_changelist")

    page = platform_admin_client.get(changelist, {"scope": "plan:3"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert "plan:3" in page.text

    page = platform_admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert "invite.ics" in page.text and "X-Cairn-Event" in page.text
    assert "Test notices" in page.text  # the kind's label
