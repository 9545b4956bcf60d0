import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bip.models import PlanMembership
from surveys.models import Question, Survey
from tests.browser.conftest import sign_in
from tests.factories import (
    McqQuestionFactory,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    QuestionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_answers_once_and_an_admin_sees_the_results(page, password):
    plan = PlanFactory()
    admin = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.PROJECT_ADMIN).user
    participant = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.PARTICIPANT).user
    milestone = MilestoneFactory(plan=plan, name="Lean Basics")
    survey = Survey.objects.create(milestone=milestone, title="Training Feedback", is_active=True)
    McqQuestionFactory(
        survey=survey,
        order=0,
        text="How was the pace?",
        options=["Too slow", "About right", "Too fast"],
    )
    QuestionFactory(
        survey=survey,
        order=1,
        type=Question.Type.RATING,
        scale_max=5,
        text="How useful were the exercises?",
    )
    QuestionFactory(
        survey=survey, order=2, type=Question.Type.TEXT, text="Which idea will you apply first?"
    )
    QuestionFactory(
        survey=survey, order=3, type=Question.Type.OVERALL_RATING, text="Rate the milestone"
    )
    QuestionFactory(
        survey=survey,
        order=4,
        type=Question.Type.OVERALL_TEXT,
        required=False,
        text="Anything else?",
    )
    answer_url = reverse("surveys:answer", args=[plan.pk, milestone.pk])

    sign_in(page, participant.email, password)
    page.goto(answer_url)
    expect(page.get_by_role("heading", name="Training Feedback")).to_be_visible()

    # Submitting with nothing chosen points at each required question and keeps the text.
    page.get_by_label("Anything else?").fill("Keep the exercises.")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_test_id("question-error")).to_have_count(4)
    expect(page.get_by_label("Anything else?")).to_have_value("Keep the exercises.")

    # Each question is a group named by its text, as a screen reader announces it.
    page.get_by_role("group", name=re.compile(r"How was the pace\?")).get_by_label(
        "About right"
    ).check()
    page.get_by_role("group", name=re.compile(r"How useful were the exercises\?")).get_by_text(
        "4", exact=True
    ).click()
    page.get_by_label("Which idea will you apply first?").fill("A daily stand-up.")
    stars = page.get_by_test_id("stars")
    stars.locator("label").nth(3).click()
    expect(page.get_by_role("radio", name="4 stars")).to_be_checked()
    expect(page.get_by_role("radio", name="4 out of 5")).to_be_checked()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Thank you for answering “Training Feedback”.")).to_be_visible()

    page.goto(answer_url)
    expect(page.get_by_text("You have already answered this survey on")).to_be_visible()
    expect(page.get_by_role("button", name="Submit answers")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, admin.email, password)
    page.goto(reverse("surveys:milestone", args=[plan.pk, milestone.pk]))
    page.get_by_role("link", name=re.compile(r"^Results\b.*Training Feedback")).click()
    expect(page.get_by_test_id("response-rate")).to_contain_text("1 of 1 participant answered")
    results = page.get_by_test_id("question-result")
    expect(results.nth(0).get_by_test_id("result-bar").nth(1)).to_contain_text("About right")
    expect(results.nth(0).get_by_test_id("result-bar").nth(1)).to_contain_text("1 · 100%")
    expect(results.nth(1).get_by_test_id("average")).to_contain_text("4.0")
    expect(results.nth(2)).to_contain_text("A daily stand-up.")
    expect(results.nth(3).get_by_test_id("average")).to_contain_text("4.0")
    expect(results.nth(4)).to_contain_text("Keep the exercises.")
