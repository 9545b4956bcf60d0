"""With the broker down, recording an email or starting a job neither fails nor slows the
request: the row stays queued for the sweeper."""

import datetime

import pytest
import redis.connection
import time_machine
from django.urls import reverse
from django.utils import timezone

from bip.models import PlanMembership
from config.celery_app import app
from jobs.models import Job
from jobs.services import jobs_sweep
from notifications.models import Notification
from notifications.services import notification_create
from tests.factories import UserFactory

LINES = 60


@pytest.fixture
def broker_down(monkeypatch):
    """Celery publishes to a Redis port nothing listens on; counts the connection attempts."""
    attempts = []
    connect = redis.connection.Connection._connect

    def counted(self):
        attempts.append(self.port)
        return connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    forget_connections()
    yield attempts
    app.conf.update(saved)
    forget_connections()


def forget_connections():
    # The app keeps its producers per broker address: drop them so the next publish
    # connects to the broker now configured.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db
def test_an_email_is_recorded_and_left_for_the_sweeper(
    broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(
            recipient=UserFactory(), kind="plan_membership_added", context={}, idempotency_key="k"
        )
    assert Notification.objects.get().status == Notification.Status.QUEUED
    assert "Could not queue 1 email(s)" in caplog.text
    # One quick attempt and one retry at most, not a retry loop in the web process.
    assert 1 <= len(broker_down) <= 2


def test_a_pasted_list_waits_for_the_broker_and_is_added_once_it_is_back(
    broker_down, django_capture_on_commit_callbacks, platform_admin_client, plan, caplog
):
    text = "\n".join(f"member{n}@import.example" for n in range(LINES))
    with django_capture_on_commit_callbacks(execute=True):
        response = platform_admin_client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": text, "bulk-role": "participant"},
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert "Could not queue job" in caplog.text
    # One quick attempt and one retry at most: the request does not wait for the broker.
    assert len(broker_down) <= 2
    assert "Waiting to start…" in platform_admin_client.get(response["Location"]).text

    # The broker is back (its tasks run here, as in the embedded default): the sweeper
    # queues the job again.
    app.conf.task_always_eager = True
    later = timezone.now() + datetime.timedelta(minutes=3)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        jobs_sweep()
    job.refresh_from_db()
    assert (job.state, job.summary) == ("done", {"added": LINES, "skipped": 0})
    assert PlanMembership.objects.filter(plan=plan).count() == LINES
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == LINES
