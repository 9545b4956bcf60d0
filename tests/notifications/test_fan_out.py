"""One change that concerns a whole cohort: one row each, rendered once per time zone, the
per-person parts filled in when sent, and sent by batch tasks."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services, tasks
from notifications.links import unsubscribe_url
from notifications.models import Notification
from notifications.services import (
    Attachment,
    notification_kind_turn_off,
    notifications_create_many,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

CONTEXT = {
    "topic": "Kick-off",
    "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
    "link": "https://cairn.example/plans/1/",
}


def fan_out(people, key="session-confirmed:7", **kwargs):
    return notifications_create_many(
        recipients=people, kind="test_notice", context=CONTEXT, idempotency_key=key, **kwargs
    )


@pytest.fixture
def cohort(db):
    zones = ["Europe/London", "Asia/Kolkata", "America/New_York"]
    return [UserFactory(display_name=f"Person {n}", time_zone=zones[n % 3]) for n in range(6)]


@pytest.fixture
def renders(monkeypatch):
    """The time zones the kind is rendered for."""
    zones = []
    render = services.render_email

    def counting(kind, *, recipient, context):
        zones.append(recipient.time_zone)
        return render(kind, recipient=recipient, context=context)

    monkeypatch.setattr(services, "render_email", counting)
    return zones


def test_each_person_gets_their_own_email_rendered_once_per_time_zone(
    cohort, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out(cohort, scope="plan:7") == 6

    assert sorted(renders) == ["America/New_York", "Asia/Kolkata", "Europe/London"]
    rows = Notification.objects.order_by("pk")
    assert [row.idempotency_key for row in rows] == [
        f"session-confirmed:7:{person.pk}" for person in cohort
    ]
    assert {row.status for row in rows} == {Notification.Status.SENT}
    assert {row.scope for row in rows} == {"plan:7"}

    assert len(mail.outbox) == 6
    by_address = {message.to[0]: message for message in mail.outbox}
    for person in cohort:
        message = by_address[person.email]
        assert message.subject == f"Kick-off: a notice for {person.display_name}"
        assert f"Hello {person.display_name}," in message.body
        assert f"Your address here is {person.email}." in message.body
        assert f"Hello {person.display_name}," in message.alternatives[0].content
        url = unsubscribe_url(user_id=person.pk, kind="test_notice")
        assert f"Stop these emails: {url}" in message.body
        assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert "[[cairn:" not in message.body + message.subject
    london = by_address[cohort[0].email].body
    kolkata = by_address[cohort[1].email].body
    assert "starts Tue 24 Nov 2026, 14:00 (Europe/London)" in london
    assert "starts Tue 24 Nov 2026, 19:30 (Asia/Kolkata)" in kolkata


def test_the_stored_rows_hold_markers_not_anyones_name_or_links(cohort):
    fan_out(cohort)
    for row in Notification.objects.select_related("recipient"):
        stored = row.subject + row.body_text + row.body_html
        assert "[[cairn:recipient_name]]" in stored
        assert row.recipient.display_name not in stored
        assert "/notifications/unsubscribe/" not in stored
        assert row.readable_subject == f"Kick-off: a notice for {row.recipient.display_name}"


def test_a_repeated_fan_out_records_and_sends_nothing_more(
    cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fan_out(cohort[:4])
    with django_capture_on_commit_callbacks(execute=True):
        # A retried fan-out task, which now also finds two more people.
        assert fan_out(cohort) == 2

    assert Notification.objects.count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in cohort)


def test_the_rows_are_sent_by_batch_tasks(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SEND_BATCH", 4)
    people = [UserFactory() for _ in range(10)]
    batches = []
    monkeypatch.setattr(
        tasks.send_notifications, "apply_async", lambda args, **kw: batches.append(args[0])
    )
    with django_capture_on_commit_callbacks(execute=True):
        fan_out(people)

    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )


def test_people_who_turned_the_kind_off_get_a_skipped_row(
    cohort, django_capture_on_commit_callbacks
):
    notification_kind_turn_off(recipient=cohort[0], kind="test_notice")
    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out(cohort) == 5
    assert Notification.objects.get(recipient=cohort[0]).status == Notification.Status.SKIPPED
    assert cohort[0].email not in [m.to[0] for m in mail.outbox]


def test_attachments_can_differ_per_person(cohort, django_capture_on_commit_callbacks):
    def invite(person):
        return [Attachment("invite.ics", "text/calendar", f"ATTENDEE:mailto:{person.email}")]

    with django_capture_on_commit_callbacks(execute=True):
        fan_out(cohort, attachments=invite)
    for message in mail.outbox:
        (attachment,) = message.attachments
        assert attachment.content == f"ATTENDEE:mailto:{message.to[0]}"


def test_recording_a_cohort_takes_the_same_queries_whatever_its_size(monkeypatch):
    small = [UserFactory() for _ in range(3)]
    large = [UserFactory() for _ in range(40)]
    with CaptureQueriesContext(connection) as few:
        fan_out(small, key="a")
    with CaptureQueriesContext(connection) as many:
        fan_out(large, key="b")
    assert len(few) == len(many)
    assert Notification.objects.count() == 43


def test_rows_are_written_in_batches(monkeypatch):
    monkeypatch.setattr(services, "CREATE_BATCH", 4)
    people = [UserFactory() for _ in range(10)]
    with CaptureQueriesContext(connection) as queries:
        fan_out(people)
    inserts = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("INSERT") and 'INTO "notifications_notification"' in q["sql"]
    ]
    assert len(inserts) == 3
    assert Notification.objects.count() == 10
