import datetime

import pytest
import time_machine
from django.utils import timezone

from milestones.attendance.selectors import session_dates
from milestones.models import Attendance, Milestone, PostAction, ProgressUpload
from progress.completion import State, plan_progress
from surveys.models import Response
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2027, 3, 10, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(plan):
    return PlanMembershipFactory(plan=plan, joined_at=NOW - datetime.timedelta(days=30))


def session(plan, *, days_ago=2, **settings):
    starts = NOW - datetime.timedelta(days=days_ago, hours=2)
    return MilestoneFactory(
        plan=plan, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1), **settings
    )


def cell(plan, member, milestone):
    progress = plan_progress(plan)
    row = next(r for r in progress.rows if r.membership == member)
    return row.cells[progress.milestones.index(milestone)]


def attend(milestone, participant, status="present"):
    for day in session_dates(milestone):
        Attendance.objects.create(
            milestone=milestone, participant=participant, day=day, status=status
        )


def test_a_past_session_nobody_attended_is_missing(plan, member):
    milestone = session(plan)
    result = cell(plan, member, milestone)
    assert result.state == State.MISSING
    assert result.missing == ["Attend the session"]


def test_attending_completes_a_milestone_that_asks_only_that(plan, member):
    milestone = session(plan)
    attend(milestone, member.user)
    assert cell(plan, member, milestone).state == State.COMPLETE


def test_excused_counts_as_attended_but_absent_does_not(plan, member):
    milestone = session(plan)
    attend(milestone, member.user, "absent")
    assert cell(plan, member, milestone).state == State.MISSING
    Attendance.objects.update(status="excused")
    assert cell(plan, member, milestone).state == State.COMPLETE


def test_a_multi_day_event_needs_every_day(plan, member):
    starts = NOW - datetime.timedelta(days=5)
    milestone = MilestoneFactory(
        plan=plan,
        multi_day=True,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=1, hours=2),
    )
    first_day = session_dates(milestone)[0]
    Attendance.objects.create(
        milestone=milestone, participant=member.user, day=first_day, status="present"
    )
    result = cell(plan, member, milestone)
    assert result.state == State.MISSING  # the only requirement is not fully met
    assert result.missing == ["Attend all 2 days"]
    attend_day_two = session_dates(milestone)[1]
    Attendance.objects.create(
        milestone=milestone, participant=member.user, day=attend_day_two, status="present"
    )
    assert cell(plan, member, milestone).state == State.COMPLETE


def test_every_requirement_the_settings_switch_on_counts(plan, member):
    milestone = session(
        plan, upload_progress=Milestone.UploadProgress.MANDATORY, post_action_required=True
    )
    survey = milestone.surveys.create(title="Feedback", is_active=True)
    attend(milestone, member.user)
    result = cell(plan, member, milestone)
    assert result.state == State.IN_PROGRESS
    assert result.missing == [
        "An accepted progress upload",
        "A validated follow-up action",
        "Answer the survey",
    ]

    upload = ProgressUpload.objects.create(
        milestone=milestone, participant=member.user, file="x.pdf"
    )
    assert (
        "An accepted progress upload" in cell(plan, member, milestone).missing
    )  # not yet accepted
    upload.status = ProgressUpload.Status.ACCEPTED
    upload.save()
    action = PostAction.objects.create(milestone=milestone, participant=member.user, text="Do")
    Response.objects.create(survey=survey, respondent=member.user)
    waiting = cell(plan, member, milestone)
    assert waiting.state == State.IN_PROGRESS
    assert waiting.missing == ["A validated follow-up action"]
    assert waiting.requirement("post_action").awaiting_review

    action.validated_at = NOW
    action.save()
    assert cell(plan, member, milestone).state == State.COMPLETE


def test_an_upload_awaiting_review_is_not_the_participants_to_do(plan, member):
    milestone = session(plan, upload_progress=Milestone.UploadProgress.MANDATORY)
    ProgressUpload.objects.create(milestone=milestone, participant=member.user, file="x.pdf")
    requirement = cell(plan, member, milestone).requirement("upload")
    assert not requirement.met and requirement.awaiting_review


def test_changing_a_setting_changes_completion_for_everyone_at_once(plan, member):
    other = PlanMembershipFactory(plan=plan, joined_at=member.joined_at)
    milestone = session(plan)
    attend(milestone, member.user)
    attend(milestone, other.user)
    assert {r.cells[0].state for r in plan_progress(plan).rows} == {State.COMPLETE}

    milestone.post_action_required = True
    milestone.save()
    assert {r.cells[0].state for r in plan_progress(plan).rows} == {State.IN_PROGRESS}

    milestone.post_action_required = False
    milestone.upload_progress = Milestone.UploadProgress.OPTIONAL
    milestone.save()
    assert {r.cells[0].state for r in plan_progress(plan).rows} == {State.COMPLETE}


def test_only_the_active_survey_counts(plan, member):
    milestone = session(plan)
    attend(milestone, member.user)
    old = milestone.surveys.create(title="Old")
    Response.objects.create(survey=old, respondent=member.user)
    milestone.surveys.create(title="Current", is_active=True)
    assert cell(plan, member, milestone).missing == ["Answer the survey"]


def test_someone_who_joined_after_a_session_is_not_expected_there(plan, member):
    held = session(plan, days_ago=10)
    upcoming = session(plan, days_ago=-3)
    late = PlanMembershipFactory(plan=plan, joined_at=NOW - datetime.timedelta(days=1))
    progress = plan_progress(plan)
    row = next(r for r in progress.rows if r.membership == late)
    states = dict(
        zip([m.pk for m in progress.milestones], [c.state for c in row.cells], strict=True)
    )
    assert states == {held.pk: State.NOT_EXPECTED, upcoming.pk: State.NOT_DUE}
    assert (row.expected, row.complete, row.percent) == (1, 0, 0)


def test_upcoming_and_unscheduled_milestones_are_not_due(plan, member):
    upcoming = session(plan, days_ago=-3)
    unscheduled = MilestoneFactory(plan=plan, post_action_required=True)
    assert cell(plan, member, upcoming).state == State.NOT_DUE
    assert cell(plan, member, unscheduled).state == State.NOT_DUE


def test_a_milestone_whose_session_has_not_ended_is_never_complete(plan, member):
    unscheduled = MilestoneFactory(plan=plan, post_action_required=True)
    PostAction.objects.create(
        milestone=unscheduled, participant=member.user, text="Early", validated_at=NOW
    )
    assert cell(plan, member, unscheduled).state == State.IN_PROGRESS

    under_way = MilestoneFactory(
        plan=plan,
        starts_at=NOW - datetime.timedelta(hours=1),
        ends_at=NOW + datetime.timedelta(hours=1),
    )
    attend(under_way, member.user)
    result = cell(plan, member, under_way)
    assert result.state == State.IN_PROGRESS and not result.missing
    assert "completes when the session ends" in result.summary


def test_plan_progress_is_the_share_of_expected_milestones_complete(plan, member):
    done, missed = session(plan), session(plan)
    session(plan, days_ago=-5)
    attend(done, member.user)
    row = plan_progress(plan).rows[0]
    assert (row.complete, row.expected, row.percent) == (1, 3, 33)
    assert missed  # the missed one counts against them


def test_session_days_follow_the_plans_time_zone():
    plan = PlanFactory(time_zone="Asia/Kolkata")
    starts = datetime.datetime(2027, 3, 1, 20, tzinfo=UTC)  # 01:30 on 2 March in Kolkata
    milestone = MilestoneFactory(
        plan=plan, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    assert session_dates(milestone) == [datetime.date(2027, 3, 2)]


def test_progress_takes_a_fixed_number_of_queries(plan, member, django_assert_num_queries):
    for _ in range(3):
        milestone = session(plan, upload_progress="mandatory", post_action_required=True)
        milestone.surveys.create(title="S", is_active=True)
    with django_assert_num_queries(7):
        plan_progress(plan)
    for _ in range(10):
        PlanMembershipFactory(plan=plan)
        milestone = session(plan)
        attend(milestone, member.user)
    with django_assert_num_queries(7):
        plan_progress(plan)
    assert timezone.now() == NOW
