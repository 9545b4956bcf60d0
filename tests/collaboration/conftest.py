import pytest

from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def consultant(db):
    return UserFactory(display_name="Carla Consultant")


@pytest.fixture
def customer(db):
    """The project's client (`client` is pytest-django's test client)."""
    return UserFactory(display_name="Chris Client")


@pytest.fixture
def project(consultant, customer):
    """A paid project whose milestones section is open."""
    return ProjectFactory(consultant=consultant, client=customer, open=True, title="Churn model")


@pytest.fixture
def closed_project(consultant, customer):
    return ProjectFactory(consultant=consultant, client=customer, title="Footfall study")
