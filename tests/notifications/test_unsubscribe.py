"""One-click unsubscribe: a signed link per person and kind of email, the RFC 8058 headers,
and a kind turned off is recorded but never sent."""

import datetime
import email
import email.policy
import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from notifications.links import unsubscribe_token, unsubscribe_url
from notifications.models import Notification, NotificationOptOut
from notifications.services import notification_create, notification_deliver
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

CONTEXT = {
    "topic": "Kick-off",
    "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
    "link": "https://cairn.example/plans/1/",
}


def notice(person, key="notice-1"):
    return notification_create(
        recipient=person, kind="test_notice", context=CONTEXT, idempotency_key=key
    )


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_an_unsubscribable_email_carries_the_one_click_headers_and_footer_links(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notice(user)

    message = mail.outbox[0]
    url = unsubscribe_url(user_id=user.pk, kind="test_notice")
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these emails: {url}" in message.body
    assert "Choose which emails you get: http://" in message.body
    html = message.alternatives[0].content
    assert f'href="{url}"' in html and "Choose which emails you get" in html
    # The row keeps the marker, not the link.
    assert "[[cairn:unsubscribe_url]]" in notification.body_text
    assert url not in notification.body_text + notification.body_html


def test_the_headers_reach_the_mail_server(user, smtp_server):
    notice(user)
    notification_deliver(notification_id=Notification.objects.get().pk)
    sent = email.message_from_bytes(smtp_server.accepted[0], policy=email.policy.default)
    assert sent["List-Unsubscribe"] == f"<{unsubscribe_url(user_id=user.pk, kind='test_notice')}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("kind", ["password_reset", "plan_invitation"])
def test_account_emails_carry_no_unsubscribe_header_or_link(kind, user, plan):
    context = {"plan": plan, "role": "participant", "added_by": "Ada"}
    notification_create(recipient=user, kind=kind, context=context, idempotency_key="account")
    notification_deliver(notification_id=Notification.objects.get().pk)

    message = mail.outbox[0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    assert "Stop these emails" not in message.body
    assert "Stop these emails" not in message.alternatives[0].content


def test_opening_the_link_asks_first_and_changes_nothing(client, user):
    url = unsubscribe_url(user_id=user.pk, kind="test_notice")
    page = client.get(path_of(url))
    assert page.status_code == 200
    assert "Stop these emails?" in page.text
    assert "test notices" in page.text and user.email in page.text
    assert not NotificationOptOut.objects.exists()


def test_a_post_to_the_link_turns_the_kind_off_without_signing_in_or_a_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(user_id=user.pk, kind="test_notice")
    # What a mail client sends for a one-click unsubscribe (RFC 8058).
    response = client.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more of these emails" in response.text
    assert NotificationOptOut.objects.filter(user=user, kind="test_notice").exists()

    # A second click changes nothing more; undo turns it back on.
    client.post(path_of(url))
    assert NotificationOptOut.objects.count() == 1
    back = client.post(path_of(url), {"resubscribe": "1"})
    assert "back on" in back.text
    assert not NotificationOptOut.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "W1siMSIsInRlc3Rfbm90aWNlIl1d:forged:signature",
        # Signed with another salt, as another feature's token would be.
        signing.Signer(salt="something.else").sign_object([1, "test_notice"]),
    ],
)
def test_a_bad_token_is_not_found(client, user, token):
    assert client.get(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert not NotificationOptOut.objects.exists()


def test_a_token_for_an_account_email_or_an_unknown_kind_or_person_is_not_found(client, user):
    for user_id, kind in [
        (user.pk, "password_reset"),
        (user.pk, "no_such_kind"),
        (0, "test_notice"),
    ]:
        url = reverse(
            "notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)]
        )
        assert client.post(url).status_code == 404
    assert not NotificationOptOut.objects.exists()


def test_a_kind_turned_off_is_recorded_as_skipped_and_never_sent(
    client, user, django_capture_on_commit_callbacks
):
    client.post(path_of(unsubscribe_url(user_id=user.pk, kind="test_notice")))
    with django_capture_on_commit_callbacks(execute=True):
        notification = notice(user)
        again = notice(user)

    assert notification.pk == again.pk
    assert notification.status == Notification.Status.SKIPPED
    assert notification.get_status_display() == "Skipped (turned off by the recipient)"
    assert notification_deliver(notification_id=notification.pk).sent is False
    assert mail.outbox == []
    # Someone else still gets theirs.
    with django_capture_on_commit_callbacks(execute=True):
        notice(UserFactory(), key="notice-2")
    assert len(mail.outbox) == 1


def test_an_email_queued_before_the_kind_was_turned_off_is_skipped_when_its_turn_comes(
    client, user
):
    notification = notice(user)  # queued; its task runs after commit, which this test never does
    client.post(path_of(unsubscribe_url(user_id=user.pk, kind="test_notice")))

    assert notification_deliver(notification_id=notification.pk).sent is False
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SKIPPED
    assert notification.attempts == 0
    assert mail.outbox == []


def test_the_link_in_the_email_is_the_one_that_works(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice(user)
    url = re.search(r"Stop these emails: (\S+)", mail.outbox[0].body).group(1)
    client.post(path_of(url))
    assert NotificationOptOut.objects.filter(user=user, kind="test_notice").exists()
