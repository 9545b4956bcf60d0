"""The calendar a new plan would get, in the reader's language and time zone: its dates in
the reader's named formats, and each session written by the rule every page uses, in the
reader's own zone with the plan's local time beside it when that reads differently."""

import pytest
from django.urls import reverse

from programmes.services import template_save
from tests.factories import UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def preview(client, source, **reader):
    plan, admin = source
    template = template_save(plan=plan, name="Lean", with_trainers=True, created_by=admin)
    client.force_login(UserFactory(is_staff=True, **reader))
    response = client.get(
        reverse("programmes:start"),
        {
            "template": template.pk,
            "name": "Operations Excellence, autumn",
            "start_date": "2027-01-08",
            "time_zone": "Europe/London",
            "skip_weekends": "on",
        },
    )
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "language, dates, moved",
    [
        ("en-gb", "Fri 8 Jan 2027 – Thu 1 Apr 2027", "Sunday 10 Jan"),
        ("de", "Fr, 8. Jan 2027 – Do, 1. Apr 2027", "Sonntag, 10. Jan"),
    ],
)
def test_the_preview_writes_dates_in_the_readers_language(client, source, language, dates, moved):
    response = preview(client, source, language=language)
    assert f'<html lang="{language}">' in response.text
    text = visible_text(response)
    assert dates in text
    assert moved in text


def test_the_preview_writes_sessions_like_every_other_page(client, source):
    text = visible_text(preview(client, source, time_zone="America/New_York"))
    # In the reader's zone, named, then the venue's clock; a multi-day session gives the
    # end's date without repeating the year, and its hours on each day.
    assert (
        "Mon 11 Jan 2027, 04:30 – 07:00 (America/New York) "
        "At the venue: Mon 11 Jan 2027, 09:30 – 12:00 (Europe/London)"
    ) in text
    assert "Fri 29 Jan 2027, 05:00 – Sun 31 Jan, 11:00 (America/New York), 3 days" in text
    assert "At the venue: Fri 29 Jan 2027, 10:00 – Sun 31 Jan, 16:00 (Europe/London)" in text
