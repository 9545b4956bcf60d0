import datetime
import zoneinfo

import pytest

from tests.factories import (
    ActivityFactory,
    McqQuestionFactory,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    QuestionFactory,
    SurveyFactory,
    TrainerFactory,
    UserFactory,
    pdf_file,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int, minute: int = 0, zone=LONDON) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), zone)


@pytest.fixture
def source():
    """A London plan starting Monday 5 October 2026 with the programme's every kind of
    content: a single-day training with a trainer, a file and a link, a multi-day assessment
    with an active survey (and an older inactive one), and a milestone with no date yet."""
    start = datetime.date(2026, 10, 5)
    plan = PlanFactory(
        name="Operations Excellence, spring",
        description="Twelve weeks of lean training.",
        start_date=start,
        end_date=start + datetime.timedelta(days=83),
        time_zone="Europe/London",
    )
    admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    PlanMembershipFactory(plan=plan)
    workshop = MilestoneFactory(
        plan=plan,
        order=0,
        name="Lean workshop",
        kind="training",
        post_action_required=True,
        upload_progress="mandatory",
        attendance_marking="self",
        session_connect="coach",
        meeting_link="https://meet.example.com/lean",
        passcode="4242",
        location="Room 3",
        schedule="confirmed",
        starts_at=at(start + datetime.timedelta(days=2), 9, 30),
        ends_at=at(start + datetime.timedelta(days=2), 12),
    )
    theo = TrainerFactory(plan=plan, name="Theo Trainer", phone="+44 1", bio="Lean coach.")
    workshop.trainers.add(theo)
    ActivityFactory(
        milestone=workshop,
        phase="pre",
        title="Reading",
        upload_type="file",
        url="",
        file=pdf_file("reading.pdf"),
    )
    ActivityFactory(milestone=workshop, phase="post", title="Video", url="https://v.example")
    review = MilestoneFactory(
        plan=plan,
        order=1,
        name="Assessment days",
        kind="assessment",
        multi_day=True,
        meeting_link="",
        location="Head office",
        starts_at=at(start + datetime.timedelta(days=21), 10),
        ends_at=at(start + datetime.timedelta(days=23), 16),
    )
    SurveyFactory(milestone=review, title="Old survey")
    survey = SurveyFactory(milestone=review, title="Assessment feedback", is_active=True)
    McqQuestionFactory(survey=survey, order=0, text="Useful?", options=["Yes", "No"])
    QuestionFactory(survey=survey, order=1, text="Rate it", type="RATING", scale_max=7)
    QuestionFactory(survey=survey, order=2, text="Overall", type="OVERALL_RATING", required=False)
    MilestoneFactory(plan=plan, order=2, name="Closing review", kind="meeting")
    return plan, admin


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)
