"""Survey pages for people who read Cairn in German: dates in German forms, and the builder's
explanations in the admin's own language rather than the one the server started in."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bip.models import PlanMembership
from surveys import services
from tests.factories import AnswerFactory, PlanMembershipFactory, ResponseFactory
from tests.german import german
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 23, 14, 5, tzinfo=datetime.UTC)


def test_a_participant_reads_the_day_they_answered_in_their_language(client, survey, participant):
    services.survey_activate(survey=survey)
    ResponseFactory(survey=survey, respondent=participant, submitted_at=MONDAY)
    milestone = survey.milestone
    answer_page = reverse("surveys:answer", args=[milestone.plan_id, milestone.pk])
    client.force_login(participant)
    assert "already answered this survey on 23 November 2026" in visible_text(
        client.get(answer_page)
    )

    participant.language = "de"
    participant.save()
    assert "23. November 2026" in visible_text(client.get(answer_page))


def test_the_builder_explains_question_types_in_the_admins_language(client, survey, project_admin):
    english_admin = PlanMembershipFactory(
        plan=survey.milestone.plan, role=PlanMembership.Role.PROJECT_ADMIN
    ).user
    project_admin.language = "de"
    project_admin.save()
    milestone = survey.milestone
    builder = reverse("surveys:builder", args=[milestone.plan_id, milestone.pk, survey.pk])
    words = {
        "Text response": "Textantwort",
        "people answer in their own words.": "die Teilnehmenden antworten in eigenen Worten.",
        "People rate from 1 up to this number (%(min)s to %(max)s).": (
            "Bewertet wird von 1 bis zu dieser Zahl (%(min)s bis %(max)s)."
        ),
    }
    with german(words):
        client.force_login(project_admin)
        seen = visible_text(client.get(builder))
        assert "Textantwort: die Teilnehmenden antworten in eigenen Worten." in seen
        assert "Bewertet wird von 1 bis zu dieser Zahl (2 bis 10)." in seen
        client.force_login(english_admin)
        seen = visible_text(client.get(builder))
        assert "Text response: people answer in their own words." in seen
        assert "People rate from 1 up to this number (2 to 10)." in seen


def test_switches_and_written_answers_are_dated_in_the_admins_language(
    client, survey, project_admin
):
    with time_machine.travel(MONDAY, tick=False):
        services.survey_activate(survey=survey, by=project_admin)
    AnswerFactory(response__survey=survey, response__submitted_at=MONDAY, text="Useful.")
    milestone = survey.milestone
    surveys = reverse("surveys:milestone", args=[milestone.plan_id, milestone.pk])
    results = reverse("surveys:results", args=[milestone.plan_id, milestone.pk, survey.pk])
    client.force_login(project_admin)
    assert "Mon 23 Nov 2026, 14:05" in visible_text(client.get(surveys))
    assert "23 Nov 2026, 14:05" in visible_text(client.get(results))

    project_admin.language = "de"
    project_admin.save()
    assert "Mo, 23. Nov 2026, 14:05" in visible_text(client.get(surveys))
    assert "23. Nov 2026, 14:05" in visible_text(client.get(results))
