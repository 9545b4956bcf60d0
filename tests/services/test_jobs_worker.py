"""Imports and exports through a real Celery worker on Redis, with their files on S3: the
request answers at once, the worker records progress and the outcome, and a task handed out
twice adds nobody twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.tasks import run_job
from tests.downloads import downloaded
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, session_on
from tests.pages import visible_text
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services


def finished(job: Job) -> bool:
    job.refresh_from_db()
    return job.state in ("done", "failed")


def test_a_member_import_runs_on_the_worker_once_with_its_report(celery_worker, client):
    plan = PlanFactory(name="Northwind")
    admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    client.force_login(admin)
    text = "\n".join(f"member{n}@import.example" for n in range(60))

    response = client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-text": text, "bulk-role": "participant"},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    # The broker hands the task out a second time.
    run_job.delay(job.pk)

    assert wait_for(lambda: finished(job), timeout=60), (job.state, job.done)
    assert (job.state, job.done, job.summary) == ("done", 60, {"added": 60, "skipped": 0})
    assert [row["line"] for row in job.report] == list(range(1, 61))
    assert plan.memberships.filter(role="participant").count() == 60
    page = visible_text(client.get(response["Location"]))
    assert "Member import into Northwind is finished: 60 added, 0 skipped." in page


def test_a_big_export_is_written_by_the_worker_and_downloaded_from_s3(
    celery_worker, client, settings
):
    settings.CSV_INSTANT_CELLS = 0
    plan = PlanFactory(name="Northwind")
    admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    starts, ends = session_on(-3, hours=1, zone=plan.time_zone)
    MilestoneFactory(plan=plan, name="Kick-off", starts_at=starts, ends_at=ends)
    for name in ["Ada", "Bob"]:
        PlanMembershipFactory(
            plan=plan,
            user__display_name=name,
            joined_at=timezone.now() - datetime.timedelta(days=30),
        )
    client.force_login(admin)

    client.post(reverse("progress:export", args=[plan.pk]))
    job = Job.objects.get()
    assert wait_for(lambda: finished(job), timeout=60), job.state
    assert job.state == "done", job.error

    content, disposition = downloaded(client, reverse("jobs:download", args=[job.pk]))
    expected = client.get(reverse("progress:dashboard", args=[plan.pk]), {"format": "csv"})
    assert content == expected.content
    assert "northwind-progress.csv" in disposition
