"""A trainer's register and uploads pages are two tabs of one milestone: the same heading,
breadcrumb, status and session time on both."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    MilestoneFactory,
    PlanMembershipFactory,
    TrainerFactory,
    UserFactory,
    session_on,
)

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    """The page from its main landmark to its tabs, without which tab is the current one."""
    main = html.split('id="main"', 1)[1]
    top = main.split('<ul class="nav nav-tabs', 1)[0]
    return re.sub(r"\s+", " ", top)


@pytest.mark.parametrize("who", ["trainer", "project admin"])
def test_the_register_and_the_uploads_share_one_header(client, plan, who):
    starts, ends = session_on(2, zone=plan.time_zone)
    milestone = MilestoneFactory(
        plan=plan, name="Coaching", starts_at=starts, ends_at=ends, location="Room 4"
    )
    person = UserFactory(time_zone="Asia/Kolkata")
    if who == "trainer":
        milestone.trainers.add(TrainerFactory(plan=plan, user=person))
    else:
        PlanMembershipFactory(plan=plan, user=person, role="project_admin")
    client.force_login(person)
    register = client.get(reverse("milestones:attendance", args=[plan.pk, milestone.pk]))
    uploads = client.get(reverse("milestones:uploads_review", args=[plan.pk, milestone.pk]))
    assert header(register.text) == header(uploads.text)
    assert "(Asia/Kolkata)" in header(register.text)
    assert "At the venue" in header(register.text)
