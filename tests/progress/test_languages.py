"""Progress pages and nudges for people who read Cairn in German: dates in German forms,
and every word in the reader's own language, whoever or whatever made the page or email."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from bip.models import PlanMembership
from milestones.models import Milestone
from progress.services import nudges_send
from tests.factories import AttendanceFactory, PlanMembershipFactory, SurveyFactory
from tests.german import german
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def participant_since(person):
    return PlanMembership.objects.get(user=person).joined_at


LONDON = ZoneInfo("Europe/London")


def status_choices(page) -> list[str]:
    select = re.search(r'<select name="status".*?</select>', page.text, re.S).group(0)
    return [
        re.sub(r"<[^>]+>", "", option).strip()
        for option in re.findall(r"<option.*?</option>", select, re.S)
    ]


def test_a_participants_plan_dates_are_written_in_their_language(client, plan, participant):
    plan.start_date, plan.end_date = datetime.date(2026, 11, 23), datetime.date(2027, 2, 8)
    plan.save()
    page = reverse("progress:my_plan", args=[plan.pk])
    client.force_login(participant)
    assert "23 Nov 2026 – 8 Feb 2027" in visible_text(client.get(page))

    participant.language = "de"
    participant.save()
    assert "23. Nov 2026 – 8. Feb 2027" in visible_text(client.get(page))


def test_the_dashboard_filters_speak_the_admins_language(client, plan, project_admin):
    english_admin = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.PROJECT_ADMIN).user
    project_admin.language = "de"
    project_admin.save()
    dashboard = reverse("progress:dashboard", args=[plan.pk])
    with german({"Any status": "Alle Status", "In progress": "In Bearbeitung"}):
        client.force_login(project_admin)
        assert {"Alle Status", "In Bearbeitung"} <= set(status_choices(client.get(dashboard)))
        client.force_login(english_admin)
        assert {"Any status", "In progress"} <= set(status_choices(client.get(dashboard)))


def test_a_nudge_lists_what_is_missing_in_each_recipients_language(
    plan, milestone, participant, django_capture_on_commit_callbacks
):
    plan.start_date, plan.end_date = datetime.date(2027, 2, 1), datetime.date(2027, 3, 31)
    plan.save()
    Milestone.objects.filter(pk=milestone.pk).update(
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=datetime.datetime(2027, 3, 1, 10, tzinfo=LONDON),
        ends_at=datetime.datetime(2027, 3, 1, 12, tzinfo=LONDON),
        upload_progress=Milestone.UploadProgress.MANDATORY,
    )
    milestone.refresh_from_db()
    SurveyFactory(milestone=milestone, is_active=True)
    german_participant = PlanMembershipFactory(
        plan=plan, user__language="de", joined_at=participant_since(participant)
    ).user
    for person in (participant, german_participant):
        AttendanceFactory(milestone=milestone, participant=person)

    words = {"An accepted progress upload": "Ein akzeptierter Fortschritts-Upload"}
    # The job runs in German here, so an English email proves each is written for its reader.
    with (
        german(words),
        translation.override("de"),
        time_machine.travel(datetime.datetime(2027, 3, 1, 13, tzinfo=LONDON), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        nudges_send()

    bodies = {
        person.email: next(
            m.body for m in mail.outbox if person.email in m.to and "upload" in m.body.lower()
        )
        for person in (participant, german_participant)
    }
    assert "- An accepted progress upload" in bodies[participant.email]
    assert "- Ein akzeptierter Fortschritts-Upload" in bodies[german_participant.email]
