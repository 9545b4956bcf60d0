"""Running a programme again, in a real browser: a project admin saves their plan as a
template, a platform admin starts the next cohort from it after previewing the calendar,
the two runs are compared side by side, and the finished plan is archived."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bip.models import Plan
from tests.browser.conftest import sign_in
from tests.factories import (
    AttendanceFactory,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finished_plan():
    """A London plan that ended last month, with one held session its participant attended."""
    today = timezone.localdate()
    plan = PlanFactory(
        name="Northwind spring",
        start_date=today - datetime.timedelta(days=90),
        end_date=today - datetime.timedelta(days=30),
        time_zone="Europe/London",
    )
    admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    participant = PlanMembershipFactory(
        plan=plan, joined_at=timezone.now() - datetime.timedelta(days=100)
    ).user
    day = plan.start_date + datetime.timedelta(days=7)
    workshop = MilestoneFactory(
        plan=plan,
        order=0,
        name="Lean workshop",
        schedule="confirmed",
        starts_at=datetime.datetime.combine(day, datetime.time(9), datetime.UTC),
        ends_at=datetime.datetime.combine(day, datetime.time(12), datetime.UTC),
    )
    MilestoneFactory(plan=plan, order=1, name="Closing review")
    AttendanceFactory(milestone=workshop, participant=participant, day=day)
    return plan, admin


def test_a_programme_runs_again_and_its_cohorts_are_compared(
    page, browser, live_server, password, finished_plan
):
    plan, admin = finished_plan
    sign_in(page, admin.email, password)
    page.goto(reverse("milestones:plan", args=[plan.pk]))
    page.get_by_role("link", name="Save as template").click()
    page.get_by_label("Template name").fill("Lean programme")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("“Lean programme” is saved as a template")).to_be_visible()
    expect(page.get_by_test_id("template-row")).to_have_count(1)

    staff = UserFactory(display_name="Ada Admin", is_staff=True)
    context = browser.new_context(base_url=live_server.url)
    other = context.new_page()
    sign_in(other, staff.email, password)
    other.goto(reverse("programmes:list"))
    other.get_by_role("link", name="Start a plan", exact=True).click()
    other.get_by_label("New plan’s name").fill("Northwind autumn")
    start = timezone.localdate() + datetime.timedelta(days=14)
    other.get_by_label("Start date").fill(start.isoformat())
    other.get_by_label("Time zone").select_option("Europe/London")
    other.get_by_role("button", name="Preview the calendar").click()
    preview = other.get_by_test_id("calendar-preview")
    expect(preview).to_be_visible()
    expect(preview.get_by_test_id("calendar-row")).to_have_count(2)
    other.get_by_role("button", name="Create the plan").click()
    expect(other.get_by_text("“Northwind autumn” is created with 2 milestones")).to_be_visible()

    other.get_by_role("link", name="Compare cohorts").click()
    expect(other.get_by_role("heading", name="Cohorts of “Lean programme”")).to_be_visible()
    cohorts = other.get_by_test_id("cohort")
    expect(cohorts).to_have_count(2)
    expect(cohorts.nth(0)).to_contain_text("Northwind spring")
    expect(cohorts.nth(1)).to_contain_text("Northwind autumn")
    expect(other.get_by_test_id("attendance").nth(0)).to_contain_text("100%")
    expect(other.get_by_test_id("milestone-comparison").nth(1)).to_contain_text("Not held yet")
    context.close()

    # The spring plan is over: its admin archives it, and it moves under Past plans.
    page.goto(reverse("milestones:plan", args=[plan.pk]))
    page.get_by_role("link", name="Archive").click()
    page.get_by_role("button", name="Archive plan").click()
    expect(page.get_by_text("“Northwind spring” is archived")).to_be_visible()
    page.goto(reverse("bip:list"))
    past = page.get_by_role("region", name="Past plans")
    expect(past.get_by_test_id("past-plan-row")).to_contain_text("Northwind spring")
    assert Plan.objects.get(pk=plan.pk).is_archived

    # Archived, it is still a cohort of the programme.
    page.goto(reverse("programmes:list"))
    page.get_by_role("link", name="Compare the cohorts of Lean programme").click()
    expect(page.get_by_test_id("cohort").first).to_contain_text("Archived")
