"""Milestone emails through a real Celery worker on Redis and a real SMTP server: every change
reaches the client exactly once, even when the broker hands a task out twice."""

import datetime
import email
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from collaboration import services
from collaboration.tasks import send_project_reminders
from notifications.models import Notification
from notifications.tasks import send_notification
from tests.factories import ProjectFactory, UserFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services


def subjects(accepted):
    return sorted(
        str(make_header(decode_header(email.message_from_bytes(raw)["Subject"])))
        for raw in accepted
    )


def all_sent():
    return not Notification.objects.exclude(status=Notification.Status.SENT).exists()


@pytest.fixture
def quick(settings):
    """Changes settle, and chats go quiet, within a second (the worker is told the same)."""
    settings.COLLABORATION_SETTLING_SECONDS = 1
    settings.COLLABORATION_CHAT_EMAIL_SECONDS = 1


def test_each_settled_milestone_change_is_emailed_to_the_client_exactly_once(
    celery_worker, worker_smtp, quick
):
    consultant = UserFactory(display_name="Carla Consultant")
    client = UserFactory(display_name="Chris Client")
    project = ProjectFactory(title="Churn model", consultant=consultant, client=client, open=True)
    due = timezone.localdate() + datetime.timedelta(days=10)

    def sent(count):
        assert wait_for(lambda: len(worker_smtp.accepted) >= count)

    milestone = services.project_milestone_create(
        project=project,
        actor=consultant,
        due_date=due,
        title="Data cleaning",
        description="Clean the data.",
    )
    sent(1)
    services.project_milestone_update(
        milestone=milestone,
        actor=consultant,
        due_date=due + datetime.timedelta(days=1),
        title="Data cleaning",
        description="Clean and check the data.",
    )
    sent(2)
    # A tick taken back at once is never emailed; the next one is.
    services.project_milestone_complete(milestone=milestone, actor=consultant)
    services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
    services.project_milestone_complete(milestone=milestone, actor=consultant)
    sent(3)
    services.project_milestone_delete(milestone=milestone, actor=consultant)
    sent(4)
    # The broker delivers every task a second time, as Redis does after a lost ack.
    for notification in Notification.objects.all():
        send_notification.delay(notification.pk)
    assert wait_for(all_sent)
    wait_for(lambda: len(worker_smtp.accepted) > 4, timeout=3)

    assert subjects(worker_smtp.accepted) == [
        "Milestone complete on Churn model: Data cleaning",
        "Milestone deleted on Churn model: Data cleaning",
        "Milestone edited on Churn model: Data cleaning",
        f"New milestone on Churn model: Data cleaning (due {due:%-d %b %Y})",
    ]
    messages = [email.message_from_bytes(raw) for raw in worker_smtp.accepted]
    assert {m["To"] for m in messages} == {client.email}
    assert len({m["Message-ID"] for m in messages}) == 4
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_unread_chat_messages_are_emailed_once_the_conversation_is_quiet(
    celery_worker, worker_smtp, quick
):
    consultant = UserFactory(display_name="Carla Consultant")
    client = UserFactory(display_name="Chris Client")
    project = ProjectFactory(title="Churn model", consultant=consultant, client=client, open=True)

    services.chat_message_post(project=project, author=consultant, body="The data is in.")
    services.chat_message_post(project=project, author=consultant, body="Call on Friday?")

    assert wait_for(lambda: len(worker_smtp.accepted) >= 1)
    wait_for(lambda: len(worker_smtp.accepted) > 1, timeout=3)
    assert subjects(worker_smtp.accepted) == ["2 new messages on Churn model"]
    message = email.message_from_bytes(worker_smtp.accepted[0])
    assert message["To"] == client.email


def test_reminder_jobs_run_twice_by_the_worker_send_each_reminder_once(celery_worker, worker_smtp):
    consultant = UserFactory(display_name="Carla Consultant")
    client = UserFactory(display_name="Chris Client")
    project = ProjectFactory(title="Churn model", consultant=consultant, client=client, open=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    milestone = project.milestones.create(
        due_date=tomorrow, title="Data cleaning", description="Clean the data."
    )

    send_project_reminders.delay()
    send_project_reminders.delay()

    assert wait_for(lambda: len(worker_smtp.accepted) >= 2)
    assert wait_for(all_sent)
    wait_for(lambda: len(worker_smtp.accepted) > 2, timeout=3)

    assert (
        subjects(worker_smtp.accepted)
        == ["Milestone due tomorrow on Churn model: Data cleaning"] * 2
    )
    recipients = sorted(email.message_from_bytes(raw)["To"] for raw in worker_smtp.accepted)
    assert recipients == sorted([consultant.email, client.email])
    milestone.refresh_from_db()
    assert milestone.due_soon_reminded_for == tomorrow
