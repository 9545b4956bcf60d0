"""After a refused save the form keeps what was typed, and the page's header, title and
breadcrumbs keep what is saved: a heading showing a name that was never saved reads as if
the change went through."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ActivityFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def header(response) -> str:
    """The page's title and everything above its form: the headings and breadcrumbs."""
    html = response.text
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    return title + html.split('id="main"', 1)[1].split("<form", 1)[0]


def test_the_plan_details_page_keeps_the_saved_plan_in_its_header(project_admin_client, plan):
    response = project_admin_client.post(
        reverse("bip:edit", args=[plan.pk]),
        {
            "name": "Renamed plan",
            "description": "",
            "start_date": "2027-03-01",
            "end_date": "2027-02-01",
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert 'value="Renamed plan"' in response.text
    assert "Northwind" in header(response)
    assert "Renamed plan" not in header(response)
    assert "Asia/Tokyo" not in header(response)
    plan.refresh_from_db()
    assert plan.name == "Northwind"


def test_the_milestone_form_keeps_the_saved_milestone_in_its_header(
    project_admin_client, plan, milestone
):
    response = project_admin_client.post(
        reverse("milestones:edit", args=[plan.pk, milestone.pk]),
        {
            "name": "Renamed milestone",
            "kind": "not-a-kind",
            "post_action_required": "False",
            "multi_day": "False",
            "upload_progress": "off",
            "attendance_marking": "self",
            "session_connect": "coach",
            "based_on": "",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert 'value="Renamed milestone"' in response.text
    assert "Initial Skill Assessment" in header(response)
    assert "Renamed milestone" not in header(response)


def test_the_activity_form_keeps_the_saved_title_in_its_header(
    project_admin_client, plan, milestone
):
    activity = ActivityFactory(milestone=milestone, title="Lean Thinking")
    response = project_admin_client.post(
        reverse("milestones:activity_edit", args=[plan.pk, milestone.pk, activity.pk]),
        {"title": "Renamed activity", "upload_type": "link", "url": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert 'value="Renamed activity"' in response.text
    assert "Lean Thinking" in header(response)
    assert "Renamed activity" not in header(response)
    activity.refresh_from_db()
    assert activity.title == "Lean Thinking"


def test_the_survey_form_keeps_the_saved_title_in_its_header(
    project_admin_client, plan, milestone, monkeypatch
):
    from surveys import services

    survey = SurveyFactory(milestone=milestone, title="Training Feedback")

    def refuse(*, survey, title, description=""):
        # As the service does, the change is written onto the survey before it is checked.
        survey.title = title
        raise ValidationError("Refused.")

    monkeypatch.setattr(services, "survey_update", refuse)
    response = project_admin_client.post(
        reverse("surveys:builder", args=[plan.pk, milestone.pk, survey.pk]),
        {"survey-title": "Renamed survey", "survey-description": ""},
    )
    assert response.status_code == 200
    assert "Refused." in response.text
    assert 'value="Renamed survey"' in response.text
    assert "Training Feedback" in header(response)
    assert "Renamed survey" not in header(response)
