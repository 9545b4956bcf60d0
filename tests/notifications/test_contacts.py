"""People with no account, emailed by address as a Contact, with the same guarantees as users:
their own name and time zone, one email per key, one-click unsubscribe. A Contact whose
address has an account is the account."""

import datetime
import email
import email.policy
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.links import UNSUBSCRIBE_SALT, unsubscribe_token, unsubscribe_url
from notifications.models import Notification, NotificationOptOut
from notifications.recipients import Contact
from notifications.selectors import scope_log
from notifications.services import (
    notification_create,
    notification_deliver,
    notification_kind_turn_off,
    notification_replace_pending,
    notification_requeue,
    notifications_create_many,
    notifications_deliver,
    notifications_replace_pending_many,
)
from tests.factories import ContactFactory, NotificationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

CONTEXT = {
    "topic": "Kick-off",
    "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
    "link": "https://cairn.example/plans/1/",
}
WINDOW = datetime.timedelta(minutes=2)


def notice(person, key="notice-1", context=CONTEXT, **kwargs):
    return notification_create(
        recipient=person, kind="test_notice", context=context, idempotency_key=key, **kwargs
    )


def fan_out(people, key="session-confirmed:7", context=CONTEXT, **kwargs):
    return notifications_create_many(
        recipients=people, kind="test_notice", context=context, idempotency_key=key, **kwargs
    )


def received(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def bodies(message: email.message.EmailMessage) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def renders(monkeypatch):
    """Each rendering of the kind: (time zone, whether for people with an account)."""
    calls = []
    render = services.render_email

    def counting(kind, *, recipient, context):
        calls.append((recipient.time_zone, recipient.has_account))
        return render(kind, recipient=recipient, context=context)

    monkeypatch.setattr(services, "render_email", counting)
    return calls


def test_a_contact_is_an_address_with_a_name_and_a_time_zone():
    assert str(Contact(email="tess@outside.example", display_name="Tess")) == "Tess"
    assert str(Contact(email="tess@outside.example")) == "tess@outside.example"
    assert Contact(email="tess@outside.example").time_zone == "UTC"
    for fields in [
        {"email": ""},
        {"email": "not an address"},
        {"email": f"{'x' * 250}@outside.example"},
        {"email": "tess@outside.example", "display_name": "x" * 201},
        {"email": "tess@outside.example", "time_zone": "Mars/Olympus_Mons"},
        {"email": "tess@outside.example", "time_zone": ""},
    ]:
        with pytest.raises(ValidationError):
            Contact(**fields)


def test_a_contact_gets_an_email_in_their_name_and_time_zone_with_one_click_unsubscribe(
    smtp_server,
):
    tess = Contact(
        email="Tess@Outside.example", display_name="Tess Trainer", time_zone="Asia/Kolkata"
    )
    notification = notice(tess)
    assert notification_deliver(notification_id=notification.pk).sent

    sent = received(smtp_server.accepted[0])
    text, html = bodies(sent)
    assert sent["To"] == "Tess@Outside.example"
    assert sent["Subject"] == "Kick-off: a notice for Tess Trainer"
    assert "Hello Tess Trainer," in text and "Hello Tess Trainer," in html
    assert "Kick-off starts Tue 24 Nov 2026, 19:30 (Asia/Kolkata)." in text
    url = unsubscribe_url(kind="test_notice", email="tess@outside.example")
    assert sent["List-Unsubscribe"] == f"<{url}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these emails: {url}" in text and f'href="{url}"' in html
    # There is no account to sign in to, so no preferences page to offer.
    assert "because your address was added to" in html
    assert "Choose which emails you get" not in text + html

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.recipient is None
    assert (notification.to_email, notification.to_name, notification.to_time_zone) == (
        "Tess@Outside.example",
        "Tess Trainer",
        "Asia/Kolkata",
    )
    assert url not in notification.body_text + notification.body_html


def test_a_fan_out_to_users_and_contacts_greets_each_in_their_own_name_and_time_zone(
    smtp_server, renders
):
    ada = UserFactory(display_name="Ada", time_zone="Europe/London")
    ben = UserFactory(display_name="Ben", time_zone="Asia/Kolkata")
    tess = Contact(email="tess@outside.example", display_name="Tess", time_zone="Europe/London")
    omar = Contact(email="omar@outside.example", time_zone="Asia/Kolkata")
    uma = Contact(email="uma@outside.example", display_name="Uma", time_zone="Europe/London")

    assert fan_out([ada, tess, ben, omar, uma]) == 5
    # Once per time zone, for those with an account and for those without.
    assert sorted(renders) == [
        ("Asia/Kolkata", False),
        ("Asia/Kolkata", True),
        ("Europe/London", False),
        ("Europe/London", True),
    ]
    for row in Notification.objects.filter(recipient=None):
        assert "[[cairn:recipient_name]]" in row.body_text
        assert row.idempotency_key == f"session-confirmed:7:{row.to_email}"

    notifications_deliver(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    sent = {message["To"]: message for message in map(received, smtp_server.accepted)}
    assert len(sent) == 5
    for person, name, when in [
        (ada, "Ada", "14:00 (Europe/London)"),
        (ben, "Ben", "19:30 (Asia/Kolkata)"),
        (tess, "Tess", "14:00 (Europe/London)"),
        (omar, "omar@outside.example", "19:30 (Asia/Kolkata)"),
        (uma, "Uma", "14:00 (Europe/London)"),
    ]:
        text, html = bodies(sent[person.email])
        assert f"Hello {name}," in text and f"Hello {name}," in html
        assert f"Your address here is {person.email}." in text
        assert when in text
        assert "[[cairn:" not in text + html
        has_account = not isinstance(person, Contact)
        url = (
            unsubscribe_url(kind="test_notice", user_id=person.pk)
            if has_account
            else unsubscribe_url(kind="test_notice", email=person.email)
        )
        assert sent[person.email]["List-Unsubscribe"] == f"<{url}>"
        assert ("Choose which emails you get" in text) is has_account


def test_a_contact_whose_address_has_an_account_is_sent_to_as_the_account(
    django_capture_on_commit_callbacks,
):
    ada = UserFactory(
        email="ada@example.com", display_name="Ada Lovelace", time_zone="Europe/London"
    )
    as_contact = Contact(email="ADA@Example.com", display_name="A. Trainer", time_zone="Asia/Tokyo")
    with django_capture_on_commit_callbacks(execute=True):
        # Listed twice, as the account and by address: one email.
        assert fan_out([as_contact, ada]) == 1
        notice(as_contact, key="single")

    rows = Notification.objects.order_by("pk")
    assert [(row.recipient, row.idempotency_key, row.to_name) for row in rows] == [
        (ada, f"session-confirmed:7:{ada.pk}", ""),
        (ada, "single", ""),
    ]
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.to == ["ada@example.com"]
        assert "Hello Ada Lovelace," in message.body
        assert "14:00 (Europe/London)" in message.body
        assert unsubscribe_url(kind="test_notice", user_id=ada.pk) in message.body
        assert "Choose which emails you get" in message.body


def test_the_accounts_choices_apply_to_a_contact_with_its_address(
    django_capture_on_commit_callbacks,
):
    ada = UserFactory(email="ada@example.com")
    notification_kind_turn_off(recipient=ada, kind="test_notice")
    with django_capture_on_commit_callbacks(execute=True):
        assert notice(Contact(email="Ada@example.com")).status == Notification.Status.SKIPPED
        assert fan_out([Contact(email="ada@EXAMPLE.com")]) == 0
    assert mail.outbox == []
    assert set(Notification.objects.values_list("recipient", flat=True)) == {ada.pk}

    # Turning a kind off by the address turns it off for the account.
    ben = UserFactory(email="ben@example.com")
    notification_kind_turn_off(recipient=Contact(email="Ben@Example.com"), kind="test_notice")
    assert NotificationOptOut.objects.filter(user=ben, email="", kind="test_notice").exists()


def test_a_contacts_unsubscribe_link_asks_first_and_a_post_turns_the_kind_off(client):
    url = path_of(unsubscribe_url(kind="test_notice", email="Tess@Outside.example"))
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop these emails?" in page.text
    assert "test notices" in page.text and "tess@outside.example" in page.text
    assert "Choose which emails you get" not in page.text
    assert not NotificationOptOut.objects.exists()

    # What a mail client sends for a one-click unsubscribe (RFC 8058): no session, no CSRF.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more of these emails" in response.text
    (opt_out,) = NotificationOptOut.objects.all()
    assert (opt_out.user, opt_out.email, opt_out.kind) == (
        None,
        "tess@outside.example",
        "test_notice",
    )

    one_click.post(url)
    assert NotificationOptOut.objects.count() == 1
    assert "back on" in one_click.post(url, {"resubscribe": "1"}).text
    assert not NotificationOptOut.objects.exists()


def test_an_address_link_is_answered_as_the_account_the_address_has_by_now(client):
    url = path_of(unsubscribe_url(kind="test_notice", email="tess@outside.example"))
    tess = UserFactory(email="tess@outside.example")
    assert "Choose which emails you get" in client.get(url).text
    client.post(url)
    assert NotificationOptOut.objects.filter(user=tess, email="", kind="test_notice").exists()


@pytest.mark.parametrize(
    "token",
    [
        signing.Signer(salt="something.else").sign_object(["tess@outside.example", "test_notice"]),
        signing.Signer(key="not-our-secret", salt=UNSUBSCRIBE_SALT).sign_object(
            ["tess@outside.example", "test_notice"]
        ),
        unsubscribe_token(kind="password_reset", email="tess@outside.example"),
        unsubscribe_token(kind="no_such_kind", email="tess@outside.example"),
    ],
)
def test_a_bad_contact_token_is_not_found(client, token):
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not NotificationOptOut.objects.exists()


def test_a_kind_a_contact_turned_off_is_recorded_as_skipped_and_never_sent(
    client, django_capture_on_commit_callbacks
):
    tess = Contact(email="tess@outside.example", display_name="Tess")
    queued_before = notice(tess, key="before")  # its task runs after commit, which never comes
    client.post(path_of(unsubscribe_url(kind="test_notice", email=tess.email)))

    assert notification_deliver(notification_id=queued_before.pk).sent is False
    queued_before.refresh_from_db()
    assert queued_before.status == Notification.Status.SKIPPED
    assert queued_before.attempts == 0

    someone_else = ContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        after = notice(Contact(email="TESS@outside.example"), key="after")
        assert fan_out([tess, someone_else]) == 1
    assert after.status == Notification.Status.SKIPPED
    assert [message.to for message in mail.outbox] == [[someone_else.email]]


def test_the_link_in_a_contacts_email_is_the_one_that_works(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fan_out([ContactFactory(email="Tess@Outside.example")])
    url = re.search(r"Stop these emails: (\S+)", mail.outbox[0].body).group(1)
    client.post(path_of(url))
    assert NotificationOptOut.objects.filter(
        email="tess@outside.example", kind="test_notice"
    ).exists()


def test_a_repeated_fan_out_to_contacts_records_and_sends_nothing_more(
    django_capture_on_commit_callbacks,
):
    contacts = [ContactFactory() for _ in range(4)]
    users = [UserFactory() for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out([*contacts[:2], users[0]]) == 3
    with django_capture_on_commit_callbacks(execute=True):
        # A retried task, which now finds two more contacts and a user, and is given one
        # address in capitals and with another name.
        first = Contact(email=contacts[0].email.upper(), display_name="Someone Else")
        assert fan_out([first, *contacts[1:], *users]) == 3

    assert sorted(Notification.objects.values_list("idempotency_key", flat=True)) == sorted(
        [f"session-confirmed:7:{contact.email.lower()}" for contact in contacts]
        + [f"session-confirmed:7:{user.pk}" for user in users]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [contact.email for contact in contacts] + [user.email for user in users]
    )


def test_a_mixed_fan_out_takes_the_same_queries_whatever_its_size():
    def cohort(size):
        with_accounts = [UserFactory() for _ in range(size)]
        return [
            *(UserFactory() for _ in range(size)),
            *(ContactFactory() for _ in range(size)),
            # Given by address, but with an account.
            *(Contact(email=user.email.upper()) for user in with_accounts),
        ]

    small, large = cohort(2), cohort(15)
    notification_kind_turn_off(recipient=small[0], kind="test_notice")
    notification_kind_turn_off(recipient=large[20], kind="test_notice")
    with CaptureQueriesContext(connection) as few:
        fan_out(small, key="a")
    with CaptureQueriesContext(connection) as many:
        fan_out(large, key="b")

    assert len(few) == len(many)
    assert len([q for q in many if 'FROM "accounts_user"' in q["sql"]]) == 1
    assert Notification.objects.count() == 6 + 45
    assert Notification.objects.filter(recipient=None).count() == 2 + 15
    assert Notification.objects.filter(status=Notification.Status.SKIPPED).count() == 2


@pytest.mark.parametrize("kind", ["password_reset", "plan_invitation"])
def test_an_email_with_a_secret_link_refuses_a_contact(kind, user, plan):
    context = {"plan": plan, "role": "participant", "added_by": "Ada"}
    # Even one with an account's address: the caller means the account, so must say so.
    for contact in [ContactFactory(), Contact(email=user.email)]:
        with pytest.raises(ValueError, match="send it to the user, not to a Contact"):
            notification_create(recipient=contact, kind=kind, context=context, idempotency_key="k")
        with pytest.raises(ValueError, match="send it to the user, not to a Contact"):
            notifications_create_many(
                recipients=[user, contact], kind=kind, context=context, idempotency_key="k"
            )
    assert not Notification.objects.exists()


def test_an_edit_inside_the_settling_window_renders_a_contacts_email_again():
    tess = Contact(email="tess@outside.example", display_name="Tess", time_zone="Asia/Kolkata")
    notice(tess, key="change-1", send_after=WINDOW)
    row = notification_replace_pending(
        idempotency_key="change-1", context={**CONTEXT, "topic": "Kick-off, moved"}
    )
    assert row.subject == "Kick-off, moved: a notice for Tess"
    assert "Hello Tess," in row.body_text and "19:30 (Asia/Kolkata)" in row.body_text

    user, newcomer = UserFactory(), ContactFactory()
    fan_out([tess, user], key="change-2", send_after=WINDOW)
    replaced = notifications_replace_pending_many(
        recipients=[Contact(email="TESS@outside.example"), user, newcomer],
        kind="test_notice",
        context={**CONTEXT, "topic": "Kick-off, moved"},
        idempotency_key="change-2",
    )
    assert replaced == 3
    rows = Notification.objects.filter(idempotency_key__startswith="change-2:")
    assert {row.subject.split(":")[0] for row in rows} == {"Kick-off, moved"}
    assert len({row.next_attempt_at for row in rows}) == 1


def render_log(user):
    request = RequestFactory().get("/plans/1/emails/")
    request.user = user
    return render_to_string(
        "notifications/_log.html",
        {"log": scope_log(scope="plan:1"), "resend_action": "/plans/1/emails/resend/"},
        request=request,
    )


def test_the_log_and_the_admin_site_show_a_contacts_name_and_address(
    platform_admin_client, platform_admin
):
    row = NotificationFactory(
        contact=True,
        to_name="Tess Trainer",
        to_email="tess@outside.example",
        scope="plan:1",
        status=Notification.Status.FAILED,
    )
    html = render_log(platform_admin)
    assert "Tess Trainer" in html and "tess@outside.example" in html
    assert "No account" in html
    assert f'name="notification" value="{row.pk}"' in html  # can be sent again

    changelist = platform_admin_client.get(reverse("admin:notifications_notification_changelist"))
    assert "Tess Trainer" in changelist.text and "tess@outside.example" in changelist.text
    detail = platform_admin_client.get(
        reverse("admin:notifications_notification_change", args=[row.pk])
    )
    assert "Tess Trainer" in detail.text and "tess@outside.example" in detail.text


def test_a_failed_email_to_a_contact_can_be_sent_again(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.replies = ["550 5.1.1 No such user"]
    notification = notice(Contact(email="tess@outside.example", display_name="Tess"))
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        notification_requeue(notification=notification)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    (sent,) = map(received, smtp_server.accepted)
    assert "Hello Tess," in bodies(sent)[0]


def test_an_opt_out_is_for_a_user_or_a_lower_cased_address_and_once_per_kind(user):
    for fields in [
        {"user": user, "email": "tess@outside.example"},
        {},
        {"email": "Tess@Outside.example"},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            NotificationOptOut.objects.create(kind="test_notice", **fields)
    NotificationOptOut.objects.create(email="tess@outside.example", kind="test_notice")
    NotificationOptOut.objects.create(email="tess@outside.example", kind="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationOptOut.objects.create(email="tess@outside.example", kind="test_notice")
