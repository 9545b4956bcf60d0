"""Support staff can look at every milestone object in the admin site but change none of
them there: their rules, file clean-up and emails live on the plan's own pages."""

import pytest
from django.urls import reverse

from milestones.models import Milestone
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    PostActionFactory,
    ProgressUploadFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone_objects(plan, milestone):
    return {
        "milestone": milestone,
        "trainer": TrainerFactory(plan=plan),
        "activity": ActivityFactory(milestone=milestone),
        "attendance": AttendanceFactory(milestone__plan=plan),
        "progressupload": ProgressUploadFactory(milestone__plan=plan),
        "postaction": PostActionFactory(milestone__plan=plan),
    }


@pytest.mark.parametrize(
    "model", ["milestone", "trainer", "activity", "attendance", "progressupload", "postaction"]
)
def test_milestone_objects_are_listed_and_shown_but_not_changed(
    platform_admin_client, milestone_objects, model
):
    obj = milestone_objects[model]
    listing = platform_admin_client.get(reverse(f"admin:milestones_{model}_changelist"))
    assert listing.status_code == 200
    change_url = reverse(f"admin:milestones_{model}_change", args=[obj.pk])
    page = platform_admin_client.get(change_url)
    assert page.status_code == 200
    assert "Save" not in page.text and "Delete" not in page.text
    assert platform_admin_client.post(change_url, {}).status_code == 403
    add_url = reverse(f"admin:milestones_{model}_add")
    assert platform_admin_client.get(add_url).status_code == 403
    delete_url = reverse(f"admin:milestones_{model}_delete", args=[obj.pk])
    assert platform_admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_another_plans_trainer_cannot_be_put_on_a_milestone_through_the_admin(
    platform_admin_client, milestone
):
    stranger = TrainerFactory()  # of another plan
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    response = platform_admin_client.post(
        url, {"name": milestone.name, "plan": milestone.plan_id, "trainers": [stranger.pk]}
    )
    assert response.status_code == 403
    assert not Milestone.objects.get(pk=milestone.pk).trainers.exists()
