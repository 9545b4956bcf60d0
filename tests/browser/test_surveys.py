import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bip.models import PlanMembership
from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_question(page, type_label, text, *, options=None, scale=None, required=True):
    form = page.locator("#add-question")
    form.get_by_label("Question type").select_option(label=type_label)
    form.get_by_label("Question*", exact=True).fill(text)
    if not required:
        form.get_by_label("Required").uncheck()
    if options is not None:
        form.get_by_label("Options").fill("\n".join(options))
    if scale is not None:
        form.get_by_label("Rating scale").fill(str(scale))
    form.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("The question is added.")).to_be_visible()


def test_a_project_admin_builds_a_survey_and_makes_it_active(page, password):
    plan = PlanFactory()
    admin = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.PROJECT_ADMIN).user
    milestone = MilestoneFactory(plan=plan, name="Lean Basics")

    sign_in(page, admin.email, password)
    page.goto(reverse("milestones:detail", args=[milestone.plan_id, milestone.pk]))
    page.get_by_role("link", name="Survey", exact=True).click()
    expect(page.get_by_role("heading", name="Survey list")).to_be_visible()

    page.get_by_role("link", name="Create survey").click()
    page.get_by_label("Survey title").fill("Training Feedback")
    page.get_by_label("Survey description").fill("Tell us how the Lean Basics training went.")
    page.get_by_role("button", name="Create and add questions").click()
    expect(page.get_by_role("heading", name="Training Feedback")).to_be_visible()

    # The options field is for multiple choice only; the scale for a rating only.
    form = page.locator("#add-question")
    expect(form.get_by_label("Options")).to_be_visible()
    expect(form.get_by_label("Rating scale")).to_be_hidden()
    form.get_by_label("Question type").select_option(label="Rating")
    expect(form.get_by_label("Rating scale")).to_be_visible()
    expect(form.get_by_label("Options")).to_be_hidden()

    add_question(
        page,
        "Multiple choice",
        "How useful was the training?",
        options=["Very useful", "Useful", "Not useful"],
    )
    add_question(page, "Text response", "Share your feedback in a few sentences", required=False)
    add_question(page, "Rating", "Rate your overall experience", scale=5)
    add_question(page, "Overall star rating", "Overall, how was this milestone?")
    add_question(page, "Overall text feedback", "Anything else you want to tell us?")

    rows = page.get_by_test_id("question-row")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("How useful was the training?")
    expect(rows.nth(0)).to_contain_text("Not useful")
    expect(rows.nth(1)).to_contain_text("Share your feedback in a few sentences")
    expect(rows.nth(1)).to_contain_text("Optional")
    expect(rows.nth(2)).to_contain_text("Rate your overall experience")
    expect(rows.nth(2)).to_contain_text("Scale 1\N{EN DASH}5")
    expect(rows.nth(3)).to_contain_text("Overall, how was this milestone?")
    expect(rows.nth(3).get_by_role("img", name="5 stars")).to_be_visible()
    expect(rows.nth(4)).to_contain_text("Anything else you want to tell us?")

    # A second overall star rating is refused next to the type field.
    form.get_by_label("Question type").select_option(label="Overall star rating")
    form.get_by_label("Question*", exact=True).fill("And overall?")
    form.get_by_role("button", name="Add question").click()
    expect(
        page.get_by_text("This survey already has an overall star rating question.")
    ).to_be_visible()
    expect(page.locator("#add-question").get_by_label("Question*", exact=True)).to_have_value(
        "And overall?"
    )

    page.get_by_role("link", name="Survey list").click()
    row = page.get_by_test_id("survey-row").filter(has_text="Training Feedback")
    expect(row).to_contain_text("5 questions · 0 responses")
    row.get_by_role("button", name="Make active").click()
    expect(page.get_by_test_id("active-badge")).to_be_visible()
    expect(row.get_by_role("button", name="Deactivate")).to_be_visible()
