"""The sweeper queues again a job whose worker went silent, gives up on one that keeps
losing its worker, and removes exports' files after a week."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import MAX_ATTEMPTS, jobs_sweep
from tests.factories import JobFactory, PlanMembershipFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def later(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes))


def test_an_import_whose_task_was_lost_is_queued_again_and_finishes(
    plan, project_admin, django_capture_on_commit_callbacks
):
    from bip.services import member_import_start

    with django_capture_on_commit_callbacks(execute=False):
        # The broker lost the task: nothing runs it.
        job = member_import_start(
            plan=plan, text="ada@example.com", role="participant", started_by=project_admin
        )
    with later(1), django_capture_on_commit_callbacks(execute=True):
        assert jobs_sweep() == 0
    with later(3), django_capture_on_commit_callbacks(execute=True):
        assert jobs_sweep() == 1

    job.refresh_from_db()
    assert (job.state, job.summary) == ("done", {"added": 1, "skipped": 0})
    assert plan.memberships.filter(user__email="ada@example.com").exists()


def test_a_job_that_keeps_losing_its_worker_is_given_up_with_a_reason(
    project_admin, django_capture_on_commit_callbacks
):
    job = JobFactory(started_by=project_admin, state="running", attempts=MAX_ATTEMPTS)
    with later(3), django_capture_on_commit_callbacks(execute=True):
        jobs_sweep()

    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error.startswith("It was interrupted 3 times before it could finish.")


def test_an_exports_file_is_removed_after_a_week_and_its_page_says_so(
    client, plan, project_admin, django_capture_on_commit_callbacks
):
    PlanMembershipFactory(plan=plan)
    job = JobFactory(
        kind="progress_csv",
        started_by=project_admin,
        scope=f"plan:{plan.pk}",
        state="done",
        summary={"rows": 1},
        file=ContentFile(b"\xef\xbb\xbfParticipant\r\n", name="northwind-progress.csv"),
        file_name="northwind-progress.csv",
        finished_at=timezone.now(),
    )
    stored = job.file.name
    with later(6 * 24 * 60), django_capture_on_commit_callbacks(execute=True):
        jobs_sweep()
    assert default_storage.exists(stored)

    with later(8 * 24 * 60), django_capture_on_commit_callbacks(execute=True):
        jobs_sweep()
    job.refresh_from_db()
    assert not job.file
    assert not default_storage.exists(stored)
    client.force_login(project_admin)
    page = visible_text(client.get(reverse("jobs:detail", args=[job.pk])))
    assert "The file was removed a week after it was written" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert Job.objects.get().state == "done"
