"""The session rules hold however a milestone is saved: by its forms, the admin site, a
command or a future API, because they live in the model."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from milestones.models import Milestone
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day, hour):
    return datetime.datetime(2027, 3, day, hour, tzinfo=LONDON)


def errors_of(milestone) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    return refused.value.message_dict


def test_an_end_needs_a_start_and_a_start_an_end(milestone):
    milestone.ends_at = at(1, 12)
    assert errors_of(milestone) == {"starts_at": ["Give the start as well as the end."]}
    milestone.starts_at, milestone.ends_at = at(1, 10), None
    assert errors_of(milestone) == {"ends_at": ["Give the end as well as the start."]}


def test_a_session_ends_after_it_starts(milestone):
    milestone.starts_at, milestone.ends_at = at(1, 12), at(1, 12)
    assert errors_of(milestone) == {"ends_at": ["The session must end after it starts."]}


def test_a_single_day_session_starts_and_ends_on_one_local_day(milestone):
    # 23:00 to 00:30 London time crosses midnight there, though not in every zone.
    milestone.starts_at, milestone.ends_at = at(1, 23), at(2, 0) + datetime.timedelta(minutes=30)
    assert "it must end on the day it starts" in errors_of(milestone)["ends_at"][0]
    milestone.multi_day = True
    milestone.full_clean()


def test_a_multi_day_session_cannot_simply_become_single_day(plan):
    milestone = MilestoneFactory(plan=plan, multi_day=True, starts_at=at(1, 9), ends_at=at(3, 17))
    milestone.multi_day = False
    assert "scheduled over several days" in errors_of(milestone)["multi_day"][0]


def test_a_confirmed_session_needs_its_time_and_a_link_or_a_place(milestone):
    milestone.schedule = Milestone.Schedule.CONFIRMED
    assert errors_of(milestone) == {
        "schedule": ["Set the start and end before confirming the session."]
    }
    milestone.starts_at, milestone.ends_at = at(1, 10), at(1, 12)
    milestone.meeting_link, milestone.location = "", "   "
    assert (
        "needs a meeting link (online) or a location (offline)"
        in (errors_of(milestone)["schedule"][0])
    )
    milestone.location = "Training room 2"
    milestone.full_clean()


def test_the_database_refuses_what_the_rules_refuse(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(plan=plan, starts_at=at(1, 10), ends_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(
            plan=plan,
            schedule=Milestone.Schedule.CONFIRMED,
            starts_at=at(1, 10),
            ends_at=at(1, 11),
            meeting_link="",
            location="",
        )


def test_a_session_past_midnight_keeps_each_night_its_own_hours(plan):
    milestone = MilestoneFactory(plan=plan, multi_day=True, starts_at=at(1, 22), ends_at=at(3, 2))
    days = milestone.session_days()
    assert [day.day.day for day in days] == [1, 2, 3]
    assert (days[1].starts_at.hour, days[1].ends_at.hour) == (22, 0)
    assert (days[-1].starts_at, days[-1].ends_at) == (at(3, 0), at(3, 2))


def test_a_session_has_ended_only_once_its_end_has_passed(milestone):
    assert not milestone.session_ended(at(1, 12))  # unscheduled: nothing can be late yet
    milestone.starts_at, milestone.ends_at = at(1, 10), at(1, 12)
    assert not milestone.session_ended(at(1, 11))
    assert milestone.session_ended(at(1, 12))
