import datetime
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone, translation

from bip.models import PlanMembership
from tests.factories import (
    PASSWORD,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    TrainerFactory,
    UserFactory,
)

SERVICES = os.environ.get("CAIRN_SERVICES") == "1"
BROWSER = os.environ.get("CAIRN_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    skip_services = pytest.mark.skip(
        reason="needs PostgreSQL, Redis, a Celery worker and S3: run `make test-services`"
    )
    skip_browser = pytest.mark.skip(
        reason="drives headless Chromium: run `make test-browser` or `make test-services`"
    )
    for item in items:
        if "services" in item.keywords and not SERVICES:
            item.add_marker(skip_services)
        if "browser" in item.keywords and not BROWSER:
            item.add_marker(skip_browser)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no sign-in or reset attempts counted: they live in the cache,
    which tests in one process share. On Redis only their keys go; the broker's queues share
    the database."""
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        for key in client.scan_iter(match="*allauth:rl:*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request by someone who chose German leaves
    German active in the thread, as the next request's middleware would undo."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _prompt_password_resets(monkeypatch):
    """Password resets answer at once in tests; the constant answer time has its own test."""
    monkeypatch.setattr("accounts.views.PASSWORD_RESET_SECONDS", 0)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads in tests go to a temporary folder (or the test bucket in service mode)."""
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                **settings.STORAGES["default"],
                "OPTIONS": {"location": tmp_path / "media"},
            },
        }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser for `admin_client`, with the second factor staff must have."""
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def platform_admin(db):
    return UserFactory(display_name="Ada Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """Someone with an account who belongs to no plan and no project."""
    return UserFactory(display_name="Olive Outsider")


@pytest.fixture
def as_user(client):
    """Sign the test client in as someone: `as_user(person).get(url)`."""

    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def platform_admin_client(client, platform_admin):
    client.force_login(platform_admin)
    return client


# A plan with one milestone, one project admin and one participant: the people most tests
# of the plans side need.


@pytest.fixture
def plan(db):
    return PlanFactory(name="Northwind", time_zone="Europe/London")


@pytest.fixture
def milestone(plan):
    return MilestoneFactory(plan=plan, name="Initial Skill Assessment")


@pytest.fixture
def project_admin(plan):
    return PlanMembershipFactory(
        plan=plan, role=PlanMembership.Role.PROJECT_ADMIN, user__display_name="Pam Admin"
    ).user


@pytest.fixture
def participant(plan):
    """A participant since long before any session a test sets up."""
    return PlanMembershipFactory(
        plan=plan,
        role=PlanMembership.Role.PARTICIPANT,
        user__display_name="Pia Participant",
        joined_at=timezone.now() - datetime.timedelta(days=365),
    ).user


@pytest.fixture
def other_plans_admin(db):
    """The project admin of another plan: an outsider to `plan`."""
    return PlanMembershipFactory(role=PlanMembership.Role.PROJECT_ADMIN).user


@pytest.fixture
def people(
    plan, milestone, project_admin, participant, platform_admin, other_plans_admin, outsider
):
    """One person of each kind around `plan`, for permission matrices: the `milestone`'s
    trainer has a login, and so does a trainer who runs only another milestone."""
    assigned = TrainerFactory(plan=plan, user=UserFactory(display_name="Theo Trainer"))
    milestone.trainers.add(assigned)
    unassigned = TrainerFactory(plan=plan, user=UserFactory())
    MilestoneFactory(plan=plan, name="Someone else's session").trainers.add(unassigned)
    return {
        "platform admin": platform_admin,
        "project admin": project_admin,
        "assigned trainer": assigned.user,
        "unassigned trainer": unassigned.user,
        "participant": participant,
        "another participant": PlanMembershipFactory(plan=plan).user,
        "other plan's admin": other_plans_admin,
        "outsider": outsider,
    }


@pytest.fixture
def project_admin_client(client, project_admin):
    client.force_login(project_admin)
    return client


@pytest.fixture
def participant_client(client, participant):
    client.force_login(participant)
    return client


@pytest.fixture(scope="session", autouse=True)
def _s3_endpoint():
    """In service mode, S3_ENDPOINT_URL names a port on 127.0.0.1 where moto's S3 server
    answers over real HTTP; the bucket is created here because moto starts empty."""
    bucket = os.environ.get("S3_BUCKET")
    if not bucket:
        yield None
        return
    from urllib.parse import urlsplit

    import boto3
    from moto.server import ThreadedMotoServer

    endpoint = urlsplit(os.environ["S3_ENDPOINT_URL"])
    server = ThreadedMotoServer(ip_address=endpoint.hostname, port=endpoint.port, verbose=False)
    server.start()
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY", "testing"),
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=bucket)
    yield s3
    server.stop()
