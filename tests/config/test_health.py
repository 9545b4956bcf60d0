"""The health check that load balancers and the compose file poll."""

import pytest
import redis
from django.conf import settings as django_settings
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from config import views
from config.celery_app import app as celery_app

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers_and_tasks_run_in_process(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_a_head_request(client):
    assert client.head(reverse("health")).status_code == 200


@pytest.fixture
def database_down(monkeypatch):
    def broken_cursor(self, *args, **kwargs):
        raise DatabaseError("connection refused by db.internal:5432")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)


def test_a_stranger_learns_only_that_the_database_fails(client, database_down):
    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error", "broker": "in-process"}
    assert b"db.internal" not in response.content


def test_a_platform_admin_sees_why_the_database_fails(client, platform_admin, monkeypatch):
    client.force_login(platform_admin)

    def broken_cursor(self, *args, **kwargs):
        raise DatabaseError("connection refused by db.internal:5432")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)
    # Who is asking is known without the database, which is down.
    monkeypatch.setattr("django.contrib.auth.get_user", lambda request: platform_admin)
    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "error: connection refused by db.internal:5432"


@pytest.fixture
def broker_in_use():
    """Health checks the broker, as it does when tasks go to a worker."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    views._broker_pool.cache_clear()
    yield
    celery_app.conf.task_always_eager = eager
    views._broker_pool.cache_clear()


@pytest.fixture
def connections_opened(monkeypatch):
    opened = []
    connect = redis.connection.Connection._connect

    def counted(self):
        opened.append(self.port)
        return connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    return opened


def test_with_the_broker_down_health_says_so_after_one_quick_attempt(
    client, settings, broker_in_use, connections_opened
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "error"}
    assert connections_opened == [1]


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis: run `make test-services`")
def test_health_reuses_its_broker_connection(client, broker_in_use, connections_opened):
    for _ in range(5):
        assert client.get(reverse("health")).json()["broker"] == "ok"
    assert len(connections_opened) == 1


def test_the_favicon_is_the_cairn_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/cairn.svg")
