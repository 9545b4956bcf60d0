"""The health check that load balancers and the compose file poll."""

import pytest
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers_and_tasks_run_in_process(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_a_head_request(client):
    assert client.head(reverse("health")).status_code == 200


def test_health_is_unavailable_when_the_database_fails(client, monkeypatch):
    def broken_cursor(self, *args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "error: connection refused",
        "broker": "in-process",
    }


def test_health_does_not_accept_post(client):
    response = client.post(reverse("health"))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_the_favicon_is_the_cairn_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/cairn.svg")
