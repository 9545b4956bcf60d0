import datetime

import pytest
import time_machine
from django.utils import timezone

from collaboration import services
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


@pytest.fixture
def settle(django_capture_on_commit_callbacks):
    """Let the settling window pass and run the minute's sweep, sending what it records."""

    def run():
        later = timezone.now() + services.settling_window() + datetime.timedelta(seconds=1)
        with (
            time_machine.travel(later, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return services.project_milestones_settled_announce()

    return run
