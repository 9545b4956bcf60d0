"""Emails are rendered in the recipient's time zone, and times in them say their zone."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from notifications.emails import render_email

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

MOMENT = datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC)


def render(template, **context):
    return Template("{% load emails %}" + template).render(Context(context))


def test_a_moment_is_printed_with_its_zone_named():
    with timezone.override("Europe/London"):
        assert render("{{ at|moment }}", at=MOMENT) == "Tue 24 Nov 2026, 14:00 (Europe/London)"
    with timezone.override("Asia/Kolkata"):
        assert render("{{ at|moment }}", at=MOMENT) == "Tue 24 Nov 2026, 19:30 (Asia/Kolkata)"


def test_a_moment_in_another_zone_such_as_the_venues():
    with timezone.override("Asia/Kolkata"):
        assert (
            render("{{ at|moment:'America/New_York' }}", at=MOMENT)
            == "Tue 24 Nov 2026, 09:00 (America/New York)"
        )
    assert render("{{ at|moment }}", at=None) == ""


def test_an_email_is_rendered_in_its_recipients_time_zone(user):
    user.time_zone = "Pacific/Auckland"
    context = {"topic": "Kick-off", "starts_at": MOMENT, "link": "https://cairn.example/"}
    rendered = render_email("test_notice", recipient=user, context=context)
    assert "Wed 25 Nov 2026, 03:00 (Pacific/Auckland)" in rendered.text
    assert "Wed 25 Nov 2026, 03:00 (Pacific/Auckland)" in rendered.html
    # The zone is the recipient's only while the email is rendered.
    assert timezone.get_current_timezone_name() == "UTC"


def test_an_unknown_time_zone_falls_back_to_utc(user):
    user.time_zone = "Mars/Olympus_Mons"
    context = {"topic": "Kick-off", "starts_at": MOMENT, "link": "https://cairn.example/"}
    assert "14:00 (UTC)" in render_email("test_notice", recipient=user, context=context).text
