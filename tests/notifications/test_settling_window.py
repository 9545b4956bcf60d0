"""Edits in quick succession reach people as one email: a row waits for a settling window,
and an edit inside the window replaces it; after the window an edit is a new change."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications import tasks
from notifications.models import Notification
from notifications.services import (
    Attachment,
    notification_create,
    notification_replace_pending,
    notifications_create_many,
    notifications_replace_pending_many,
    notifications_sweep,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

WINDOW = datetime.timedelta(minutes=2)
NOW = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


def context(topic):
    return {
        "topic": topic,
        "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
        "link": "https://cairn.example/plans/1/",
    }


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scheduled(monkeypatch):
    """The send tasks queued, with their countdowns, instead of run."""
    calls = []
    for task in [tasks.send_notification, tasks.send_notifications]:
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args, countdown, retry=True, calls=calls: calls.append((args, countdown)),
        )
    return calls


def test_a_row_waits_for_its_window_and_its_task_is_timed_for_the_end(
    user, clock, scheduled, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(
            recipient=user,
            kind="test_notice",
            context=context("Kick-off"),
            idempotency_key="change-1",
            send_after=WINDOW,
        )
    assert notification.status == Notification.Status.QUEUED
    assert notification.next_attempt_at == NOW + WINDOW
    assert scheduled == [([notification.pk], 120.0)]


def test_a_task_that_runs_early_sends_nothing_and_the_sweeper_sends_it_late(
    user, clock, django_capture_on_commit_callbacks
):
    # In-process tasks ignore countdowns: the task runs at once and finds the row not due.
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(
            recipient=user,
            kind="test_notice",
            context=context("Kick-off"),
            idempotency_key="change-1",
            send_after=WINDOW,
        )
    assert mail.outbox == []
    clock.shift(WINDOW + datetime.timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        notifications_sweep()
    assert len(mail.outbox) == 1


def test_a_window_longer_than_the_countdown_cap_is_left_to_the_sweeper(
    user, clock, scheduled, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_MAX_COUNTDOWN = 60
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(
            recipient=user,
            kind="test_notice",
            context=context("Kick-off"),
            idempotency_key="change-1",
            send_after=WINDOW,
        )
    assert scheduled == []


def test_an_edit_inside_the_window_replaces_the_waiting_email(
    user, clock, scheduled, django_capture_on_commit_callbacks
):
    first = notification_create(
        recipient=user,
        kind="test_notice",
        context=context("Kick-of"),
        idempotency_key="change-1",
        send_after=WINDOW,
    )
    clock.shift(datetime.timedelta(seconds=50))
    invite = Attachment("invite.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR")
    with django_capture_on_commit_callbacks(execute=True):
        replaced = notification_replace_pending(
            idempotency_key="change-1", context=context("Kick-off"), attachments=[invite]
        )

    assert replaced.pk == first.pk
    replaced.refresh_from_db()
    assert replaced.subject.startswith("Kick-off:")
    assert replaced.next_attempt_at == NOW + WINDOW
    assert replaced.message_id == first.message_id
    assert replaced.attachment_names == ["invite.ics"]
    assert scheduled[-1] == ([first.pk], 70.0)

    clock.shift(WINDOW)
    tasks.send_notification.run(first.pk)
    assert [message.subject for message in mail.outbox] == [f"Kick-off: a notice for {user}"]


def test_once_the_window_is_over_an_edit_is_a_new_change(user, clock):
    notification_create(
        recipient=user,
        kind="test_notice",
        context=context("One"),
        idempotency_key="change-1",
        send_after=WINDOW,
    )
    clock.shift(WINDOW + datetime.timedelta(seconds=1))
    assert notification_replace_pending(idempotency_key="change-1", context=context("Two")) is None

    tasks.send_notification.run(Notification.objects.get().pk)
    assert notification_replace_pending(idempotency_key="change-1", context=context("Two")) is None
    assert notification_replace_pending(idempotency_key="no-such-key", context={}) is None
    assert Notification.objects.get().subject.startswith("One")


def test_an_email_being_retried_is_not_replaced(user, clock):
    notification = notification_create(
        recipient=user, kind="test_notice", context=context("One"), idempotency_key="change-1"
    )
    # A first attempt failed with a temporary error: the retry must repeat the same message.
    Notification.objects.filter(pk=notification.pk).update(
        attempts=1, next_attempt_at=NOW + datetime.timedelta(minutes=1)
    )
    assert notification_replace_pending(idempotency_key="change-1", context=context("Two")) is None


def test_repeating_the_change_inside_the_window_records_one_email(user, clock):
    for _ in range(3):
        notification_create(
            recipient=user,
            kind="test_notice",
            context=context("One"),
            idempotency_key="change-1",
            send_after=WINDOW,
        )
    assert Notification.objects.count() == 1


def test_a_cohort_change_edited_inside_the_window_sends_each_person_the_latest_once(
    clock, django_capture_on_commit_callbacks
):
    cohort = [UserFactory() for _ in range(4)]
    notifications_create_many(
        recipients=cohort[:3],
        kind="test_notice",
        context=context("Kick-of"),
        idempotency_key="session-changed:7:3",
        scope="plan:7",
        send_after=WINDOW,
    )
    clock.shift(datetime.timedelta(seconds=30))
    # The second edit also reaches someone who joined the plan in between.
    assert (
        notifications_replace_pending_many(
            recipients=cohort,
            kind="test_notice",
            context=context("Kick-off"),
            idempotency_key="session-changed:7:3",
        )
        == 4
    )
    rows = Notification.objects.all()
    assert {row.next_attempt_at for row in rows} == {NOW + WINDOW}
    assert {row.scope for row in rows} == {"plan:7"}
    assert all(row.subject.startswith("Kick-off:") for row in rows)

    clock.shift(WINDOW)
    with django_capture_on_commit_callbacks(execute=True):
        notifications_sweep()
    assert len(mail.outbox) == 0  # not yet late enough for the sweeper
    tasks.send_notifications.run(list(rows.values_list("pk", flat=True)))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in cohort)
    assert {m.subject.split(":")[0] for m in mail.outbox} == {"Kick-off"}

    assert (
        notifications_replace_pending_many(
            recipients=cohort,
            kind="test_notice",
            context=context("Third"),
            idempotency_key="session-changed:7:3",
        )
        is None
    )


def test_the_sweeper_leaves_a_waiting_row_alone(user, clock):
    notification_create(
        recipient=user,
        kind="test_notice",
        context=context("One"),
        idempotency_key="change-1",
        send_after=datetime.timedelta(hours=3),
    )
    clock.shift(datetime.timedelta(hours=2))
    assert notifications_sweep() == 0
    assert Notification.objects.get().next_attempt_at > timezone.now()
