import os

import pytest

from tests.factories import PASSWORD, UserFactory

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
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
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
