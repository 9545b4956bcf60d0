"""Emails and the notification pages in their reader's language: an email is written in its
recipient's language whoever caused it, a fan-out renders once per language, and the pages
follow the person they answer."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from milestones.models import SessionDetails
from notifications.emails import render_email
from notifications.kinds import Kind
from notifications.links import unsubscribe_url
from notifications.models import Notification
from notifications.selectors import scope_log
from notifications.services import notifications_create_many
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

STARTS = datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC)
ENDS = datetime.datetime(2026, 11, 24, 16, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _language_of_the_test_thread():
    # A page for a German reader activates German in this thread, as a request does.
    yield
    translation.deactivate()


@pytest.fixture
def german():
    return UserFactory(language="de", time_zone="Europe/London", display_name="Greta")


@pytest.fixture
def english():
    return UserFactory(language="en-gb", time_zone="Europe/London", display_name="Ed")


def reminder_context():
    session = SessionDetails(
        milestone_id=1,
        plan_id=1,
        name="Kick-off",
        description="",
        time_zone="Europe/London",
        starts_at=STARTS,
        ends_at=ENDS,
        multi_day=False,
        meeting_link="https://meet.example/kick-off",
        passcode="",
        location="",
    )
    return {
        "lead": "day",
        "session": session,
        "day_starts_at": STARTS,
        "day_ends_at": ENDS,
        "day_number": 1,
        "day_count": 1,
        "venue_zone": "",
        "role": "participant",
        "page_url": "https://cairn.example/my/plans/1/milestones/1/",
    }


def test_a_kinds_wording_is_read_in_the_language_active_where_it_is_shown():
    kind = Kind(
        code="weekly", label=gettext_lazy("Monday"), description="Every week.", group="Tests"
    )
    assert kind.label == "Monday" and isinstance(kind.label, str)
    with translation.override("de"):
        assert kind.label == "Montag"  # Django's own German
        assert kind.label in "Montag und Dienstag"


def test_an_email_is_written_in_its_recipients_language_whoever_caused_it(german, english):
    # The change that causes the email is made by someone reading Cairn in English.
    with translation.override("en-gb"):
        for_greta = render_email("session_reminder", recipient=german, context=reminder_context())
    with translation.override("de"):
        for_ed = render_email("session_reminder", recipient=english, context=reminder_context())

    assert "Di, 24. Nov 2026, 14:00 (Europe/London)" in for_greta.subject
    assert "Di, 24. Nov 2026, 14:00" in for_greta.text and "16:30 (Europe/London)" in for_greta.text
    assert '<html lang="de">' in for_greta.html
    assert "Tue" not in for_greta.subject + for_greta.text

    assert for_ed.subject == "Tomorrow: Kick-off, Tue 24 Nov 2026, 14:00 (Europe/London)"
    assert "Kick-off is tomorrow: Tue 24 Nov 2026, 14:00 – 16:30 (Europe/London)." in for_ed.text
    assert '<html lang="en-gb">' in for_ed.html


def test_a_fan_out_renders_each_language_apart(german, english, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        notifications_create_many(
            recipients=[german, english],
            kind="session_reminder",
            context=reminder_context(),
            idempotency_key="reminder:languages",
        )
    rows = {row.recipient: row for row in Notification.objects.all()}
    assert rows[german].subject.endswith("Kick-off, Di, 24. Nov 2026, 14:00 (Europe/London)")
    assert rows[english].subject == "Tomorrow: Kick-off, Tue 24 Nov 2026, 14:00 (Europe/London)"
    assert '<html lang="de">' in rows[german].body_html
    assert '<html lang="en-gb">' in rows[english].body_html


@pytest.mark.usefixtures("test_kind")
def test_the_unsubscribe_page_answers_in_the_language_of_the_person_it_is_for(
    client, german, english
):
    def page(person):
        url = unsubscribe_url(user_id=person.pk, kind="test_notice")
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        return client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    greta = page(german)
    assert greta.status_code == 200
    assert '<html lang="de">' in greta.text and greta["Content-Language"] == "de"
    # German keeps the capitals of a kind's label inside a sentence; English lower-cases it.
    assert "<strong>Test notices</strong>" in greta.text

    ed = page(english)
    assert '<html lang="en-gb">' in ed.text
    assert "<strong>test notices</strong>" in ed.text


def test_the_preferences_page_and_the_email_log_for_a_german_reader(client, german):
    client.force_login(german)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert '<html lang="de">' in page.text

    NotificationFactory(scope="plan:1", created_at=STARTS, status="sent", sent_at=ENDS)
    request = RequestFactory().get("/plans/1/emails/")
    request.user = german
    with translation.override("de"):
        html = render_to_string(
            "notifications/_log.html",
            {"log": scope_log(scope="plan:1"), "resend_action": "/plans/1/emails/resend/"},
            request=request,
        )
    assert "24. Nov 2026, 14:00" in html
