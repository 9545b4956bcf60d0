"""Milestone pages, messages and calendar invites in the reader's language: a person whose
profile says German gets German dates in German's own order (Django ships the month and day
names), and what is mailed or fetched later is written in its recipient's language."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from milestones import services
from milestones.calendar import selectors as calendar_selectors
from milestones.calendar.services import calendar_feed_create
from milestones.models import Milestone
from milestones.notices import services as notices
from milestones.notices.services import settled_sessions_announce
from tests.factories import (
    ActivityFactory,
    PlanMembershipFactory,
    ProgressUploadFactory,
    TrainerFactory,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 1 March 2027, 09:00 in London (UTC in winter).
NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session(milestone, clock):
    """The milestone on Monday 1 March 2027, 10:00 to 12:00 in London."""
    milestone.starts_at = datetime.datetime(2027, 3, 1, 10, tzinfo=LONDON)
    milestone.ends_at = datetime.datetime(2027, 3, 1, 12, tzinfo=LONDON)
    milestone.save()
    return milestone


def speaking(person, language):
    person.language = language
    person.time_zone = "Europe/London"
    person.save()
    return person


def test_every_page_of_a_milestone_renders_for_someone_who_reads_german(
    as_user, plan, session, project_admin, participant
):
    admin = as_user(speaking(project_admin, "de"))
    ActivityFactory(milestone=session, phase="pre")
    TrainerFactory(plan=plan).milestones.add(session)
    ProgressUploadFactory(milestone=session, participant=participant)
    pages = [
        reverse("milestones:plan", args=[plan.pk]),
        reverse("milestones:create", args=[plan.pk]),
        reverse("milestones:shift", args=[plan.pk]) + "?days=7",
        reverse("milestones:trainers", args=[plan.pk]),
        reverse("milestones:trainer_create", args=[plan.pk]),
        *(
            reverse(f"milestones:{name}", args=[plan.pk, session.pk])
            for name in (
                "detail",
                "edit",
                "meeting",
                "delete",
                "history",
                "milestone_trainers",
                "attendance",
                "uploads_review",
            )
        ),
        reverse("milestones:activities", args=[plan.pk, session.pk, "pre"]),
        reverse("milestones:activity_create", args=[plan.pk, session.pk, "post"]),
    ]
    for url in pages:
        assert admin.get(url).status_code == 200, url


def test_the_register_names_its_day_in_the_readers_language(as_user, session, project_admin):
    url = reverse("milestones:attendance", args=[session.plan_id, session.pk])
    german = visible_text(as_user(speaking(project_admin, "de")).get(url))
    assert "Montag, 1. März 2027" in german
    english = visible_text(as_user(speaking(project_admin, "en-gb")).get(url))
    assert "Register for Monday 1 March 2027" in english


def test_the_review_page_writes_its_dates_in_the_readers_language(
    as_user, session, project_admin, participant, clock
):
    ProgressUploadFactory(milestone=session, participant=participant)
    url = reverse("milestones:uploads_review", args=[session.plan_id, session.pk])
    german = visible_text(as_user(speaking(project_admin, "de")).get(url))
    assert "1. Mär 2027, 09:00" in german
    assert "1 Mar 2027" not in german
    english = visible_text(as_user(speaking(project_admin, "en-gb")).get(url))
    assert "Sent 1 Mar 2027, 09:00" in english


def test_marking_oneself_present_is_confirmed_with_a_german_date(
    as_user, session, participant, clock
):
    session.attendance_marking = Milestone.AttendanceMarking.SELF
    session.save()
    clock.move_to(datetime.datetime(2027, 3, 1, 10, 5, tzinfo=LONDON))
    client = as_user(speaking(participant, "de"))
    url = reverse("milestones:attendance_self_mark", args=[session.plan_id, session.pk])
    response = client.post(url, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Sie sind für Mo, 1. Mär als anwesend eingetragen."
    ]


def test_each_calendar_invite_is_written_in_its_recipients_language(
    plan, session, participant, monkeypatch, clock, django_capture_on_commit_callbacks
):
    speaking(participant, "de")
    english = PlanMembershipFactory(plan=plan, joined_at=NOW - datetime.timedelta(days=30)).user
    speaking(english, "en-gb")
    written_in = {}
    invite_ics = notices.invite_ics

    def recording(details, *, attendee_email, **kwargs):
        written_in[attendee_email] = translation.get_language()
        return invite_ics(details, attendee_email=attendee_email, **kwargs)

    monkeypatch.setattr(notices, "invite_ics", recording)
    session = Milestone.objects.select_related("plan").get(pk=session.pk)
    session.schedule = Milestone.Schedule.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_save(milestone=session)
    clock.shift(datetime.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        settled_sessions_announce()

    assert written_in == {participant.email: "de", english.email: "en-gb"}


def test_a_calendar_feed_speaks_its_owners_language_whoever_fetches_it(
    client, session, participant, monkeypatch
):
    session.schedule = Milestone.Schedule.CONFIRMED
    session.save()
    speaking(participant, "de")
    written_in = []
    sessions_ics = calendar_selectors.sessions_ics

    def recording(*args, **kwargs):
        written_in.append(translation.get_language())
        return sessions_ics(*args, **kwargs)

    monkeypatch.setattr(calendar_selectors, "sessions_ics", recording)
    url = reverse("calendar:feed", args=[calendar_feed_create(user=participant).token])
    # The calendar app sends no cookie, and a language of its own or none.
    response = client.get(url, headers={"accept-language": "en-GB"})
    assert response.status_code == 200
    assert written_in == ["de"]
