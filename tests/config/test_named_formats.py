"""Dates are written in the reader's language through the named formats of config/formats:
"23 Nov 2026" in English, "23. Nov 2026" in German (Django ships the German month names)."""

import datetime
import json
import zoneinfo
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from common.times import moment_text, span_text
from tests.factories import PlanMembershipFactory, UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 23 November 2026.
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def home_for(client, language: str):
    person = UserFactory(language=language, time_zone="Europe/London")
    PlanMembershipFactory(
        user=person,
        role="project_admin",
        plan__name="Northwind",
        plan__start_date=datetime.date(2026, 11, 23),
        plan__end_date=datetime.date(2027, 2, 7),
    )
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_the_home_page_writes_its_dates_in_english(client):
    text = visible_text(home_for(client, "en-gb"))
    assert "Monday 23 November 2026" in text
    assert "23 Nov 2026 – 7 Feb 2027" in text


def test_the_home_page_writes_its_dates_in_german(client):
    text = visible_text(home_for(client, "de"))
    assert "Montag, 23. November 2026" in text
    assert "23. Nov 2026 – 7. Feb 2027" in text
    assert "23 Nov 2026" not in text


@pytest.mark.parametrize(
    ("language", "same_day", "next_day", "moment"),
    [
        (
            "en-gb",
            "Mon 23 Nov 2026, 14:00 – 15:30",
            "Mon 23 Nov 2026, 23:15 – Tue 24 Nov, 04:30",
            "Mon 23 Nov 2026, 14:00 (Europe/London)",
        ),
        (
            "de",
            "Mo, 23. Nov 2026, 14:00 – 15:30",
            "Mo, 23. Nov 2026, 23:15 – Di, 24. Nov, 04:30",
            "Mo, 23. Nov 2026, 14:00 (Europe/London)",
        ),
    ],
)
def test_session_times_read_in_the_active_language(language, same_day, next_day, moment):
    def at(day, hour, minute=0):
        return datetime.datetime(2026, 11, day, hour, minute, tzinfo=LONDON)

    with translation.override(language):
        assert span_text(at(23, 14), at(23, 15, 30), LONDON) == same_day
        assert span_text(at(23, 23, 15), at(24, 4, 30), LONDON) == next_day
        assert moment_text(at(23, 14), LONDON) == moment


def date_words_data(response) -> dict[str, str]:
    """The data- attributes of the script that writes typed dates out in words."""
    found = {}

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "script" and "dates-in-words" in (attrs.get("src") or ""):
                found.update(
                    (name.removeprefix("data-"), value)
                    for name, value in attrs.items()
                    if name.startswith("data-")
                )

    Reader().feed(response.content.decode())
    return found


def test_typed_dates_are_written_out_with_the_pages_own_names_and_formats(client):
    english = date_words_data(home_for(client, "en-gb"))
    assert english["day-format"] == "D j M Y"
    assert json.loads(english["weekdays"])[0] == "Mon"
    assert json.loads(english["months"])[10] == "Nov"

    german = date_words_data(home_for(client, "de"))
    assert german["day-format"] == "D, j. M Y"
    assert german["day-time-format"] == "D, j. M Y, H:i"
    assert json.loads(german["weekdays"]) == ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    assert json.loads(german["months"])[2] == "Mär"
