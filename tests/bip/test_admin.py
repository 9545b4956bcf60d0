"""In the admin site a plan's own details can be corrected, under the same rules as its
settings page; who belongs to a plan is only shown, since joining sends invitations."""

import datetime

import pytest
from django.urls import reverse

from bip.models import Plan, PlanMembership

pytestmark = pytest.mark.django_db


def test_correcting_a_plan_in_the_admin_obeys_the_plans_rules(platform_admin_client, plan):
    url = reverse("admin:bip_plan_change", args=[plan.pk])
    data = {
        "name": "Northwind 2027",
        "description": "",
        "start_date": "2027-03-01",
        "end_date": "2027-02-01",
        "time_zone": "Europe/London",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = platform_admin_client.post(url, data)
    assert "The plan must end on or after its start date." in response.text
    plan.refresh_from_db()
    assert plan.name == "Northwind"

    data["end_date"] = "2027-06-30"
    assert platform_admin_client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.end_date) == ("Northwind 2027", datetime.date(2027, 6, 30))


def test_memberships_are_shown_but_not_changed_in_the_admin(
    platform_admin_client, plan, participant
):
    membership = PlanMembership.objects.get(user=participant)
    page = platform_admin_client.get(reverse("admin:bip_plan_change", args=[plan.pk]))
    assert "Pia Participant" in page.text
    change = reverse("admin:bip_planmembership_change", args=[membership.pk])
    assert platform_admin_client.post(change, {"role": "project_admin"}).status_code == 403
    assert platform_admin_client.get(reverse("admin:bip_planmembership_add")).status_code == 403
    membership.refresh_from_db()
    assert membership.role == "participant"


def test_plans_are_not_deleted_from_the_admin(platform_admin_client, plan):
    url = reverse("admin:bip_plan_delete", args=[plan.pk])
    assert platform_admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()
