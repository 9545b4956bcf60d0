"""A session's time reads the same on every page: in the viewer's own zone, named, with the
end's date when it falls on another day, and the venue's clock for an in-person session."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from common.times import span_text
from milestones.models import SessionState
from tests.factories import MilestoneFactory, PlanMembershipFactory, TrainerFactory, UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
# Monday 23 November 2026, noon in London.
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)


def at(day, hour, minute=0, zone=LONDON):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=zone)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def render(milestone, zone: str) -> str:
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        html = Template("{% load sessions %}{% session_time milestone %}").render(
            Context({"milestone": milestone})
        )
    return visible_text(html)


class TestTheSpan:
    def test_on_one_day_the_end_is_a_clock_time(self):
        assert span_text(at(23, 9), at(23, 11), LONDON) == "Mon 23 Nov 2026, 09:00 – 11:00"

    def test_an_end_on_another_day_carries_its_date(self):
        starts = at(23, 17, 45)
        text = span_text(starts, starts + datetime.timedelta(hours=5, minutes=15), KOLKATA)
        assert text == "Mon 23 Nov 2026, 23:15 – Tue 24 Nov, 04:30"

    def test_an_end_in_another_year_carries_its_year(self):
        starts = datetime.datetime(2026, 12, 31, 22, tzinfo=LONDON)
        assert (
            span_text(starts, starts + datetime.timedelta(hours=3), LONDON)
            == "Thu 31 Dec 2026, 22:00 – Fri 1 Jan 2027, 01:00"
        )


class TestTheTag:
    def test_in_the_viewers_zone_with_the_zone_named(self, plan):
        milestone = MilestoneFactory(plan=plan, starts_at=at(23, 17, 45), ends_at=at(23, 23))
        assert render(milestone, "Asia/Kolkata") == (
            "Mon 23 Nov 2026, 23:15 – Tue 24 Nov, 04:30 (Asia/Kolkata)"
        )

    def test_an_in_person_session_adds_the_venues_clock_when_it_differs(self, plan):
        milestone = MilestoneFactory(
            plan=plan, starts_at=at(23, 17, 45), ends_at=at(23, 23), location="Leeds, Room 2"
        )
        assert render(milestone, "Asia/Kolkata") == (
            "Mon 23 Nov 2026, 23:15 – Tue 24 Nov, 04:30 (Asia/Kolkata) "
            "At the venue: Mon 23 Nov 2026, 17:45 – 23:00 (Europe/London)"
        )
        assert "At the venue" not in render(milestone, "Europe/London")

    def test_an_online_session_has_no_venue(self, plan):
        milestone = MilestoneFactory(plan=plan, starts_at=at(23, 9), ends_at=at(23, 11))
        assert "venue" not in render(milestone, "Asia/Kolkata")

    def test_a_multi_day_session_says_it_meets_each_day(self, plan):
        milestone = MilestoneFactory(
            plan=plan, multi_day=True, starts_at=at(23, 9), ends_at=at(25, 17)
        )
        assert render(milestone, "Europe/London") == (
            "Mon 23 Nov 2026, 09:00 – Wed 25 Nov, 17:00 (Europe/London), "
            "3 days, 09:00–17:00 each day"
        )

    def test_an_unscheduled_session_says_so(self, plan):
        assert render(MilestoneFactory(plan=plan), "UTC") == "Not scheduled yet"


class TestSessionState:
    @pytest.mark.parametrize(
        ("starts", "ends", "state"),
        [
            (at(23, 14), at(23, 15), SessionState.UPCOMING),
            (at(23, 11), at(23, 13), SessionState.LIVE),
            (at(23, 12), at(23, 13), SessionState.LIVE),  # from its first minute
            (at(23, 10), at(23, 12), SessionState.PAST),  # ended on the dot
            (None, None, SessionState.UNSCHEDULED),
        ],
    )
    def test_a_one_day_session(self, plan, starts, ends, state):
        milestone = MilestoneFactory(plan=plan, starts_at=starts, ends_at=ends)
        assert milestone.session_state() == state

    def test_a_multi_day_session_is_live_in_each_days_slot_only(self, plan):
        milestone = MilestoneFactory(
            plan=plan, multi_day=True, starts_at=at(22, 9), ends_at=at(24, 17)
        )
        assert milestone.session_state(at(22, 8)) == SessionState.UPCOMING
        assert milestone.session_state(at(22, 10)) == SessionState.LIVE
        assert milestone.session_state(at(22, 20)) == SessionState.BETWEEN_DAYS
        assert milestone.session_state(at(23, 12)) == SessionState.LIVE  # day two
        assert milestone.session_state(at(24, 16, 59)) == SessionState.LIVE
        assert milestone.session_state(at(24, 17)) == SessionState.PAST

    def test_a_session_under_way_is_live_on_every_page_not_upcoming(
        self, client, plan, participant, project_admin
    ):
        milestone = MilestoneFactory(
            plan=plan,
            name="Kaizen clinic",
            starts_at=at(23, 11),
            ends_at=at(23, 13),
            schedule="confirmed",
            meeting_link="https://meet.example.com/kaizen",
        )
        client.force_login(participant)
        for url in (
            reverse("home"),
            reverse("progress:my_plan", args=[plan.pk]),
            reverse("progress:my_milestone", args=[plan.pk, milestone.pk]),
        ):
            text = visible_text(client.get(url))
            assert "Live now" in text and "Upcoming" not in text, url
            # The way in comes before anything else about the session.
            assert text.index("Join now") < text.index("Mon 23 Nov 2026, 11:00"), url
        client.force_login(project_admin)
        for url in (
            reverse("milestones:plan", args=[plan.pk]),
            reverse("milestones:detail", args=[plan.pk, milestone.pk]),
        ):
            text = visible_text(client.get(url))
            assert "Live now" in text and "Upcoming" not in text, url

    def test_a_session_that_ended_offers_no_way_in(self, client, plan, participant):
        milestone = MilestoneFactory(
            plan=plan,
            starts_at=at(23, 9),
            ends_at=at(23, 11),
            meeting_link="https://meet.example.com/over",
        )
        client.force_login(participant)
        page = client.get(reverse("progress:my_milestone", args=[plan.pk, milestone.pk]))
        assert "Past" in visible_text(page) and "meet.example.com/over" not in page.text


def test_a_trainer_reads_the_same_time_on_his_home_register_and_uploads(client, plan):
    """The trainer in Berlin and the plan in London: every page says Berlin time, named."""
    trainer = UserFactory(time_zone="Europe/Berlin")
    milestone = MilestoneFactory(plan=plan, starts_at=at(24, 10), ends_at=at(24, 12))
    milestone.trainers.add(TrainerFactory(plan=plan, user=trainer))
    PlanMembershipFactory(plan=plan)
    client.force_login(trainer)
    expected = "Tue 24 Nov 2026, 11:00 – 13:00 (Europe/Berlin)"
    for url in (
        reverse("home"),
        reverse("milestones:attendance", args=[plan.pk, milestone.pk]),
        reverse("milestones:uploads_review", args=[plan.pk, milestone.pk]),
    ):
        text = visible_text(client.get(url))
        assert expected in text, url
        assert "10:00" not in text, url


def test_the_milestone_details_give_the_plans_clock_beside_the_admins_own(client, plan):
    admin = PlanMembershipFactory(
        plan=plan, role="project_admin", user__time_zone="America/New_York"
    ).user
    milestone = MilestoneFactory(plan=plan, starts_at=at(24, 10), ends_at=at(24, 12))
    client.force_login(admin)
    text = visible_text(client.get(reverse("milestones:detail", args=[plan.pk, milestone.pk])))
    assert "Tue 24 Nov 2026, 05:00 – 07:00 (America/New York)" in text
    assert "In the plan's time zone: Tue 24 Nov 2026, 10:00 – 12:00 (Europe/London)" in text
