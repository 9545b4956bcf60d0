"""Sessions as iCalendar data, read back with icalendar itself as a calendar app reads them,
and which sessions each person's calendar holds."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from milestones.calendar.selectors import (
    feed_sessions,
    invite_ics,
    session_uid,
    sessions_ics,
)
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, TrainerFactory
from tests.milestones.calendar.conftest import LONDON, NOW
from tests.milestones.calendar.ics import events, only_event, read

pytestmark = pytest.mark.django_db

NEW_YORK = datetime.timezone(datetime.timedelta(hours=-5))


def invite(milestone, method="REQUEST", sequence=0):
    return invite_ics(
        milestone.session_details(),
        method=method,
        sequence=sequence,
        attendee_email="pia@example.com",
        attendee_name="Pia Participant",
        url="https://cairn.example/my/plans/1/milestones/2/",
    )


def test_an_invite_carries_what_calendar_apps_need_to_file_and_update_it(confirmed, settings):
    settings.DEFAULT_FROM_EMAIL = "Cairn <sessions@cairn.example>"
    settings.SITE_URL = "https://cairn.example"
    milestone = confirmed(name="Lean Foundations", passcode="lean-42")
    calendar = read(invite(milestone))
    event = only_event(invite(milestone))

    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"cairn-session-{milestone.pk}@cairn.example"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == NOW
    assert event["SUMMARY"] == "Lean Foundations"
    assert event["STATUS"] == "CONFIRMED"
    assert event["ORGANIZER"] == "mailto:sessions@cairn.example"
    assert event["ORGANIZER"].params["CN"] == "Cairn"
    assert event["ATTENDEE"] == "mailto:pia@example.com"
    assert event["ATTENDEE"].params["CN"] == "Pia Participant"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert "Join: https://meet.example.com/cairn-session" in event["DESCRIPTION"]
    assert "Passcode: lean-42" in event["DESCRIPTION"]
    assert event["URL"] == "https://cairn.example/my/plans/1/milestones/2/"


def test_an_invite_gives_the_plans_local_times_with_their_time_zone(confirmed):
    text = invite(confirmed())
    event = only_event(text)

    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == datetime.datetime(2026, 3, 9, 10, tzinfo=LONDON)
    assert event.decoded("DTEND") == datetime.datetime(2026, 3, 9, 12, tzinfo=LONDON)
    assert "RRULE" not in event
    assert [zone["TZID"] for zone in read(text).walk("VTIMEZONE")] == ["Europe/London"]


def test_a_session_entered_in_another_zone_is_still_shown_on_the_plans_clock(confirmed):
    # 15:00 in New York in winter is 20:00 in London.
    event = only_event(
        invite(
            confirmed(
                starts_at=datetime.datetime(2026, 3, 3, 15, 0, tzinfo=NEW_YORK),
                ends_at=datetime.datetime(2026, 3, 3, 16, 0, tzinfo=NEW_YORK),
            )
        )
    )
    assert event["DTSTART"].to_ical() == b"20260303T200000"
    assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_a_multi_day_session_is_one_event_repeated_on_each_session_day(confirmed):
    milestone = confirmed(
        multi_day=True,
        starts_at=datetime.datetime(2026, 3, 9, 9, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 3, 11, 17, 0, tzinfo=LONDON),
    )
    event = only_event(invite(milestone))

    assert event.decoded("DTSTART") == datetime.datetime(2026, 3, 9, 9, tzinfo=LONDON)
    assert event.decoded("DTEND") == datetime.datetime(2026, 3, 9, 17, tzinfo=LONDON)
    assert event["RRULE"] == {"FREQ": ["DAILY"], "COUNT": [3]}


def test_a_session_running_past_midnight_repeats_once_a_night(confirmed):
    # Friday 22:00 to Monday 02:00: three nights, each ending at 02:00 the next morning.
    milestone = confirmed(
        multi_day=True,
        starts_at=datetime.datetime(2026, 3, 13, 22, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 3, 16, 2, 0, tzinfo=LONDON),
    )
    event = only_event(invite(milestone))

    assert event.decoded("DTSTART") == datetime.datetime(2026, 3, 13, 22, tzinfo=LONDON)
    assert event.decoded("DTEND") == datetime.datetime(2026, 3, 14, 2, tzinfo=LONDON)
    assert event["RRULE"] == {"FREQ": ["DAILY"], "COUNT": [3]}


def test_one_night_past_midnight_is_a_single_event(confirmed):
    milestone = confirmed(
        multi_day=True,
        starts_at=datetime.datetime(2026, 3, 13, 22, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 3, 14, 2, 0, tzinfo=LONDON),
    )
    event = only_event(invite(milestone))
    assert event.decoded("DTEND") == datetime.datetime(2026, 3, 14, 2, tzinfo=LONDON)
    assert "RRULE" not in event


def test_a_cancellation_names_the_same_event_and_marks_it_cancelled(confirmed):
    milestone = confirmed()
    text = invite(milestone, method="CANCEL", sequence=1)

    assert read(text)["METHOD"] == "CANCEL"
    event = only_event(text)
    assert event["UID"] == session_uid(milestone.pk)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_created_changed_then_cancelled_keeps_one_uid_with_a_rising_sequence(confirmed):
    details = confirmed().session_details()
    moved = dataclasses.replace(
        details,
        starts_at=datetime.datetime(2026, 3, 10, 14, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 3, 10, 16, 0, tzinfo=LONDON),
    )
    sent = [
        invite_ics(details, method="REQUEST", sequence=0, attendee_email="pia@example.com"),
        invite_ics(moved, method="REQUEST", sequence=1, attendee_email="pia@example.com"),
        invite_ics(moved, method="CANCEL", sequence=2, attendee_email="pia@example.com"),
    ]
    calendars = [read(text) for text in sent]
    first, change, cancel = (only_event(text) for text in sent)

    assert [calendar["METHOD"] for calendar in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert first["UID"] == change["UID"] == cancel["UID"] == session_uid(details.milestone_id)
    assert [first["SEQUENCE"], change["SEQUENCE"], cancel["SEQUENCE"]] == [0, 1, 2]
    assert change.decoded("DTSTART") == datetime.datetime(2026, 3, 10, 14, tzinfo=LONDON)
    assert [first["STATUS"], change["STATUS"], cancel["STATUS"]] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]


def test_a_published_calendar_lists_each_session_with_its_zones_and_no_attendees(confirmed):
    london = confirmed(name="London session")
    kolkata = MilestoneFactory(
        plan=PlanFactory(time_zone="Asia/Kolkata"),
        name="Kolkata session",
        schedule="confirmed",
        starts_at=datetime.datetime(2026, 3, 9, 4, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 3, 9, 6, 30, tzinfo=datetime.UTC),
    )
    text = sessions_ics(
        [
            (london.session_details(), 3, "https://cairn.example/a/"),
            (kolkata.session_details(), 0, "https://cairn.example/b/"),
        ],
        name="Cairn sessions",
        refresh=datetime.timedelta(hours=1),
    )
    calendar = read(text)

    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Cairn sessions"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    assert {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")} == {
        "Europe/London",
        "Asia/Kolkata",
    }
    by_name = {str(event["SUMMARY"]): event for event in events(text)}
    assert by_name["London session"]["SEQUENCE"] == 3
    assert by_name["London session"]["URL"] == "https://cairn.example/a/"
    assert by_name["Kolkata session"]["DTSTART"].to_ical() == b"20260309T100000"
    assert not any("ATTENDEE" in event for event in by_name.values())


def test_a_calendar_with_no_sessions_is_still_a_calendar():
    calendar = read(sessions_ics([], name="Cairn sessions"))
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.walk("VEVENT") == []


# Whose calendar shows which sessions


def test_a_participant_has_every_confirmed_session_of_their_plans_soonest_first(
    plan, participant, confirmed
):
    later = confirmed(
        name="Later",
        starts_at=datetime.datetime(2026, 4, 1, 10, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 4, 1, 11, tzinfo=LONDON),
    )
    sooner = confirmed(name="Sooner", invite_sequence=2)
    MilestoneFactory(plan=plan, name="Tentative", starts_at=later.starts_at, ends_at=later.ends_at)
    MilestoneFactory(plan=plan, name="Not scheduled")
    confirmed(plan=PlanFactory(), name="Another plan's session")

    sessions = feed_sessions(participant)

    assert [session.details.name for session in sessions] == ["Sooner", "Later"]
    assert sessions[0].sequence == 2
    assert sessions[0].page == reverse("progress:my_milestone", args=[plan.pk, sooner.pk])


def test_a_trainer_has_the_sessions_they_run_with_the_register_as_their_page(plan, confirmed):
    trainer = TrainerFactory(plan=plan, user=PlanMembershipFactory(role="project_admin").user)
    theirs = confirmed(name="Theirs")
    theirs.trainers.add(trainer)
    confirmed(name="Someone else's").trainers.add(TrainerFactory(plan=plan))

    (session,) = feed_sessions(trainer.user)

    assert session.details.name == "Theirs"
    assert session.page == reverse("milestones:attendance", args=[plan.pk, theirs.pk])


def test_a_project_admin_who_neither_takes_part_nor_runs_sessions_has_none(
    project_admin, confirmed
):
    confirmed()
    assert feed_sessions(project_admin) == []
