"""Every management URL of a plan, for everyone who might try it: platform admins and the
plan's project admins get in; the plan's participants, other plans' admins and outsiders
get 404; anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from milestones.models import Activity, Milestone, Trainer
from tests.factories import (
    ActivityFactory,
    MilestoneFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(plan, milestone, participant, people):
    """Something of each kind on the plan's management pages."""
    return {
        "trainer": TrainerFactory(plan=plan),
        "activity": ActivityFactory(milestone=milestone),
        "membership": plan.memberships.get(user=participant),
    }


def management_urls(plan, milestone, targets):
    p, m = plan.pk, milestone.pk
    t, a = targets["trainer"].pk, targets["activity"].pk
    return [
        ("bip:edit", [p]),
        ("bip:members", [p]),
        ("bip:members_bulk", [p]),
        ("bip:member_remove", [p, targets["membership"].pk]),
        ("milestones:plan", [p]),
        ("milestones:create", [p]),
        ("milestones:detail", [p, m]),
        ("milestones:edit", [p, m]),
        ("milestones:meeting", [p, m]),
        ("milestones:move", [p, m]),
        ("milestones:delete", [p, m]),
        ("milestones:milestone_trainers", [p, m]),
        ("milestones:milestone_trainer_remove", [p, m, t]),
        ("milestones:activities", [p, m, "pre"]),
        ("milestones:activity_create", [p, m, "pre"]),
        ("milestones:activity_edit", [p, m, a]),
        ("milestones:activity_delete", [p, m, a]),
        ("milestones:trainers", [p]),
        ("milestones:trainer_create", [p]),
        ("milestones:trainer_edit", [p, t]),
        ("milestones:trainer_delete", [p, t]),
    ]


POST_ONLY = {
    "bip:members_bulk",
    "bip:member_remove",
    "milestones:move",
    "milestones:milestone_trainer_remove",
}


@pytest.mark.parametrize("who", ["participant", "other plan's admin", "outsider"])
def test_people_who_do_not_manage_the_plan_get_404_everywhere(
    client, plan, milestone, targets, people, who
):
    counts = (Activity.objects.count(), Trainer.objects.count(), plan.memberships.count())
    client.force_login(people[who])
    for name, args in management_urls(plan, milestone, targets):
        url = reverse(name, args=args)
        # A POST-only URL answers GET with 405 to everyone alike, which tells nothing.
        expected_get = 405 if name in POST_ONLY else 404
        assert client.get(url).status_code == expected_get, (who, "GET", name)
        assert client.post(url, {"direction": "up", "name": "x"}).status_code == 404, (
            who,
            "POST",
            name,
        )
    # Nothing changed.
    assert Milestone.objects.filter(pk=milestone.pk, order=milestone.order).exists()
    assert milestone.trainers.count() == 1
    assert (Activity.objects.count(), Trainer.objects.count(), plan.memberships.count()) == counts


def test_anonymous_visitors_are_sent_to_sign_in(client, plan, milestone, targets):
    for name, args in management_urls(plan, milestone, targets):
        url = reverse(name, args=args)
        response = client.post(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


@pytest.mark.parametrize("who", ["platform admin", "project admin"])
def test_people_who_manage_the_plan_reach_every_page(client, plan, milestone, targets, people, who):
    client.force_login(people[who])
    for name, args in management_urls(plan, milestone, targets):
        if name in POST_ONLY:
            continue
        assert client.get(reverse(name, args=args)).status_code == 200, (who, name)


def test_a_milestone_of_another_plan_is_404_even_for_a_manager(client, plan, project_admin):
    client.force_login(project_admin)
    stranger = MilestoneFactory()
    url = reverse("milestones:detail", args=[plan.pk, stranger.pk])
    assert client.get(url).status_code == 404
    other_trainer = TrainerFactory()
    assert (
        client.get(reverse("milestones:trainer_edit", args=[plan.pk, other_trainer.pk])).status_code
        == 404
    )


def test_participants_never_see_management_links(client, plan, participant):
    client.force_login(participant)
    home = client.get(reverse("home"))
    assert f'href="{reverse("milestones:plan", args=[plan.pk])}"' not in home.text
    assert f'href="{reverse("bip:list")}"' not in home.text
    assert client.get(reverse("bip:list")).status_code == 404


def test_only_platform_admins_create_plans(client, project_admin, platform_admin):
    client.force_login(project_admin)
    assert client.get(reverse("bip:create")).status_code == 404
    client.force_login(platform_admin)
    assert client.get(reverse("bip:create")).status_code == 200
