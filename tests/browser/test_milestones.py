"""The seed's own steps for setting up a milestone, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from milestones.models import Activity, Milestone
from tests.browser.conftest import sign_in
from tests.factories import PlanMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def check(page, name, value):
    page.locator(f"input[name='{name}'][value='{value}']").check()


def test_a_project_admin_sets_up_a_milestone_as_the_seed_describes(page, password, tmp_path):
    membership = PlanMembershipFactory(
        role="project_admin", plan__name="Northwind", plan__time_zone="Europe/London"
    )
    handout = tmp_path / "assessment-guide.pdf"
    handout.write_bytes(PDF)
    notes = tmp_path / "ml-notes.pdf"
    notes.write_bytes(PDF)

    sign_in(page, membership.user.email, password)
    # Navigate to the Milestone section from the left-hand menu.
    page.get_by_test_id("nav-milestones").get_by_role("link", name="Northwind").click()
    page.get_by_role("link", name="Create milestone").click()

    page.get_by_label("Milestone name").fill("Initial Skill Assessment")
    page.get_by_label("Description").fill(
        "This milestone evaluates the current skill level of participants before beginning the BIP."
    )
    page.get_by_label("Kind").select_option("assessment")
    check(page, "post_action_required", "True")
    check(page, "multi_day", "False")
    check(page, "upload_progress", "mandatory")
    check(page, "attendance_marking", "self")
    check(page, "session_connect", "coach")
    page.get_by_role("button", name="Create milestone").click()
    expect(page.get_by_text("“Initial Skill Assessment” is added to the plan")).to_be_visible()

    # Meeting details.
    page.get_by_role("link", name="Add meeting details").click()
    page.get_by_label("Meeting link").fill("https://zoom.example.com/j/123")
    page.get_by_label("Passcode").fill("baseline")
    page.get_by_label("Start date and time").fill("2027-03-01T10:00")
    page.get_by_label("End date and time").fill("2027-03-01T09:00")
    check(page, "schedule", "confirmed")
    page.get_by_role("button", name="Save meeting details").click()
    expect(page.get_by_text("The session must end after it starts.")).to_be_visible()
    page.get_by_label("End date and time").fill("2027-03-01T12:00")
    page.get_by_role("button", name="Save meeting details").click()
    expect(
        page.get_by_role("definition").get_by_text("Mon 1 Mar 2027, 10:00 – 12:00")
    ).to_be_visible()
    expect(page.locator(".badge", has_text="Confirmed")).to_be_visible()

    # Trainer details: create a trainer, then select them onto the milestone.
    page.get_by_role("link", name="Trainers").last.click()
    page.get_by_role("link", name="Create trainer").click()
    page.get_by_label("Name").fill("Theo Trainer")
    page.get_by_label("Email").fill("theo@example.com")
    page.get_by_label("Organisation").fill("Lean Path")
    page.get_by_role("button", name="Save trainer").click()
    page.get_by_label("Theo Trainer").check()
    page.get_by_role("button", name="Add to milestone").click()
    expect(page.get_by_text("Selected for this milestone: Theo Trainer.")).to_be_visible()
    expect(page.get_by_test_id("trainer-card").filter(has_text="Lean Path")).to_be_visible()

    # Pre-session activities: a file and a link.
    page.get_by_role("link", name="Pre-session activity").click()
    page.get_by_role("link", name="Create pre-session activity").click()
    page.get_by_label("Title").fill("How the assessment works")
    check(page, "upload_type", "file")
    page.get_by_label("File", exact=True).set_input_files(str(handout))
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("link", name="Create pre-session activity").click()
    page.get_by_label("Title").fill("Lean Thinking")
    check(page, "upload_type", "link")
    page.get_by_label("Link", exact=True).fill("https://lean.example.com/intro")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_test_id("activity-row")).to_have_count(2)
    # Named as stored: a bucket that already holds the name adds a suffix to it.
    expect(page.get_by_role("link", name=re.compile(r"^assessment-guide.*\.pdf$"))).to_be_visible()

    # Post-session activity: add, edit, delete.
    page.get_by_role("link", name="Post-session activity").click()
    page.get_by_role("link", name="Create post-session activity").click()
    page.get_by_label("Title").fill("Machine Learning Notes")
    check(page, "upload_type", "file")
    page.get_by_label("File", exact=True).set_input_files(str(notes))
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_test_id("activity-row")).to_contain_text("Machine Learning Notes")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("ML Notes, week 1")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_test_id("activity-row")).to_contain_text("ML Notes, week 1")
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete activity").click()
    expect(page.get_by_text("No post-session activities yet.")).to_be_visible()

    milestone = Milestone.objects.get()
    assert milestone.is_confirmed and milestone.trainers.get().name == "Theo Trainer"
    assert list(Activity.objects.values_list("phase", "upload_type")) == [
        ("pre", "file"),
        ("pre", "link"),
    ]
