"""Filling in a session's register for the whole cohort, in a real browser."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from milestones.models import Attendance, Milestone
from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanMembershipFactory, TrainerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def yesterdays_session(**settings):
    yesterday = timezone.localdate(timezone=LONDON) - datetime.timedelta(days=1)
    start = datetime.datetime.combine(yesterday, datetime.time(10), LONDON)
    membership = PlanMembershipFactory(
        role="project_admin", plan__name="Northwind", plan__time_zone="Europe/London"
    )
    milestone = MilestoneFactory(
        plan=membership.plan,
        name="Lean Basics",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        **settings,
    )
    cohort = {
        name: PlanMembershipFactory(
            plan=membership.plan,
            joined_at=start - datetime.timedelta(days=30),
            user__display_name=name,
        ).user
        for name in ("Ada Lovelace", "Ben Okri", "Cy Twombly")
    }
    return membership.user, milestone, cohort


def row(page, name):
    return page.get_by_test_id("register-row").filter(has_text=name)


def test_a_project_admin_fills_the_register_for_the_cohort_in_one_form(page, password):
    admin, milestone, cohort = yesterdays_session(
        attendance_marking=Milestone.AttendanceMarking.SELF
    )
    day = milestone.starts_at.astimezone(milestone.zone).date()
    Attendance.objects.create(
        milestone=milestone,
        participant=cohort["Ada Lovelace"],
        day=day,
        status="present",
        self_marked=True,
        marked_by=cohort["Ada Lovelace"],
    )
    PlanMembershipFactory(
        plan=milestone.plan, joined_at=timezone.now(), user__display_name="Dee Latecomer"
    )

    sign_in(page, admin.email, password)
    page.goto(reverse("milestones:detail", args=[milestone.plan_id, milestone.pk]))
    page.get_by_role("link", name="Attendance", exact=True).click()
    expect(page.get_by_role("heading", name="Register for")).to_be_visible()
    expect(row(page, "Ada Lovelace")).to_contain_text("Self-marked, awaiting validation")
    expect(page.get_by_test_id("register-row-not-expected")).to_contain_text(
        "Not expected (joined after the session)"
    )

    row(page, "Ben Okri").get_by_text("Absent").click()
    row(page, "Cy Twombly").get_by_text("Excused").click()
    page.get_by_role("button", name="Save register").click()

    expect(page.get_by_text("3 marks, all validated")).to_be_visible()
    expect(row(page, "Ada Lovelace")).to_contain_text("Self-marked, validated")
    expect(row(page, "Ada Lovelace").get_by_role("radio", name="Present")).to_be_checked()
    expect(row(page, "Ben Okri").get_by_role("radio", name="Absent")).to_be_checked()
    expect(row(page, "Cy Twombly").get_by_role("radio", name="Excused")).to_be_checked()
    assert dict(Attendance.objects.values_list("participant__display_name", "status")) == {
        "Ada Lovelace": "present",
        "Ben Okri": "absent",
        "Cy Twombly": "excused",
    }
    assert not Attendance.objects.filter(validated_by=None).exists()


def test_a_trainer_marks_everyone_present_for_the_session_they_run(page, password):
    _, milestone, cohort = yesterdays_session()
    trainer = TrainerFactory(plan=milestone.plan, user=UserFactory())
    milestone.trainers.add(trainer)

    sign_in(page, trainer.user.email, password)
    page.goto(reverse("milestones:attendance", args=[milestone.plan_id, milestone.pk]))
    row(page, "Ben Okri").get_by_text("Absent").click()
    page.get_by_role("button", name="Mark the unmarked present and save").click()

    expect(page.get_by_text("3 marks, all validated")).to_be_visible()
    expect(row(page, "Ada Lovelace").get_by_role("radio", name="Present")).to_be_checked()
    expect(row(page, "Ben Okri").get_by_role("radio", name="Absent")).to_be_checked()
    assert Attendance.objects.filter(marked_by=trainer.user).count() == len(cohort)
