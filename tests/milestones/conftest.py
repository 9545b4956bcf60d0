import pytest

from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory


@pytest.fixture
def plan(db):
    return PlanFactory(name="Northwind", time_zone="Europe/London")


@pytest.fixture
def project_admin(plan):
    return PlanMembershipFactory(plan=plan, role="project_admin").user


@pytest.fixture
def participant(plan):
    return PlanMembershipFactory(plan=plan, role="participant").user


@pytest.fixture
def admin_client(client, project_admin):
    client.force_login(project_admin)
    return client


@pytest.fixture
def milestone(plan):
    return MilestoneFactory(plan=plan, name="Initial Skill Assessment")
