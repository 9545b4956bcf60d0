"""Each person's home page leads them to what they have, and shows no empty box for what they
do not."""

import pytest
from django.urls import reverse

from tests.factories import (
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    ProjectFactory,
    UserFactory,
)
from tests.pages import screen

pytestmark = pytest.mark.django_db


def home(as_user, person):
    return screen(as_user(person).get(reverse("home")))


def test_a_platform_admin_is_led_to_the_plans_and_projects_pages(as_user, platform_admin):
    seen = home(as_user, platform_admin)
    assert seen.links["Business Improvement Plans"] == reverse("bip:list")
    assert seen.links["Client projects"] == reverse("collaboration:projects")
    assert seen.links["New plan"] == reverse("bip:create")
    assert seen.links["New project"] == reverse("collaboration:project_new")
    assert "Your plans" not in seen.text and "Your projects" not in seen.text
    assert "not part of any plan" not in seen.text


def test_a_client_with_a_project_and_no_plan_sees_no_empty_plans_box(as_user):
    project = ProjectFactory()
    seen = home(as_user, project.client)
    assert "Your projects" in seen.text
    assert "Your plans" not in seen.text
    assert "not part of any plan" not in seen.text


def test_a_participant_sees_their_plans_and_no_projects_box(as_user):
    membership = PlanMembershipFactory()
    seen = home(as_user, membership.user)
    assert "Your plans" in seen.text and membership.plan.name in seen.text
    assert "Your projects" not in seen.text


def test_someone_with_nothing_yet_is_told_what_will_happen(as_user):
    seen = home(as_user, UserFactory())
    assert "You are not part of any plan or project yet." in seen.text


def test_an_admin_in_an_empty_cairn_is_guided_to_a_first_plan(as_user, platform_admin):
    seen = home(as_user, platform_admin)
    assert "Get your first plan going" in seen.text
    assert seen.links["Create a plan"] == reverse("bip:create")

    plan = PlanFactory(name="Pilot")
    seen = home(as_user, platform_admin)
    assert "1. Create a plan (done: Pilot)" in seen.text
    assert seen.links["Add participants"] == reverse("bip:members", args=[plan.pk])
    assert seen.links["Create milestone"] == reverse("milestones:create", args=[plan.pk])

    PlanMembershipFactory(plan=plan)
    MilestoneFactory(plan=plan)
    assert "Get your first plan going" not in home(as_user, platform_admin).text
