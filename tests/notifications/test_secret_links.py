"""Password and invitation links are secrets: the outbox keeps a marker where they go and
builds them only when the email is sent."""

import email
import email.policy

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bip.services import membership_add
from notifications.models import Notification
from notifications.services import notification_create, notification_deliver
from tests.passwords import choose_password, password_link

pytestmark = pytest.mark.django_db


def stored_text(notification: Notification) -> str:
    return " ".join(
        [
            notification.subject,
            notification.body_text,
            notification.body_html,
            str(notification.headers),
        ]
    )


def test_a_password_reset_row_holds_a_marker_and_the_email_a_working_link(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})

    notification = user.notifications.get()
    assert notification.status == Notification.Status.SENT
    assert "[[cairn:reset_url]]" in notification.body_text
    assert "[[cairn:reset_url]]" in notification.body_html
    assert "/accounts/password/reset/" not in stored_text(notification)

    message = mail.outbox[0]
    link = password_link(message.body)
    assert link.rsplit("-", 2)[-1] not in stored_text(notification)
    html = message.alternatives[0].content
    assert link in html
    assert "[[cairn:" not in message.body + html

    choose_password(client, message.body, "fresh-passphrase-42")
    user.refresh_from_db()
    assert user.check_password("fresh-passphrase-42")


def test_a_plan_invitation_keeps_its_set_password_link_out_of_the_outbox(
    client, plan, platform_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership_add(
            plan=plan, email="new@example.com", role="participant", added_by=platform_admin
        )

    person = User.objects.get(email="new@example.com")
    notification = person.notifications.get()
    assert notification.kind == "plan_invitation"
    assert "[[cairn:set_password_url]]" in notification.body_text
    assert "/accounts/password/reset/" not in stored_text(notification)

    choose_password(client, mail.outbox[0].body, "invited-passphrase-7")
    assert client.login(username="new@example.com", password="invited-passphrase-7")


def test_the_admin_site_shows_the_marker_not_the_link(
    admin_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("account_reset_password"), {"email": user.email})
    notification = user.notifications.get()
    token = password_link(mail.outbox[0].body).rstrip("/").rsplit("-", 2)[-1]

    page = admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert page.status_code == 200
    assert "[[cairn:reset_url]]" in page.text
    assert token not in page.text
    assert admin_site.is_registered(Notification)


def test_a_retried_email_gets_its_link_again_under_the_same_message_id(user, smtp_server):
    smtp_server.replies = ["451 try later"]
    notification = notification_create(
        recipient=user, kind="password_reset", context={}, idempotency_key="reset-retry"
    )
    assert not notification_deliver(notification_id=notification.pk).sent
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert notification_deliver(notification_id=notification.pk).sent

    sent = email.message_from_bytes(smtp_server.accepted[0], policy=email.policy.default)
    assert sent["Message-ID"] == notification.message_id
    assert password_link(sent.get_body(("plain",)).get_content())
