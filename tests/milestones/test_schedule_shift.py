"""A postponed cohort: a project admin moves every session ahead by some days, sees where
each one goes first, and on confirming it everyone taking part in a confirmed session gets
one update for it. Sessions keep their local clock times across a change of the clocks."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bip.models import Plan
from milestones import services
from milestones.models import Milestone, SessionAnnouncement
from milestones.notices.services import settled_sessions_announce
from milestones.selectors import schedule_shift
from notifications.models import Notification
from tests.factories import MilestoneFactory, PlanMembershipFactory, TrainerFactory, UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# British Summer Time ends on Sunday 25 October 2026, the last Sunday of the month.
NOW = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON)


def at(month, day, hour, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cohort(plan, milestone, participant, clock):
    """Northwind (Europe/London) has not started yet: it runs from 5 October to 30 November.
    Its sessions: the held-over kick-off call already held, a confirmed workshop at 09:00 on
    Friday 23 October (summer time), a confirmed two-day retreat over the clock change and a
    tentative review; one milestone has no date yet."""
    plan.start_date, plan.end_date = datetime.date(2026, 10, 5), datetime.date(2026, 11, 30)
    plan.save()
    held = MilestoneFactory(
        plan=plan, name="Kick-off call", starts_at=at(9, 28, 9), ends_at=at(9, 28, 10)
    )
    Milestone.objects.filter(pk=milestone.pk).update(
        name="Workshop",
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=at(10, 23, 9),
        ends_at=at(10, 23, 11),
    )
    retreat = MilestoneFactory(
        plan=plan,
        name="Retreat",
        multi_day=True,
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=at(10, 24, 9),
        ends_at=at(10, 26, 17),
    )
    review = MilestoneFactory(
        plan=plan, name="Review", starts_at=at(11, 2, 14), ends_at=at(11, 2, 15)
    )
    MilestoneFactory(plan=plan, name="Not dated yet")
    ravi = PlanMembershipFactory(plan=plan, user__display_name="Ravi Rao").user
    theo = TrainerFactory(plan=plan, name="Theo", user=UserFactory(display_name="Theo"))
    milestone.trainers.add(theo)
    return {
        "held": held,
        "workshop": Milestone.objects.get(pk=milestone.pk),
        "retreat": retreat,
        "review": review,
        "people": [participant, ravi, theo.user],
    }


def local(moment):
    return moment.astimezone(LONDON)


def reloaded(milestone):
    return Milestone.objects.get(pk=milestone.pk)


def test_a_week_later_keeps_nine_oclock_at_nine_across_the_clock_change(plan, cohort):
    services.plan_schedule_shift(plan=plan, days=7)

    workshop = reloaded(cohort["workshop"])
    assert local(workshop.starts_at) == at(10, 30, 9)  # Friday 30 October, 09:00 GMT
    assert local(workshop.ends_at) == at(10, 30, 11)
    # In summer time 09:00 was 08:00 UTC; in winter time it is 09:00 UTC.
    assert workshop.starts_at.astimezone(datetime.UTC).hour == 9
    retreat = reloaded(cohort["retreat"])
    assert (local(retreat.starts_at), local(retreat.ends_at)) == (at(10, 31, 9), at(11, 2, 17))


def test_a_multi_day_session_moved_into_the_clock_change_keeps_its_local_times(plan, cohort):
    services.plan_schedule_shift(plan=plan, days=1)

    retreat = reloaded(cohort["retreat"])
    # Sunday 25 October is 25 hours long: the retreat still opens at 09:00 and closes at
    # 17:00 local time.
    assert (local(retreat.starts_at), local(retreat.ends_at)) == (at(10, 25, 9), at(10, 27, 17))
    assert [day.starts_at.hour for day in retreat.session_days()] == [9, 9, 9]


def test_sessions_held_stay_and_the_plans_dates_move_with_the_rest(plan, cohort):
    shift = services.plan_schedule_shift(plan=plan, days=14)

    assert [s.milestone.name for s in shift.moved] == ["Workshop", "Retreat", "Review"]
    held = reloaded(cohort["held"])
    assert local(held.starts_at) == at(9, 28, 9)
    assert local(reloaded(cohort["review"]).starts_at) == at(11, 16, 14)
    assert Milestone.objects.get(name="Not dated yet").starts_at is None
    plan.refresh_from_db()
    assert (plan.start_date, plan.end_date) == (
        datetime.date(2026, 10, 19),
        datetime.date(2026, 12, 14),
    )


def test_once_a_plan_has_started_its_start_date_stays(plan, cohort, clock):
    clock.move_to(at(10, 10, 9))
    services.plan_schedule_shift(plan=plan, days=-3)
    plan.refresh_from_db()
    assert (plan.start_date, plan.end_date) == (
        datetime.date(2026, 10, 5),
        datetime.date(2026, 11, 27),
    )
    assert local(reloaded(cohort["workshop"]).starts_at) == at(10, 20, 9)


def test_the_preview_shows_old_and_new_dates_and_changes_nothing(
    plan, cohort, project_admin_client
):
    url = reverse("milestones:shift", args=[plan.pk])
    assert b"shift-preview" not in project_admin_client.get(url).content  # nothing asked yet

    response = project_admin_client.get(url, {"days": 7})

    text = visible_text(response)
    assert "Preview: 7 days later" in text
    assert "Fri 23 Oct 2026, 09:00 – 11:00" in text and "Fri 30 Oct 2026, 09:00 – 11:00" in text
    assert "Sat 24 Oct 2026, 09:00 – Mon 26 Oct, 17:00" in text
    assert "Sat 31 Oct 2026, 09:00 – Mon 2 Nov, 17:00" in text
    # Written like every session: in the reader's zone (UTC here), the plan's clock beside it.
    assert "Sat 24 Oct 2026, 08:00 – Mon 26 Oct, 17:00 (UTC)" in text
    assert (
        "In the plan's time zone: Sat 24 Oct 2026, 09:00 – Mon 26 Oct, 17:00 (Europe/London)"
    ) in text
    assert "Kick-off call" in text and "Stays: it has started" in text
    assert "Mon 5 Oct 2026 – Mon 30 Nov 2026" in text and "Mon 12 Oct 2026 – Mon 7 Dec 2026" in text
    assert "Move 3 sessions 7 days later" in text
    assert local(reloaded(cohort["workshop"]).starts_at) == at(10, 23, 9)


def test_confirming_the_preview_moves_the_sessions(plan, cohort, project_admin_client):
    response = project_admin_client.post(
        reverse("milestones:shift", args=[plan.pk]), {"days": -2}, follow=True
    )

    assert "3 sessions moved 2 days earlier." in visible_text(response)
    assert local(reloaded(cohort["workshop"]).starts_at) == at(10, 21, 9)


def test_everyone_taking_part_gets_one_update_per_confirmed_session_moved(
    plan, cohort, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for milestone in (cohort["workshop"], cohort["retreat"]):
        with capture(execute=True):
            services.milestone_save(milestone=reloaded(milestone))  # invited
    clock.shift(datetime.timedelta(minutes=5))
    with capture(execute=True):
        settled_sessions_announce()
    mail.outbox.clear()
    Notification.objects.all().delete()

    with capture(execute=True):
        services.plan_schedule_shift(plan=plan, days=7)
    clock.shift(datetime.timedelta(minutes=5))
    with capture(execute=True):
        settled_sessions_announce()
        settled_sessions_announce()  # beat running again sends nothing more

    changes = SessionAnnouncement.objects.filter(change=SessionAnnouncement.Change.CHANGED)
    assert sorted(a.milestone.name for a in changes) == ["Retreat", "Workshop"]
    participant, ravi, theo = cohort["people"]
    for person in (participant, ravi):
        subjects = sorted(m.subject for m in mail.outbox if person.email in m.to)
        assert len(subjects) == 2, subjects
        assert any("Workshop" in s for s in subjects) and any("Retreat" in s for s in subjects)
    assert len([m for m in mail.outbox if theo.email in m.to]) == 1  # runs the workshop only


def test_a_shift_that_would_move_a_session_into_the_past_is_refused(
    plan, cohort, project_admin_client
):
    url = reverse("milestones:shift", args=[plan.pk])
    preview = visible_text(project_admin_client.get(url, {"days": -30}))
    assert "“Workshop” would start on Wednesday 23 September 2026, which has passed" in preview
    assert "Move 3 sessions" not in preview

    response = project_admin_client.post(url, {"days": -30}, follow=True)

    assert "which has passed" in visible_text(response)
    assert local(reloaded(cohort["workshop"]).starts_at) == at(10, 23, 9)


@pytest.mark.parametrize("days", ["0", "366", "-400", "soon"])
def test_a_number_of_days_out_of_bounds_is_refused_next_to_the_field(
    plan, cohort, project_admin_client, days
):
    url = reverse("milestones:shift", args=[plan.pk])
    response = project_admin_client.post(url, {"days": days})
    assert response.status_code == 200
    assert 'id="error_1_id_days"' in response.content.decode()
    assert local(reloaded(cohort["workshop"]).starts_at) == at(10, 23, 9)
    with pytest.raises(ValidationError):
        services.plan_schedule_shift(plan=plan, days=int(days) if days != "soon" else 0)


def test_an_archived_plan_cannot_be_shifted(plan, cohort, project_admin):
    Plan.objects.filter(pk=plan.pk).update(archived_at=NOW, archived_by=project_admin)
    plan.refresh_from_db()
    assert Plan.ARCHIVED_MESSAGE in schedule_shift(plan, days=7).problems
    with pytest.raises(ValidationError):
        services.plan_schedule_shift(plan=plan, days=7)


def test_the_shift_page_runs_a_fixed_number_of_queries(
    plan, cohort, project_admin_client, django_assert_num_queries
):
    url = reverse("milestones:shift", args=[plan.pk])
    with CaptureQueriesContext(connection) as queries:
        assert project_admin_client.get(url, {"days": 7}).status_code == 200
    for day in range(3, 20):
        MilestoneFactory(
            plan=plan,
            schedule=Milestone.Schedule.CONFIRMED,
            starts_at=at(11, day, 10),
            ends_at=at(11, day, 12),
        )
    with django_assert_num_queries(len(queries)):
        project_admin_client.get(url, {"days": 7})
