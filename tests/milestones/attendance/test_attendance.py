"""Attendance: session days in the plan's zone, when participants may mark themselves
present, who is expected, and the register project admins and trainers fill in."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from milestones.attendance.selectors import (
    attendance_register,
    participant_attendance,
    session_dates,
)
from milestones.attendance.services import attendance_register_save, attendance_self_mark
from milestones.models import Attendance, Milestone
from tests.factories import (
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
)
from tests.pages import UNFOLLOWABLE_NEXTS, links, visible_text

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MAR_1 = datetime.date(2027, 3, 1)
MAR_2 = datetime.date(2027, 3, 2)
MAR_3 = datetime.date(2027, 3, 3)


def london(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def joined_long_ago():
    return london(datetime.date(2027, 1, 4), 9)


@pytest.fixture
def session(milestone):
    """The plan's milestone, self-marked, on Monday 1 March 2027, 10:00 to 12:00 in London."""
    milestone.attendance_marking = Milestone.AttendanceMarking.SELF
    milestone.starts_at, milestone.ends_at = london(MAR_1, 10), london(MAR_1, 12)
    milestone.save()
    return milestone


@pytest.fixture
def three_days(plan):
    """A self-marked workshop from Monday 1 March 09:00 to Wednesday 3 March 17:00."""
    return MilestoneFactory(
        plan=plan,
        name="Lean bootcamp",
        multi_day=True,
        attendance_marking=Milestone.AttendanceMarking.SELF,
        starts_at=london(MAR_1, 9),
        ends_at=london(MAR_3, 17),
    )


@pytest.fixture
def clock():
    """Frozen at 10:00 on 1 March 2027 in London; ask for it before anyone signs in, or
    their session would have expired by then."""
    with time_machine.travel(london(MAR_1, 10), tick=False) as traveller:
        yield traveller


def mark(milestone, participant, when):
    return attendance_self_mark(milestone=milestone, participant=participant, now=when)


# Session days


def test_a_one_day_session_has_one_day(session):
    assert session_dates(session) == [MAR_1]


def test_a_multi_day_session_has_every_local_date_from_start_to_end(three_days):
    assert session_dates(three_days) == [MAR_1, MAR_2, MAR_3]


def test_an_unscheduled_milestone_has_no_session_days(plan):
    assert session_dates(MilestoneFactory(plan=plan)) == []


def test_session_days_are_dates_in_the_plans_zone_not_utc():
    plan = PlanFactory(time_zone="Asia/Tokyo")
    tokyo = ZoneInfo("Asia/Tokyo")
    # 08:00 to 09:00 on 1 March in Tokyo is still 28 February in UTC.
    milestone = MilestoneFactory(
        plan=plan,
        attendance_marking=Milestone.AttendanceMarking.SELF,
        starts_at=datetime.datetime(2027, 3, 1, 8, tzinfo=tokyo),
        ends_at=datetime.datetime(2027, 3, 1, 9, tzinfo=tokyo),
    )
    assert milestone.starts_at.astimezone(datetime.UTC).date() == datetime.date(2027, 2, 28)
    assert session_dates(milestone) == [MAR_1]

    person = PlanMembershipFactory(plan=plan, joined_at=joined_long_ago()).user
    early = datetime.datetime(2027, 3, 1, 7, 40, tzinfo=tokyo)
    # The reason speaks in the reader's own zone: here someone in Tokyo, then in UTC.
    with (
        timezone.override(tokyo),
        pytest.raises(ValidationError, match="Marking opens at 07:45 on Mon 1 Mar"),
    ):
        mark(milestone, person, early)
    with pytest.raises(ValidationError, match="Marking opens at 22:45 on Sun 28 Feb"):
        mark(milestone, person, early)
    assert mark(milestone, person, early + datetime.timedelta(minutes=5)).day == MAR_1


# Self marking window


def test_marking_is_not_open_more_than_15_minutes_before_the_session(session, participant):
    with pytest.raises(ValidationError) as refusal:
        mark(session, participant, london(MAR_1, 9, 44))
    assert refusal.value.messages == ["Marking opens at 09:45 on Mon 1 Mar"]
    assert not Attendance.objects.exists()


def test_marking_opens_15_minutes_before_the_session_starts(session, participant):
    attendance = mark(session, participant, london(MAR_1, 9, 45))
    assert attendance.day == MAR_1
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.self_marked is True
    assert attendance.marked_by == participant
    assert attendance.validated_at is None and attendance.validated_by is None


def test_marking_stays_open_until_the_session_ends(session, participant):
    assert mark(session, participant, london(MAR_1, 11, 59)).status == "present"


def test_marking_closes_when_the_session_ends(session, participant):
    with pytest.raises(ValidationError, match="Marking closed when the session ended"):
        mark(session, participant, london(MAR_1, 12))


def test_the_opening_can_be_set_in_settings(session, participant, settings):
    settings.ATTENDANCE_SELF_MARKING_OPENS_MINUTES = 30
    assert mark(session, participant, london(MAR_1, 9, 31)).day == MAR_1


def test_participants_cannot_mark_where_the_project_admin_marks(session, participant):
    session.attendance_marking = Milestone.AttendanceMarking.PROJECT_ADMIN
    session.save()
    with pytest.raises(ValidationError, match="Your project admin marks attendance"):
        mark(session, participant, london(MAR_1, 10, 30))


def test_an_unscheduled_session_cannot_be_marked(plan, participant):
    milestone = MilestoneFactory(plan=plan, attendance_marking=Milestone.AttendanceMarking.SELF)
    with pytest.raises(ValidationError, match="once the session is scheduled"):
        mark(milestone, participant, london(MAR_1, 10))


def test_each_day_of_a_multi_day_session_has_its_own_window(three_days, participant):
    # Day 2 runs on the session's clock: 09:00 to 17:00.
    assert mark(three_days, participant, london(MAR_2, 8, 50)).day == MAR_2
    with pytest.raises(ValidationError, match="Marking opens at 08:45 on Wed 3 Mar"):
        mark(three_days, participant, london(MAR_2, 17, 30))
    assert mark(three_days, participant, london(MAR_3, 16, 59)).day == MAR_3
    with pytest.raises(ValidationError, match="Marking closed when the session ended"):
        mark(three_days, participant, london(MAR_3, 17))
    assert list(Attendance.objects.values_list("day", flat=True)) == [MAR_2, MAR_3]


def test_a_missed_day_is_closed_once_its_part_of_the_session_ends(three_days, participant):
    info = participant_attendance(three_days, participant, now=london(MAR_2, 12))
    assert [(day.date, day.can_mark, day.reason) for day in info.days] == [
        (MAR_1, False, "Marking closed when the session ended"),
        (MAR_2, True, ""),
        (MAR_3, False, "Marking opens at 08:45 on Wed 3 Mar"),
    ]


# Marking twice, and two marks racing


def test_marking_twice_leaves_one_row(session, participant):
    first = mark(session, participant, london(MAR_1, 10))
    second = mark(session, participant, london(MAR_1, 10, 5))
    assert first.pk == second.pk
    assert Attendance.objects.count() == 1


def test_a_mark_the_project_admin_already_made_is_left_as_it_is(
    session, participant, project_admin
):
    attendance_register_save(
        milestone=session, day=MAR_1, marks={participant.pk: "excused"}, marked_by=project_admin
    )
    attendance = mark(session, participant, london(MAR_1, 10))
    assert attendance.status == "excused" and not attendance.self_marked
    assert Attendance.objects.count() == 1


def test_a_mark_racing_another_leaves_one_row(session, participant, monkeypatch):
    from django.db.models.query import QuerySet

    real_get = QuerySet.get
    raced = []

    def other_request_inserts_after_our_look_up(self, *args, **kwargs):
        if self.model is Attendance and not raced:
            raced.append(
                Attendance.objects.create(
                    milestone=session, participant=participant, day=MAR_1, status="present"
                )
            )
            raise Attendance.DoesNotExist
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", other_request_inserts_after_our_look_up)
    attendance = mark(session, participant, london(MAR_1, 10))
    assert attendance.pk == raced[0].pk
    assert Attendance.objects.count() == 1


def test_a_mark_whose_insert_collides_returns_the_row_that_won(session, participant, monkeypatch):
    winner = Attendance.objects.create(
        milestone=session, participant=participant, day=MAR_1, status="present"
    )

    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(Attendance.objects, "get_or_create", collide)
    assert mark(session, participant, london(MAR_1, 10)).pk == winner.pk
    assert Attendance.objects.count() == 1


def test_the_database_refuses_a_second_row_for_the_same_day(session, participant):
    Attendance.objects.create(
        milestone=session, participant=participant, day=MAR_1, status="present"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            milestone=session, participant=participant, day=MAR_1, status="absent"
        )


# Who is expected


def test_someone_who_joined_after_the_session_is_not_expected(session, plan):
    late = PlanMembershipFactory(plan=plan, joined_at=london(MAR_1, 12, 1)).user
    info = participant_attendance(session, late, now=london(MAR_1, 11))
    assert info.expected is False
    assert info.not_expected_reason == "Not expected (joined after the session)"
    assert info.days[0].can_mark is False
    with pytest.raises(ValidationError, match="Not expected"):
        mark(session, late, london(MAR_1, 11))


def test_someone_who_joined_during_the_session_is_expected(session, plan):
    during = PlanMembershipFactory(plan=plan, joined_at=london(MAR_1, 11)).user
    assert participant_attendance(session, during, now=london(MAR_1, 11)).expected is True


def test_the_participant_sees_each_day_with_its_mark(three_days, participant, project_admin):
    mark(three_days, participant, london(MAR_1, 9))
    attendance_register_save(
        milestone=three_days, day=MAR_2, marks={participant.pk: "absent"}, marked_by=project_admin
    )
    info = participant_attendance(three_days, participant, now=london(MAR_3, 8))
    assert info.expected and info.self_marking and info.scheduled
    assert info.can_mark is False
    day_1, day_2, day_3 = info.days
    assert (day_1.date, day_1.attendance.status, day_1.can_mark, day_1.reason) == (
        MAR_1,
        "present",
        False,
        "",
    )
    assert day_1.awaiting_validation and not day_1.validated
    assert (day_2.attendance.status, day_2.attendance.self_marked, day_2.validated) == (
        "absent",
        False,
        True,
    )
    assert (day_3.attendance, day_3.reason) == (None, "Marking opens at 08:45 on Wed 3 Mar")


def test_the_participant_card_offers_the_button_only_when_marking_is_open(session, participant, rf):
    from django.template.loader import render_to_string

    request = rf.get("/plans/")
    request.user = participant

    def card(now):
        info = participant_attendance(session, participant, now=now)
        return render_to_string(
            "milestones/_participant_attendance.html",
            {"attendance": info, "milestone": session},
            request=request,
        )

    early = card(london(MAR_1, 9))
    assert "Marking opens at 09:45 on Mon 1 Mar" in early and "Mark me present" not in early
    during = card(london(MAR_1, 10))
    assert "Mark me present" in during
    assert reverse("milestones:attendance_self_mark", args=[session.plan_id, session.pk]) in during


# The register


@pytest.fixture
def ada_ben_cy(plan):
    return [
        PlanMembershipFactory(plan=plan, joined_at=joined_long_ago(), user__display_name=name).user
        for name in ("Ada", "Ben", "Cy")
    ]


def register_url(milestone, day=None):
    url = reverse("milestones:attendance", args=[milestone.plan_id, milestone.pk])
    return f"{url}?day={day.isoformat()}" if day else url


def post_register(client, milestone, day, statuses=None, *, action=None):
    """Save the register as its page does: a line per expected participant, each keeping the
    status shown unless `statuses` ({person: status}) changes it."""
    return client.post(register_url(milestone), register_data(milestone, day, statuses, action))


def register_data(milestone, day, statuses=None, action=None):
    lines = [row for row in attendance_register(milestone, day) if row.expected]
    data = {
        "day": day.isoformat(),
        "form-TOTAL_FORMS": len(lines),
        "form-INITIAL_FORMS": len(lines),
    }
    for index, row in enumerate(lines):
        data[f"form-{index}-participant"] = row.participant.pk
        data[f"form-{index}-status"] = (statuses or {}).get(row.participant, row.status or "")
    if action:
        data["action"] = action
    return data


def checked_status(page, person) -> str | None:
    """The status the register page shows as chosen for a person."""
    index = re.search(rf'name="(form-\d+)-participant" value="{person.pk}"', page.text).group(1)
    chosen = re.search(rf'name="{index}-status" value="(\w+)"[^>]*checked', page.text)
    return chosen.group(1) if chosen else None


def test_saving_the_register_marks_and_validates_the_whole_cohort(
    clock, session, ada_ben_cy, project_admin, project_admin_client
):
    ada, ben, cy = ada_ben_cy
    clock.move_to(london(MAR_1, 12, 30))
    response = post_register(
        project_admin_client, session, MAR_1, {ada: "present", ben: "absent", cy: "excused"}
    )
    assert response.status_code == 302
    rows = {a.participant: a for a in Attendance.objects.all()}
    assert {p: a.status for p, a in rows.items()} == {
        ada: "present",
        ben: "absent",
        cy: "excused",
    }
    assert all(
        a.validated_by == project_admin and a.marked_by == project_admin for a in rows.values()
    )
    assert all(a.validated_at == london(MAR_1, 12, 30) for a in rows.values())

    page = project_admin_client.get(response.url)
    assert "The register for Mon 1 Mar is saved: 3 marks, all validated." in page.text
    assert (checked_status(page, ada), checked_status(page, ben)) == ("present", "absent")


def test_a_self_mark_awaits_validation_and_keeps_who_made_it(
    session, ada_ben_cy, project_admin, project_admin_client
):
    ada, ben, _ = ada_ben_cy
    mark(session, ada, london(MAR_1, 10))
    page = project_admin_client.get(register_url(session))
    assert page.text.count("Self-marked, awaiting validation") == 1
    assert "1 self-marked, awaiting validation" in page.text

    attendance_register_save(
        milestone=session,
        day=MAR_1,
        marks={ada.pk: "present", ben.pk: "absent"},
        marked_by=project_admin,
    )
    ada_row = Attendance.objects.get(participant=ada)
    assert ada_row.self_marked and ada_row.marked_by == ada
    assert ada_row.validated_by == project_admin
    page = project_admin_client.get(register_url(session))
    assert "Self-marked, awaiting validation" not in page.text
    assert "Self-marked, validated" in page.text


def test_changing_a_self_mark_makes_it_the_admins_mark(session, ada_ben_cy, project_admin):
    ada = ada_ben_cy[0]
    mark(session, ada, london(MAR_1, 10))
    attendance_register_save(
        milestone=session, day=MAR_1, marks={ada.pk: "excused"}, marked_by=project_admin
    )
    row = Attendance.objects.get()
    assert (row.status, row.self_marked, row.marked_by) == ("excused", False, project_admin)


def test_mark_all_present_fills_only_the_unmarked(session, ada_ben_cy, project_admin_client):
    ada, ben, cy = ada_ben_cy
    post_register(project_admin_client, session, MAR_1, {ben: "absent"}, action="all_present")
    assert dict(Attendance.objects.values_list("participant", "status")) == {
        ada.pk: "present",
        ben.pk: "absent",
        cy.pk: "present",
    }


def test_saving_the_register_twice_never_duplicates_rows(session, ada_ben_cy, project_admin):
    marks = {person.pk: "present" for person in ada_ben_cy}
    attendance_register_save(milestone=session, day=MAR_1, marks=marks, marked_by=project_admin)
    marks[ada_ben_cy[0].pk] = "absent"
    attendance_register_save(milestone=session, day=MAR_1, marks=marks, marked_by=project_admin)
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(participant=ada_ben_cy[0]).status == "absent"


def test_a_row_inserted_by_another_save_mid_way_is_updated_not_duplicated(
    session, ada_ben_cy, project_admin, monkeypatch
):
    ada = ada_ben_cy[0]
    real_select = Attendance.objects.select_for_update

    def another_admin_saves_first():
        Attendance.objects.create(milestone=session, participant=ada, day=MAR_1, status="absent")
        return real_select().none()

    monkeypatch.setattr(Attendance.objects, "select_for_update", another_admin_saves_first)
    attendance_register_save(
        milestone=session, day=MAR_1, marks={ada.pk: "present"}, marked_by=project_admin
    )
    row = Attendance.objects.get()
    assert (row.status, row.validated_by) == ("present", project_admin)


def test_the_register_of_a_multi_day_session_has_a_day_picker(
    clock, three_days, ada_ben_cy, project_admin_client
):
    clock.move_to(london(MAR_2, 10))
    page = project_admin_client.get(register_url(three_days))
    assert "Register for Tuesday 2 March 2027" in page.text
    assert "Day 3 · Wed 3 Mar" in page.text
    page = project_admin_client.get(register_url(three_days, MAR_3))
    assert "Register for Wednesday 3 March 2027" in page.text

    post_register(project_admin_client, three_days, MAR_3, action="all_present")
    assert set(Attendance.objects.values_list("day", flat=True)) == {MAR_3}


def test_participants_who_joined_after_the_session_are_greyed_out(
    session, ada_ben_cy, plan, project_admin, project_admin_client
):
    late = PlanMembershipFactory(plan=plan, joined_at=london(MAR_2, 9), user__display_name="Zed")
    page = project_admin_client.get(register_url(session))
    assert page.text.count('data-testid="register-row"') == 3
    assert page.text.count("Not expected (joined after the session)") == 1
    assert f'value="{late.user.pk}"' not in page.text

    post_register(project_admin_client, session, MAR_1, action="all_present")
    assert not Attendance.objects.filter(participant=late.user).exists()
    with pytest.raises(ValidationError, match="Only participants expected"):
        attendance_register_save(
            milestone=session, day=MAR_1, marks={late.user.pk: "present"}, marked_by=project_admin
        )


def test_the_register_refuses_a_day_outside_the_session_and_unknown_statuses(
    session, ada_ben_cy, project_admin
):
    with pytest.raises(ValidationError, match="not a day of this session"):
        attendance_register_save(
            milestone=session,
            day=MAR_2,
            marks={ada_ben_cy[0].pk: "present"},
            marked_by=project_admin,
        )
    with pytest.raises(ValidationError, match="present, absent or excused"):
        attendance_register_save(
            milestone=session, day=MAR_1, marks={ada_ben_cy[0].pk: "late"}, marked_by=project_admin
        )
    assert not Attendance.objects.exists()


def test_an_unscheduled_milestone_has_no_register_yet(plan, project_admin_client):
    milestone = MilestoneFactory(plan=plan)
    page = project_admin_client.get(register_url(milestone))
    assert "no session scheduled yet" in page.text


def test_the_milestone_pages_have_an_attendance_tab(session, project_admin_client):
    page = project_admin_client.get(
        reverse("milestones:detail", args=[session.plan_id, session.pk])
    )
    assert links(page)["Attendance"] == register_url(session)


# The participant's mark button


def self_mark_url(milestone):
    return reverse("milestones:attendance_self_mark", args=[milestone.plan_id, milestone.pk])


def test_a_participant_marks_themselves_present_and_returns_to_their_page(
    clock, session, participant, client
):
    client.force_login(participant)
    response = client.post(self_mark_url(session), {"next": "/plans/1/?tab=attendance"})
    assert response.url == "/plans/1/?tab=attendance"
    assert Attendance.objects.get().participant == participant
    page = client.get(reverse("home"), follow=True)
    assert "You are marked present for Mon 1 Mar." in page.text


@pytest.mark.parametrize("next_", UNFOLLOWABLE_NEXTS)
def test_the_mark_button_only_follows_a_path_on_this_site(
    clock, session, participant, client, next_
):
    client.force_login(participant)
    response = client.post(self_mark_url(session), {"next": next_})
    assert response.url == reverse("home")
    assert Attendance.objects.filter(participant=participant).count() == 1


def test_a_refused_mark_says_why(clock, session, participant, client):
    client.force_login(participant)
    clock.move_to(london(MAR_1, 9))
    response = client.post(self_mark_url(session), {"next": "/accounts/profile/"}, follow=True)
    assert "Marking opens at 09:45 on Mon 1 Mar" in response.text
    assert not Attendance.objects.exists()


def test_marking_is_post_only(session, participant, client):
    client.force_login(participant)
    assert client.get(self_mark_url(session)).status_code == 405


# Who may use which URL


REGISTER_ACCESS = {
    "platform admin": 200,
    "project admin": 200,
    "assigned trainer": 200,
    "unassigned trainer": 404,
    "participant": 404,
    "other plan's admin": 404,
    "outsider": 404,
}


@pytest.mark.parametrize(("who", "status"), REGISTER_ACCESS.items())
def test_who_may_open_and_save_the_register(client, people, session, who, status):
    client.force_login(people[who])
    assert client.get(register_url(session)).status_code == status
    response = post_register(client, session, MAR_1, action="all_present")
    assert response.status_code == (302 if status == 200 else 404)
    assert Attendance.objects.exists() is (status == 200)


def test_a_trainer_reaches_no_other_management_page(client, people, session):
    client.force_login(people["assigned trainer"])
    args = [session.plan_id, session.pk]
    for name in ("milestones:detail", "milestones:edit", "milestones:milestone_trainers"):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.get(reverse("milestones:plan", args=[session.plan_id])).status_code == 404


def test_a_trainers_register_links_to_no_management_page(client, people, session):
    client.force_login(people["assigned trainer"])
    page = client.get(register_url(session)).text
    assert "Register for Monday 1 March 2027" in page
    detail = reverse("milestones:detail", args=[session.plan_id, session.pk])
    assert f'href="{detail}"' not in page
    assert f'href="{reverse("milestones:plan", args=[session.plan_id])}"' not in page
    uploads = reverse("milestones:uploads_review", args=[session.plan_id, session.pk])
    assert links(page)["Uploads"] == uploads

    client.force_login(people["project admin"])
    page = client.get(register_url(session)).text
    assert f'href="{detail}"' in page


def test_a_trainer_cannot_open_a_register_through_another_plan(client, people, session):
    client.force_login(people["assigned trainer"])
    other_plan = PlanFactory()
    url = reverse("milestones:attendance", args=[other_plan.pk, session.pk])
    assert client.get(url).status_code == 404


SELF_MARK_ACCESS = {
    "platform admin": 404,
    "project admin": 404,
    "assigned trainer": 404,
    "unassigned trainer": 404,
    "participant": 302,
    "other plan's admin": 404,
    "outsider": 404,
}


@pytest.mark.parametrize(("who", "status"), SELF_MARK_ACCESS.items())
def test_only_the_plans_participants_may_mark_themselves(
    clock, client, people, session, who, status
):
    client.force_login(people[who])
    assert client.post(self_mark_url(session)).status_code == status
    assert Attendance.objects.exists() is (status == 302)


@pytest.mark.parametrize("url", ["register", "self_mark"])
def test_anonymous_visitors_are_sent_to_sign_in(client, session, url):
    target = register_url(session) if url == "register" else self_mark_url(session)
    response = client.post(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Query counts


def grow_cohort(plan, session, count):
    for _ in range(count):
        person = PlanMembershipFactory(plan=plan, joined_at=joined_long_ago()).user
        Attendance.objects.create(
            milestone=session, participant=person, day=MAR_1, status="present", self_marked=True
        )
        PlanMembershipFactory(plan=plan, joined_at=london(MAR_2, 9))


def everyone_absent(plan):
    return {membership.user: "absent" for membership in plan.memberships.all()}


def test_the_register_runs_a_fixed_number_of_queries(
    plan, session, project_admin_client, django_assert_num_queries
):
    grow_cohort(plan, session, 2)
    with CaptureQueriesContext(connection) as small_get:
        project_admin_client.get(register_url(session))
    data = register_data(session, MAR_1, everyone_absent(plan))
    with CaptureQueriesContext(connection) as small_post:
        project_admin_client.post(register_url(session), data)
    grow_cohort(plan, session, 15)
    with django_assert_num_queries(len(small_get)):
        page = project_admin_client.get(register_url(session))
    assert page.text.count('data-testid="register-row"') == 17
    data = register_data(session, MAR_1, everyone_absent(plan))
    with django_assert_num_queries(len(small_post)):
        project_admin_client.post(register_url(session), data)
    assert Attendance.objects.filter(status="absent").count() == 17


def test_the_participants_attendance_takes_two_queries(
    three_days, participant, django_assert_num_queries
):
    three_days = Milestone.objects.select_related("plan").get(pk=three_days.pk)
    mark(three_days, participant, london(MAR_1, 9))
    with django_assert_num_queries(2):
        participant_attendance(three_days, participant, now=london(MAR_2, 9))


def test_the_register_lists_the_cohort_in_two_queries(plan, session, django_assert_num_queries):
    grow_cohort(plan, session, 5)
    with django_assert_num_queries(2):
        rows = attendance_register(session, MAR_1)
        assert [row.awaiting_validation for row in rows if row.expected] == [True] * 5


def test_a_large_register_is_filled_a_page_at_a_time_and_can_be_searched(
    plan, session, project_admin_client, monkeypatch
):
    from milestones.attendance import views

    monkeypatch.setattr(views, "REGISTER_PAGE_SIZE", 3)
    for name in ("Ada", "Ben", "Cy", "Dee", "Eve"):
        PlanMembershipFactory(plan=plan, joined_at=joined_long_ago(), user__display_name=name)
    first = project_admin_client.get(register_url(session))
    assert first.text.count('data-testid="register-row"') == 3
    assert "Participants 1–3 of 5" in visible_text(first)

    second = project_admin_client.get(register_url(session, MAR_1) + "&page=2")
    people = [row.participant for row in second.context["page"].object_list]
    assert [str(person) for person in people] == ["Dee", "Eve"]
    data = {"day": "2027-03-01", "page": 2, "action": "all_present"}
    data |= {"form-TOTAL_FORMS": len(people), "form-INITIAL_FORMS": len(people)}
    for index, person in enumerate(people):
        data |= {f"form-{index}-participant": person.pk, f"form-{index}-status": ""}
    response = project_admin_client.post(register_url(session), data)
    assert "page=2" in response.url
    marked = set(Attendance.objects.values_list("participant", flat=True))
    assert marked == {person.pk for person in people}  # this page only

    found = project_admin_client.get(register_url(session, MAR_1) + "&q=eve")
    assert [str(row.participant) for row in found.context["page"].object_list] == ["Eve"]


@pytest.mark.parametrize(
    "junk",
    [
        {"form-TOTAL_FORMS": "1000000000"},
        {"form-0-participant": "99999999999999999999999"},
        {"form-0-participant": "-5"},
    ],
)
def test_a_junk_register_is_refused_and_saves_nothing(
    clock, session, ada_ben_cy, project_admin_client, junk
):
    data = register_data(session, MAR_1, dict.fromkeys(ada_ben_cy, "present")) | junk
    response = project_admin_client.post(register_url(session), data, follow=True)
    assert response.status_code == 200
    assert "Choose present, absent or excused for each participant." in response.text
    assert not Attendance.objects.exists()
