import pytest

from bip.models import PlanMembership
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, UserFactory
from tests.surveys.factories import SurveyFactory


@pytest.fixture
def plan(db):
    return PlanFactory(name="Northwind Operations Excellence")


@pytest.fixture
def milestone(plan):
    return MilestoneFactory(plan=plan, name="Lean Basics Training")


@pytest.fixture
def project_admin(plan):
    return PlanMembershipFactory(plan=plan, role=PlanMembership.Role.PROJECT_ADMIN).user


@pytest.fixture
def participant(plan):
    return PlanMembershipFactory(plan=plan, role=PlanMembership.Role.PARTICIPANT).user


@pytest.fixture
def other_plans_admin(db):
    return PlanMembershipFactory(role=PlanMembership.Role.PROJECT_ADMIN).user


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def admin_client(client, project_admin):
    client.force_login(project_admin)
    return client


@pytest.fixture
def survey(milestone):
    return SurveyFactory(milestone=milestone, title="Training Feedback")
