"""Reminders before each session day, new material to review before a session, a review's
outcome, and trainers' morning summary of what waits for their review."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from milestones import services
from milestones.models import Activity, Milestone
from milestones.notices.services import review_digests_send, session_reminders_send
from milestones.uploads import services as upload_services
from notifications.models import Notification
from tests.factories import (
    PlanMembershipFactory,
    PostActionFactory,
    ProgressUploadFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day, hour, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(at(1, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def workshop(plan, milestone, participant, clock):
    """Confirmed, two days: Wednesday 3 and Thursday 4 March, 10:00 to 12:00 in London, in
    a plan that runs through March."""
    plan.start_date, plan.end_date = datetime.date(2027, 2, 1), datetime.date(2027, 3, 31)
    plan.save()
    Milestone.objects.filter(pk=milestone.pk).update(
        schedule=Milestone.Schedule.CONFIRMED,
        multi_day=True,
        starts_at=at(3, 10),
        ends_at=at(4, 12),
        location="Training room 2",
    )
    milestone.refresh_from_db()
    return milestone


def remind(capture, when):
    with time_machine.travel(when, tick=False), capture(execute=True):
        return session_reminders_send()


def reminders_to(address):
    return [m.subject for m in mail.outbox if address in m.to]


def test_each_session_day_has_a_day_before_and_an_hour_before_reminder(
    workshop, participant, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for moment in (at(2, 9), at(2, 10, 5), at(3, 9, 5), at(3, 10, 30), at(4, 9, 1)):
        remind(capture, moment)
    assert reminders_to(participant.email) == [
        "Tomorrow: Initial Skill Assessment, day 1 of 2, Wed 3 Mar 2027, 10:00 (UTC)",
        "In an hour: Initial Skill Assessment, day 1 of 2, Wed 3 Mar 2027, 10:00 (UTC)",
        "Tomorrow: Initial Skill Assessment, day 2 of 2, Thu 4 Mar 2027, 10:00 (UTC)",
        "In an hour: Initial Skill Assessment, day 2 of 2, Thu 4 Mar 2027, 10:00 (UTC)",
    ]
    body = mail.outbox[1].body
    assert "Where: Training room 2" in body and "/my/plans/" in body


def test_running_the_job_twice_or_on_two_beats_sends_nothing_twice(
    workshop, participant, django_capture_on_commit_callbacks
):
    remind(django_capture_on_commit_callbacks, at(2, 10, 5))
    remind(django_capture_on_commit_callbacks, at(2, 10, 10))
    assert len(reminders_to(participant.email)) == 1


def test_a_late_reminder_is_sent_only_while_it_is_of_use(
    workshop, participant, django_capture_on_commit_callbacks
):
    # The workers were down all of Tuesday: the day-before reminder is no use an hour before.
    remind(django_capture_on_commit_callbacks, at(3, 9, 30))
    assert reminders_to(participant.email) == [
        "In an hour: Initial Skill Assessment, day 1 of 2, Wed 3 Mar 2027, 10:00 (UTC)"
    ]
    # Nor the hour-before one once the session has started.
    remind(django_capture_on_commit_callbacks, at(4, 10, 1))
    assert len(reminders_to(participant.email)) == 1


def test_moving_a_session_re_arms_its_reminders(
    workshop, participant, django_capture_on_commit_callbacks
):
    remind(django_capture_on_commit_callbacks, at(2, 10, 5))
    Milestone.objects.filter(pk=workshop.pk).update(starts_at=at(3, 14), ends_at=at(4, 16))
    remind(django_capture_on_commit_callbacks, at(2, 14, 5))
    assert reminders_to(participant.email) == [
        "Tomorrow: Initial Skill Assessment, day 1 of 2, Wed 3 Mar 2027, 10:00 (UTC)",
        "Tomorrow: Initial Skill Assessment, day 1 of 2, Wed 3 Mar 2027, 14:00 (UTC)",
    ]


def test_tentative_sessions_and_late_joiners_get_no_reminder(
    workshop, plan, participant, django_capture_on_commit_callbacks
):
    late = PlanMembershipFactory(plan=plan, joined_at=at(5, 9)).user
    remind(django_capture_on_commit_callbacks, at(2, 10, 5))
    assert reminders_to(late.email) == []
    Milestone.objects.filter(pk=workshop.pk).update(schedule=Milestone.Schedule.TENTATIVE)
    remind(django_capture_on_commit_callbacks, at(3, 9, 5))
    assert len(reminders_to(participant.email)) == 1


def test_trainers_are_reminded_too_with_their_register(
    workshop, plan, django_capture_on_commit_callbacks
):
    theo = UserFactory(display_name="Theo Trainer")
    workshop.trainers.add(
        TrainerFactory(plan=plan, email=theo.email, user=theo),
        TrainerFactory(plan=plan, name="Gwen Guest", email="gwen@elsewhere.example"),
    )
    remind(django_capture_on_commit_callbacks, at(2, 10, 5))
    (theos,) = [m for m in mail.outbox if theo.email in m.to]
    assert "/attendance/" in theos.body
    assert len(reminders_to("gwen@elsewhere.example")) == 1


# New material to review


def test_a_new_pre_session_activity_is_announced_once_to_participants(
    workshop, participant, django_capture_on_commit_callbacks
):
    activity = Activity(
        milestone=workshop,
        phase="pre",
        title="Lean Thinking, ch. 1",
        upload_type="link",
        url="https://example.com/lean",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_save(activity=activity)
    (message,) = mail.outbox
    assert message.subject == "To review before Initial Skill Assessment: Lean Thinking, ch. 1"
    assert participant.email in message.to

    activity.title = "Lean Thinking, chapter 1"
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_save(activity=activity)
    post = Activity(
        milestone=workshop,
        phase="post",
        title="Notes",
        upload_type="link",
        url="https://example.com/notes",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_save(activity=post)
    assert len(mail.outbox) == 1


# A review's outcome


def test_a_participant_hears_when_their_upload_is_accepted_or_sent_back(
    workshop, participant, project_admin, django_capture_on_commit_callbacks
):
    first = ProgressUploadFactory(milestone=workshop, participant=participant)
    second = ProgressUploadFactory(milestone=workshop, participant=participant)
    with django_capture_on_commit_callbacks(execute=True):
        upload_services.upload_request_changes(
            upload=first, reviewer=project_admin, comment="Add the costs, please."
        )
        upload_services.upload_accept(upload=second, reviewer=project_admin)
    sent_back, accepted = mail.outbox
    assert sent_back.subject == "Changes asked: your upload for Initial Skill Assessment"
    assert "Add the costs, please." in sent_back.body and "Pam Admin" in sent_back.body
    assert accepted.subject == "Accepted: your upload for Initial Skill Assessment"


# Trainers' morning summary


def test_a_trainer_gets_one_morning_summary_when_something_waits_for_review(
    workshop, plan, participant, django_capture_on_commit_callbacks
):
    theo = UserFactory(display_name="Theo Trainer", time_zone="Europe/London")
    workshop.trainers.add(TrainerFactory(plan=plan, email=theo.email, user=theo))
    capture = django_capture_on_commit_callbacks

    with time_machine.travel(at(5, 8), tick=False), capture(execute=True):
        assert review_digests_send() == 0  # nothing waits
    ProgressUploadFactory(milestone=workshop, participant=participant)
    PostActionFactory(milestone=workshop, participant=participant)
    with time_machine.travel(at(5, 6), tick=False), capture(execute=True):
        assert review_digests_send() == 0  # not yet his morning
    for hour in (7, 8):
        with time_machine.travel(at(5, hour), tick=False), capture(execute=True):
            review_digests_send()
    (digest,) = mail.outbox
    assert digest.subject == "Waiting for your review in the sessions you run"
    assert "1 upload to review" in digest.body and "1 follow-up action to validate" in digest.body
    assert Notification.objects.filter(kind="uploads_to_review").count() == 1
