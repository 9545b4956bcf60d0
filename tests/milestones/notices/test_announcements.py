"""Participants and trainers hear about a session from Cairn: a calendar invite when it is
confirmed, one update per burst of edits saying what changed, and a cancellation when it is
called off, made tentative again or deleted."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from milestones import services
from milestones.models import Milestone, SessionAnnouncement
from milestones.notices.services import session_announce, settled_sessions_announce
from notifications.models import Notification
from tests.factories import PlanMembershipFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)


def at(day, hour, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cohort(plan, participant, clock):
    """Pia (UTC) and Ravi (Kolkata) take part; Theo runs the milestone with an account,
    Gwen without one."""
    ravi = PlanMembershipFactory(
        plan=plan,
        user__display_name="Ravi Rao",
        user__time_zone="Asia/Kolkata",
        joined_at=NOW - datetime.timedelta(days=30),
    ).user
    theo = UserFactory(display_name="Theo Trainer", email="theo@example.com")
    return {
        "pia": participant,
        "ravi": ravi,
        "theo": TrainerFactory(plan=plan, name="Theo Trainer", email=theo.email, user=theo),
        "gwen": TrainerFactory(plan=plan, name="Gwen Guest", email="gwen@elsewhere.example"),
    }


@pytest.fixture
def session(milestone, cohort, django_capture_on_commit_callbacks):
    milestone.trainers.add(cohort["theo"], cohort["gwen"])
    return milestone


def edit(milestone, capture, **fields):
    """Save the milestone as its meeting form does."""
    milestone = Milestone.objects.select_related("plan").get(pk=milestone.pk)
    for name, value in fields.items():
        setattr(milestone, name, value)
    with capture(execute=True):
        services.milestone_save(milestone=milestone)
    return milestone


def settle(clock, capture, minutes=2):
    """Let the settling window pass and run what beat runs."""
    clock.shift(datetime.timedelta(minutes=minutes))
    with capture(execute=True):
        return settled_sessions_announce()


def confirm(milestone, capture, **fields):
    return edit(
        milestone,
        capture,
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=at(3, 10),
        ends_at=at(3, 12),
        meeting_link="https://meet.example.com/lean",
        **fields,
    )


def invites(to: str) -> list[Calendar]:
    """The calendar invites an address received, oldest first."""
    found = []
    for message in mail.outbox:
        if to in message.to:
            for part in message.message().walk():
                if part.get_content_type() == "text/calendar" and not part.get_filename():
                    found.append(Calendar.from_ical(part.get_payload(decode=True)))
    return found


def event(calendar: Calendar):
    return calendar.walk("VEVENT")[0]


def test_confirming_a_session_invites_participants_and_trainers_once_it_settles(
    session, cohort, clock, django_capture_on_commit_callbacks
):
    confirm(session, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # nothing in the admin's own request

    assert settle(clock, django_capture_on_commit_callbacks) == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        [
            cohort["pia"].email,
            cohort["ravi"].email,
            "theo@example.com",
            "gwen@elsewhere.example",
        ]
    )
    invite = invites(cohort["ravi"].email)[0]
    assert invite["METHOD"] == "REQUEST"
    assert event(invite)["SEQUENCE"] == 0
    assert "mailto:" + cohort["ravi"].email in str(event(invite)["ATTENDEE"])

    ravi = next(m for m in mail.outbox if cohort["ravi"].email in m.to)
    assert ravi.subject.startswith("Invitation: Initial Skill Assessment")
    assert "When: Wed 3 Mar 2027, 15:30 – 17:30 (Asia/Kolkata)" in ravi.body  # his own zone
    assert "/my/plans/" in ravi.body  # a link to his page for it
    theo = next(m for m in mail.outbox if "theo@example.com" in m.to)
    assert "you run it" in theo.body and "/attendance/" in theo.body
    gwen = next(m for m in mail.outbox if "gwen@elsewhere.example" in m.to)
    assert "Hello Gwen Guest" in gwen.body and "/attendance/" not in gwen.body


def test_a_tentative_session_invites_nobody(session, clock, django_capture_on_commit_callbacks):
    edit(session, django_capture_on_commit_callbacks, starts_at=at(3, 10), ends_at=at(3, 12))
    assert settle(clock, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_create_change_cancel_keep_one_uid_and_raise_the_sequence(
    session, cohort, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(session, capture)
    settle(clock, capture)
    edit(session, capture, starts_at=at(4, 14), ends_at=at(4, 16), passcode="4242")
    settle(clock, capture)
    edit(session, capture, schedule=Milestone.Schedule.TENTATIVE)
    settle(clock, capture)

    calendars = invites(cohort["pia"].email)
    assert [c["METHOD"] for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert len({str(event(c)["UID"]) for c in calendars}) == 1
    assert [event(c)["SEQUENCE"] for c in calendars] == [0, 1, 2]
    assert event(calendars[-1])["STATUS"] == "CANCELLED"

    changed = [m for m in mail.outbox if cohort["pia"].email in m.to][1]
    assert changed.subject.startswith("Changed: Initial Skill Assessment")
    assert "was: Wed 3 Mar 2027, 10:00 (UTC)" in changed.body
    assert "now: Thu 4 Mar 2027, 14:00 (UTC)" in changed.body
    assert "Passcode\n  was: (none)\n  now: 4242" in changed.body


def test_edits_in_quick_succession_reach_people_as_one_email(
    session, cohort, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(session, capture)
    settle(clock, capture)
    mail.outbox.clear()

    edit(session, capture, location="Room 1")
    clock.shift(datetime.timedelta(seconds=30))
    edit(session, capture, location="Room 2")
    clock.shift(datetime.timedelta(seconds=30))
    assert settled_sessions_announce() == 0  # still settling after the second edit
    edit(session, capture, location="Training room 2")
    settle(clock, capture)

    pia = [m for m in mail.outbox if cohort["pia"].email in m.to]
    assert len(pia) == 1
    assert "now: Training room 2" in pia[0].body and "Room 1" not in pia[0].body


def test_an_edit_undone_inside_the_window_tells_nobody(
    session, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(session, capture)
    settle(clock, capture)
    mail.outbox.clear()

    edit(session, capture, passcode="1111")
    edit(session, capture, passcode="")
    assert settle(clock, capture) == 0
    assert mail.outbox == []


def test_deleting_a_confirmed_milestone_cancels_everyones_invite(
    session, cohort, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(session, capture)
    settle(clock, capture)
    with capture(execute=True):
        services.milestone_delete(milestone=Milestone.objects.get(pk=session.pk))

    for address in (cohort["pia"].email, "theo@example.com", "gwen@elsewhere.example"):
        cancellation = invites(address)[-1]
        assert cancellation["METHOD"] == "CANCEL", address
        assert event(cancellation)["SEQUENCE"] == 1
    assert SessionAnnouncement.objects.filter(change="cancelled", milestone=None).exists()


def test_announcing_twice_or_fanning_out_twice_sends_nothing_twice(
    session, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(session, capture)
    clock.shift(datetime.timedelta(minutes=2))
    with capture(execute=True):
        first = session_announce(milestone_id=session.pk)
        assert session_announce(milestone_id=session.pk) is None
    sent = len(mail.outbox)
    from milestones.notices.services import announcement_fan_out

    with capture(execute=True):
        assert announcement_fan_out(announcement_id=first.pk) == 0
    assert len(mail.outbox) == sent == 4
    assert Notification.objects.filter(kind="session_invitation").count() == 4


def test_someone_who_turned_session_emails_off_gets_none(
    session, cohort, clock, django_capture_on_commit_callbacks
):
    from notifications.services import notification_kind_turn_off

    notification_kind_turn_off(recipient=cohort["ravi"], kind="session_invitation")
    confirm(session, django_capture_on_commit_callbacks)
    settle(clock, django_capture_on_commit_callbacks)
    assert invites(cohort["ravi"].email) == []
    skipped = Notification.objects.get(recipient=cohort["ravi"])
    assert skipped.status == Notification.Status.SKIPPED


def test_an_in_person_session_also_gives_the_venues_local_time(
    plan, milestone, cohort, clock, django_capture_on_commit_callbacks
):
    plan.time_zone = "Europe/Paris"
    plan.save()
    confirm(milestone, django_capture_on_commit_callbacks, location="Usine Nord, Lyon")
    settle(clock, django_capture_on_commit_callbacks)
    ravi = next(m for m in mail.outbox if cohort["ravi"].email in m.to)
    assert "(Asia/Kolkata)" in ravi.body
    assert "At the venue: Wed 3 Mar 2027, 11:00 – 13:00 (Europe/Paris)" in ravi.body


def test_a_trainer_put_on_a_confirmed_session_gets_its_invite_and_one_taken_off_its_cancel(
    milestone, cohort, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(milestone, capture)
    settle(clock, capture)
    mail.outbox.clear()

    with capture(execute=True):
        services.milestone_trainers_add(milestone=milestone, trainers=[cohort["gwen"]])
    assert mail.outbox[-1].subject == "You run Initial Skill Assessment (Northwind)"
    assert invites("gwen@elsewhere.example")[-1]["METHOD"] == "REQUEST"

    with capture(execute=True):
        services.milestone_trainer_remove(milestone=milestone, trainer=cohort["gwen"])
    assert mail.outbox[-1].subject == "You no longer run Initial Skill Assessment (Northwind)"
    assert invites("gwen@elsewhere.example")[-1]["METHOD"] == "CANCEL"

    with capture(execute=True):
        services.milestone_trainers_add(milestone=milestone, trainers=[cohort["gwen"]])
    assert len([m for m in mail.outbox if "gwen@elsewhere.example" in m.to]) == 3


def test_an_unconfirmed_milestones_new_trainer_hears_the_invite_will_follow(
    milestone, cohort, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_trainers_add(milestone=milestone, trainers=[cohort["theo"]])
    (message,) = mail.outbox
    assert "you will get a calendar invite once it is" in message.body
    assert invites("theo@example.com") == []


def test_the_admins_save_costs_the_same_and_writes_no_email_whatever_the_cohort(
    plan, milestone, clock, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def save_confirmed(day):
        saved = Milestone.objects.select_related("plan").get(pk=milestone.pk)
        saved.schedule = Milestone.Schedule.CONFIRMED
        saved.starts_at, saved.ends_at = at(day, 10), at(day, 12)
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.milestone_save(milestone=saved)
        return len(queries)

    small = save_confirmed(3)
    for _ in range(30):
        PlanMembershipFactory(plan=plan)
    assert save_confirmed(4) == small
    assert not Notification.objects.exists()


def test_someone_joining_the_plan_gets_the_invites_everyone_else_holds(
    plan, session, cohort, project_admin, clock, django_capture_on_commit_callbacks
):
    from bip.services import membership_add

    capture = django_capture_on_commit_callbacks
    confirm(session, capture)
    settle(clock, capture)
    with capture(execute=True):
        membership_add(
            plan=plan, email="nia@example.com", role="participant", added_by=project_admin
        )
    (invite,) = invites("nia@example.com")
    assert invite["METHOD"] == "REQUEST" and event(invite)["SEQUENCE"] == 0
    assert str(event(invite)["UID"]) == str(event(invites(cohort["pia"].email)[0])["UID"])

    # A later change reaches her like everyone else, once.
    edit(session, capture, passcode="4242")
    settle(clock, capture)
    assert [event(c)["SEQUENCE"] for c in invites("nia@example.com")] == [0, 1]
