"""After a session, participants are nudged about what it still asks of them, once and then
weekly while the plan runs; each plan's admins get a morning digest when something waits."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from milestones.models import Milestone
from notifications.models import Notification
from progress.services import nudges_send, plan_digests_send
from tests.factories import (
    AttendanceFactory,
    PlanMembershipFactory,
    PostActionFactory,
    ProgressUploadFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day, hour=12, month=3):
    return datetime.datetime(2027, month, day, hour, tzinfo=LONDON)


@pytest.fixture
def workshop(plan, milestone, participant):
    """Held on Monday 1 March, asking for an upload, a follow-up action and the survey, in a
    plan that runs until the end of March."""
    plan.start_date, plan.end_date = datetime.date(2027, 2, 1), datetime.date(2027, 3, 31)
    plan.save()
    Milestone.objects.filter(pk=milestone.pk).update(
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=at(1, 10),
        ends_at=at(1, 12),
        upload_progress=Milestone.UploadProgress.MANDATORY,
        post_action_required=True,
    )
    milestone.refresh_from_db()
    SurveyFactory(milestone=milestone, is_active=True, title="Workshop feedback")
    AttendanceFactory(milestone=milestone, participant=participant)
    return milestone


def nudge(capture, when):
    with time_machine.travel(when, tick=False), capture(execute=True):
        return nudges_send()


def subjects_for(person):
    return [m.subject for m in mail.outbox if person.email in m.to]


def test_after_the_session_a_participant_hears_what_is_still_missing(
    workshop, participant, django_capture_on_commit_callbacks
):
    nudge(django_capture_on_commit_callbacks, at(1, 9))  # not over yet
    assert mail.outbox == []
    nudge(django_capture_on_commit_callbacks, at(1, 13))
    assert sorted(subjects_for(participant)) == [
        "To do for Initial Skill Assessment: an accepted progress upload, a validated "
        "follow-up action",
        "Your view on Initial Skill Assessment",
    ]
    survey = next(m for m in mail.outbox if m.subject.startswith("Your view"))
    assert "Workshop feedback" in survey.body and "/survey/" in survey.body


def test_nudges_come_once_a_week_and_stop_when_done(
    workshop, participant, project_admin, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    nudge(capture, at(1, 13))
    nudge(capture, at(3))  # same week: nothing more
    assert len(subjects_for(participant)) == 2

    ProgressUploadFactory(milestone=workshop, participant=participant, status="accepted")
    nudge(capture, at(8, 13))  # a week on: the follow-up action and the survey
    assert sorted(subjects_for(participant)[2:]) == [
        "Still to do for Initial Skill Assessment: a validated follow-up action",
        "Still waiting for your answers: Initial Skill Assessment",
    ]

    PostActionFactory(milestone=workshop, participant=participant)  # sent, awaiting review
    ResponseFactory(survey=workshop.surveys.get(), respondent=participant)
    nudge(capture, at(15, 13))
    assert len(subjects_for(participant)) == 4


def test_no_nudge_once_the_plan_has_ended(
    workshop, plan, participant, django_capture_on_commit_callbacks
):
    nudge(django_capture_on_commit_callbacks, at(2, 12, month=4))
    assert mail.outbox == []


def test_someone_not_expected_at_the_session_is_not_nudged(
    workshop, plan, django_capture_on_commit_callbacks
):
    late = PlanMembershipFactory(plan=plan, joined_at=at(5)).user
    nudge(django_capture_on_commit_callbacks, at(8, 13))
    assert subjects_for(late) == []


# The project admins' morning digest


def test_a_project_admin_gets_one_digest_a_morning_when_something_waits(
    workshop, plan, participant, project_admin, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(at(2, 8), tick=False), capture(execute=True):
        assert plan_digests_send() == 0  # nothing waits yet

    ProgressUploadFactory(milestone=workshop, participant=participant)
    with time_machine.travel(at(3, 6), tick=False), capture(execute=True):
        assert plan_digests_send() == 0  # before their morning
    for hour in (7, 9, 15):
        with time_machine.travel(at(3, hour), tick=False), capture(execute=True):
            plan_digests_send()
    (digest,) = [m for m in mail.outbox if project_admin.email in m.to]
    assert digest.subject == "Waiting for you in Northwind"
    assert "Initial Skill Assessment" in digest.body
    assert "1 upload to review" in digest.body
    assert "/uploads/" in digest.body
    assert participant.email not in [a for m in mail.outbox for a in m.to]
    assert Notification.objects.get(kind="plan_digest").scope == f"plan:{plan.pk}"
