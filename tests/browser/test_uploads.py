"""A project admin reviews participants' progress uploads in a real browser."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from milestones.models import ProgressUpload
from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_admin_accepts_one_upload_and_sends_another_back(page, password):
    admin = PlanMembershipFactory(role="project_admin", plan__name="Northwind")
    plan = admin.plan
    milestone = MilestoneFactory(
        plan=plan, name="Initial Skill Assessment", upload_progress="mandatory"
    )
    priya = PlanMembershipFactory(plan=plan, user__display_name="Priya Patel").user
    omar = PlanMembershipFactory(plan=plan, user__display_name="Omar Haddad").user
    good = ProgressUpload.objects.create(
        milestone=milestone, participant=priya, file=ContentFile(PDF, name="baseline.pdf")
    )
    thin = ProgressUpload.objects.create(
        milestone=milestone,
        participant=omar,
        file=ContentFile(PDF, name="skills.pdf"),
        note="Only the first half so far.",
    )

    sign_in(page, admin.user.email, password)
    page.goto(reverse("milestones:detail", args=[plan.pk, milestone.pk]))
    page.get_by_role("link", name="Uploads").click()
    expect(page.get_by_role("heading", name="Progress uploads")).to_be_visible()

    priyas = page.get_by_role("region", name="Priya Patel")
    priyas.get_by_role("button", name="Accept").click()
    # Storage may add a suffix to a name it already holds.
    expect(
        page.get_by_text(re.compile(r"Priya Patel's upload “baseline\S*\.pdf” is accepted\."))
    ).to_be_visible()
    expect(
        page.get_by_role("region", name="Priya Patel").get_by_test_id("upload-status")
    ).to_have_text("Accepted")

    omars = page.get_by_role("region", name="Omar Haddad")
    expect(omars.get_by_text("Only the first half so far.")).to_be_visible()
    omars.get_by_text("Request changes").click()
    # Sending it back without a comment is refused, with the box still open.
    omars.get_by_role("button", name="Send back with comment").click()
    omars = page.get_by_role("region", name="Omar Haddad")
    expect(omars.get_by_text("Say what should change")).to_be_visible()
    omars.get_by_label("What should change").fill("Please add the second half of the assessment.")
    omars.get_by_role("button", name="Send back with comment").click()
    expect(page.get_by_text("Omar Haddad is asked for changes.")).to_be_visible()
    omars = page.get_by_role("region", name="Omar Haddad")
    expect(omars.get_by_test_id("upload-status")).to_have_text("Changes requested")
    expect(omars.get_by_text("Please add the second half of the assessment.")).to_be_visible()

    good.refresh_from_db()
    thin.refresh_from_db()
    assert (good.status, good.reviewed_by) == ("accepted", admin.user)
    assert (thin.status, thin.review_comment) == (
        "changes_requested",
        "Please add the second half of the assessment.",
    )
