"""A participant's journey through a plan, and the admin's side of it, in a real browser."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from milestones.models import ProgressUpload
from surveys.models import Option, Question, Survey
from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, session_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def journey():
    now = timezone.now()
    plan = PlanFactory(name="Northwind", time_zone="Europe/London")
    midnight = timezone.localtime(now, ZoneInfo(plan.time_zone)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    joined = now - datetime.timedelta(days=30)
    admin = PlanMembershipFactory(plan=plan, role="project_admin", joined_at=joined).user
    priya = PlanMembershipFactory(plan=plan, user__display_name="Priya", joined_at=joined).user
    paul = PlanMembershipFactory(plan=plan, user__display_name="Paul", joined_at=joined).user
    live = MilestoneFactory(
        plan=plan,
        name="Coaching now",
        order=0,
        attendance_marking="self",
        schedule="confirmed",
        meeting_link="https://meet.example.com/now",
        # Under way now, and within one local day whatever the time of day.
        starts_at=max(now - datetime.timedelta(minutes=5), midnight),
        ends_at=min(
            now + datetime.timedelta(hours=1), midnight + datetime.timedelta(hours=24, minutes=-1)
        ),
    )
    tomorrow = MilestoneFactory(
        plan=plan,
        name="Coaching tomorrow",
        order=1,
        attendance_marking="self",
        starts_at=session_on(1, hours=1, zone=plan.time_zone)[0],
        ends_at=session_on(1, hours=1, zone=plan.time_zone)[1],
    )
    assessment = MilestoneFactory(
        plan=plan,
        name="Assessment",
        order=2,
        upload_progress="mandatory",
        starts_at=session_on(-3, zone=plan.time_zone)[0],
        ends_at=session_on(-3, zone=plan.time_zone)[1],
    )
    return {
        "plan": plan,
        "admin": admin,
        "priya": priya,
        "paul": paul,
        "live": live,
        "tomorrow": tomorrow,
        "assessment": assessment,
    }


def open_milestone(page, plan, milestone):
    page.goto(reverse("progress:my_milestone", args=[plan.pk, milestone.pk]))


def test_a_participant_marks_attendance_in_the_window_and_not_outside_it(page, password, journey):
    plan = journey["plan"]
    sign_in(page, journey["priya"].email, password)
    page.get_by_test_id("nav-my-plans").get_by_role("link", name="Northwind").click()
    page.get_by_role("link", name="Coaching tomorrow").click()
    expect(page.get_by_text(re.compile("Marking opens at"))).to_be_visible()
    expect(page.get_by_role("button", name="Mark me present")).to_have_count(0)

    open_milestone(page, plan, journey["live"])
    page.get_by_role("button", name="Mark me present").click()
    expect(page.get_by_test_id("checklist")).to_contain_text("Attend the session: done")
    # Still under way: a milestone completes only once its session has ended.
    expect(page.get_by_text("In progress", exact=True).first).to_be_visible()
    assert journey["live"].attendances.get().self_marked


def test_an_upload_for_a_mandatory_milestone_completes_it_once_accepted(
    page, password, journey, tmp_path
):
    plan, assessment = journey["plan"], journey["assessment"]
    report = tmp_path / "baseline.pdf"
    report.write_bytes(PDF)
    sign_in(page, journey["priya"].email, password)
    open_milestone(page, plan, assessment)
    expect(page.locator(".cairn-state")).to_contain_text("Missing")
    page.get_by_label("File").set_input_files(str(report))
    page.get_by_label("Note (optional)").fill("My baseline questionnaire.")
    page.get_by_role("button", name="Upload").click()
    # Storage may add a suffix to a name it already holds.
    expect(page.get_by_text(re.compile(r"baseline\S*\.pdf"))).to_be_visible()

    # The project admin accepts it.
    page.context.clear_cookies()
    sign_in(page, journey["admin"].email, password)
    page.goto(reverse("milestones:uploads_review", args=[plan.pk, assessment.pk]))
    page.get_by_role("button", name="Accept").click()
    assert ProgressUpload.objects.get().status == "accepted"

    # The register for the held session; then the milestone is complete for Priya.
    page.goto(reverse("milestones:attendance", args=[plan.pk, assessment.pk]))
    page.get_by_role("button", name=re.compile("Mark the unmarked present")).click()
    page.goto(reverse("progress:dashboard", args=[plan.pk]))
    priya_row = page.get_by_test_id("progress-row").filter(has_text="Priya")
    expect(priya_row.locator(".cairn-cell-complete")).to_have_count(1)
    paul_row = page.get_by_test_id("progress-row").filter(has_text="Paul")
    expect(paul_row.locator(".cairn-cell-in_progress")).to_have_count(1)

    page.context.clear_cookies()
    sign_in(page, journey["priya"].email, password)
    open_milestone(page, plan, assessment)
    expect(page.locator(".cairn-state")).to_contain_text("Complete")


def test_an_admin_fills_the_register_and_the_dashboard_changes(page, password, journey):
    plan, assessment = journey["plan"], journey["assessment"]
    sign_in(page, journey["admin"].email, password)
    page.goto(reverse("progress:dashboard", args=[plan.pk]))
    totals = page.get_by_test_id("milestone-total")
    expect(totals.nth(2)).to_have_text("0")
    expect(page.locator("tbody .cairn-cell-missing")).to_have_count(2)

    page.goto(reverse("milestones:attendance", args=[plan.pk, assessment.pk]))
    page.get_by_role("button", name=re.compile("Mark the unmarked present")).click()
    page.goto(reverse("progress:dashboard", args=[plan.pk]))
    # Attendance is done; the mandatory upload still keeps them in progress.
    expect(page.locator("tbody .cairn-cell-missing")).to_have_count(0)
    expect(page.locator("tbody .cairn-cell-in_progress")).to_have_count(2)


def test_a_participant_answers_the_survey_from_the_milestone_page(page, password, journey):
    plan, assessment = journey["plan"], journey["assessment"]
    survey = Survey.objects.create(milestone=assessment, title="Feedback", is_active=True)
    pace = Question.objects.create(survey=survey, order=0, type="MCQ", text="Pace?")
    for n, text in enumerate(["Too slow", "Right", "Too fast"]):
        Option.objects.create(question=pace, order=n, text=text)
    Question.objects.create(survey=survey, order=1, type="RATING", text="Useful?", scale_max=5)
    Question.objects.create(
        survey=survey, order=2, type="TEXT_BASED_RESPONSE", text="What will you try?"
    )
    Question.objects.create(survey=survey, order=3, type="OVERALL_RATING", text="Overall?")
    Question.objects.create(
        survey=survey, order=4, type="OVERALL_TEXT_BASED_RESPONSE", text="Anything else?"
    )

    sign_in(page, journey["priya"].email, password)
    open_milestone(page, plan, assessment)
    expect(page.get_by_test_id("checklist")).to_contain_text("Answer the survey")
    page.get_by_role("link", name="Answer the survey").click()
    page.get_by_label("Right").check()
    page.get_by_text("4", exact=True).click()
    expect(page.get_by_role("radio", name="4 out of 5")).to_be_checked()
    page.get_by_label("What will you try?").fill("Stand-ups.")
    page.get_by_test_id("stars").locator("label").nth(4).click()
    page.get_by_label("Anything else?").fill("Great.")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Thank you for answering “Feedback”.")).to_be_visible()
    open_milestone(page, plan, assessment)
    expect(page.get_by_test_id("participant-survey")).to_contain_text("You answered on")
