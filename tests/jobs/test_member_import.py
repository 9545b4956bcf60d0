"""A list of members is added in the background: checked at once, run by the worker in steps
that commit with the job's progress, and safe to run again."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bip.models import PlanMembership
from jobs.models import Job
from jobs.services import job_run
from jobs.tasks import run_job
from notifications.models import Notification
from tests.factories import PlanMembershipFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """What the embedded default does after each commit: the job's task and its emails."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def addresses(count: int, start: int = 1) -> str:
    return "\n".join(f"member{n}@import.example" for n in range(start, start + count))


def start_import(client, plan, text: str, run_on_commit) -> Job:
    with run_on_commit():
        response = client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": text, "bulk-role": "participant"},
        )
    assert response.status_code == 302, response.content
    return Job.objects.get()


class WorkerLost(BaseException):
    """What a worker killed mid-task looks like to the code it was running: not an error it
    can catch and record."""


def test_an_import_stores_its_progress_in_steps_not_line_by_line(
    platform_admin_client, plan, run_on_commit, monkeypatch
):
    monkeypatch.setattr("bip.services.MEMBER_IMPORT_STEP", 20)
    seen_progress = []
    add = __import__("bip.services", fromlist=["membership_add"]).membership_add

    def add_and_look(**kwargs):
        # What another request (the job's page) reads while this line is added.
        seen_progress.append(Job.objects.values_list("done", "total").get())
        return add(**kwargs)

    monkeypatch.setattr("bip.services.membership_add", add_and_look)
    with CaptureQueriesContext(connection) as queries:
        job = start_import(platform_admin_client, plan, addresses(60), run_on_commit)

    assert sorted(set(seen_progress)) == [(0, 60), (20, 60), (40, 60)]
    job_writes = [q for q in queries if q["sql"].startswith('UPDATE "jobs_job"')]
    # Taken, three steps, finished: not a write per line.
    assert len(job_writes) == 5
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 60, 60)
    assert job.summary == {"added": 60, "skipped": 0}
    assert [row["line"] for row in job.report] == list(range(1, 61))
    assert plan.memberships.count() == 60


def test_the_job_page_shows_the_report_and_says_once_that_it_finished(
    platform_admin_client, plan, run_on_commit
):
    PlanMembershipFactory(plan=plan, user__email="already@example.com")
    job = start_import(
        platform_admin_client,
        plan,
        "Ada Lovelace <ada@example.com>\nnot-an-address\nalready@example.com",
        run_on_commit,
    )
    url = reverse("jobs:detail", args=[job.pk])

    page = visible_text(platform_admin_client.get(url))
    assert "Member import into Northwind is finished: 1 added, 2 skipped." in page
    assert "What happened to your list" in page
    assert "ada@example.com Ada Lovelace Invited new account, email sent to set a password" in page
    assert "not-an-address Skipped not an email address" in page
    assert "already@example.com Skipped already a member, as participant" in page
    # The message is said once; the page keeps showing the report.
    again = visible_text(platform_admin_client.get(url))
    assert "is finished" not in again
    assert "1 added, 2 skipped." in again


def test_a_task_delivered_again_after_the_import_finished_does_nothing(
    platform_admin_client, plan, run_on_commit
):
    job = start_import(platform_admin_client, plan, addresses(5), run_on_commit)
    emails = len(mail.outbox)
    finished = Job.objects.get().finished_at

    with run_on_commit():
        run_job.delay(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.finished_at) == ("done", 1, finished)
    assert len(job.report) == 5
    assert plan.memberships.count() == 5
    assert len(mail.outbox) == emails == 5


def test_an_import_whose_worker_was_lost_carries_on_where_it_stopped(
    platform_admin_client, plan, run_on_commit, monkeypatch
):
    monkeypatch.setattr("bip.services.MEMBER_IMPORT_STEP", 10)
    add = __import__("bip.services", fromlist=["membership_add"]).membership_add

    def lost_at_line_15(**kwargs):
        if kwargs["email"] == "member15@import.example":
            raise WorkerLost
        return add(**kwargs)

    monkeypatch.setattr("bip.services.membership_add", lost_at_line_15)
    with pytest.raises(WorkerLost):
        start_import(platform_admin_client, plan, addresses(30), run_on_commit)
    job = Job.objects.get()
    # The first step of ten committed; the second rolled back with the worker.
    assert (job.state, job.done, len(job.report)) == ("running", 10, 10)
    assert plan.memberships.count() == 10

    monkeypatch.setattr("bip.services.membership_add", add)
    # The broker hands the task out again at once: the job still looks alive, so it is
    # left alone rather than run twice side by side.
    with run_on_commit():
        job_run(job_id=job.pk)
    assert Job.objects.get().done == 10
    # Once it has been silent a while, the next delivery (or the sweeper's) takes over.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)), run_on_commit():
        job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.state, job.done, job.attempts) == ("done", 30, 2)
    assert [row["line"] for row in job.report] == list(range(1, 31))
    assert {row["outcome"] for row in job.report} == {"invited"}
    assert plan.memberships.count() == 30
    keys = list(Notification.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys)) == 30


def test_an_import_of_a_plan_deleted_meanwhile_fails_and_says_why(
    platform_admin_client, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        platform_admin_client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": addresses(3), "bulk-role": "participant"},
        )
    job = Job.objects.get()
    plan.delete()
    for callback in queued:
        callback()

    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == "The plan was deleted before everyone on the list was added."
    page = visible_text(platform_admin_client.get(reverse("jobs:detail", args=[job.pk])))
    assert "Member import into Northwind did not finish." in page
    assert "What went wrong The plan was deleted before everyone on the list was added." in page


def test_an_unexpected_error_fails_the_import_keeping_what_was_done(
    platform_admin_client, plan, run_on_commit, monkeypatch, caplog
):
    monkeypatch.setattr("bip.services.MEMBER_IMPORT_STEP", 2)
    add = __import__("bip.services", fromlist=["membership_add"]).membership_add

    def broken_at_line_3(**kwargs):
        if kwargs["email"] == "member3@import.example":
            raise RuntimeError("disk full")
        return add(**kwargs)

    monkeypatch.setattr("bip.services.membership_add", broken_at_line_3)
    job = start_import(platform_admin_client, plan, addresses(5), run_on_commit)

    job.refresh_from_db()
    assert (job.state, job.done) == ("failed", 2)
    assert job.error.startswith("It stopped on an unexpected error")
    assert "disk full" in caplog.text
    page = visible_text(platform_admin_client.get(reverse("jobs:detail", args=[job.pk])))
    assert "It stopped after 2 of 5." in page
    # The report of the lines added before it stopped.
    assert "2 added, 0 skipped." in page
    assert plan.memberships.count() == 2


def test_while_it_runs_the_page_polls_for_its_progress_then_reloads(
    platform_admin_client, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        platform_admin_client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": addresses(4), "bulk-role": "participant"},
        )
    job = Job.objects.get()
    url = reverse("jobs:detail", args=[job.pk])

    page = platform_admin_client.get(url)
    assert "Waiting to start…" in visible_text(page)
    assert 'hx-trigger="every 1s"' in page.text

    Job.objects.filter(pk=job.pk).update(state="running", done=2)
    poll = platform_admin_client.get(url, headers={"HX-Request": "true"})
    assert poll.text.strip().startswith(
        '<section class="card mb-4 cairn-form-wide" id="job-progress"'
    )
    assert '<progress class="cairn-progress w-100" max="4" value="2"' in poll.text
    assert "Adding members… 50% 2 of 4" in visible_text(poll)

    Job.objects.filter(pk=job.pk).update(state="queued", done=0)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    done = platform_admin_client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_the_members_page_lists_the_plans_recent_imports(
    client, plan, project_admin, platform_admin, run_on_commit
):
    client.force_login(platform_admin)
    job = start_import(client, plan, addresses(2), run_on_commit)
    # Another admin of the plan sees the import and can open it.
    client.force_login(project_admin)
    page = client.get(reverse("bip:members", args=[plan.pk]))
    recent = visible_text(page).split("Recent imports", 1)[1]
    assert "Finished 2 added, 0 skipped. by Ada Admin" in recent
    assert reverse("jobs:detail", args=[job.pk]) in page.text
    opened = client.get(reverse("jobs:detail", args=[job.pk]))
    assert opened.status_code == 200
    # Only its starter is told it finished.
    assert "is finished" not in visible_text(opened)


def test_the_starter_hears_that_an_import_finished_on_the_next_page_they_open(
    platform_admin_client, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        platform_admin_client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": addresses(2), "bulk-role": "participant"},
        )
    # They go elsewhere while it runs.
    assert "is finished" not in visible_text(platform_admin_client.get(reverse("home")))
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()

    page = platform_admin_client.get(reverse("bip:list"))
    job = Job.objects.get()
    assert "Member import into Northwind is finished: 2 added, 0 skipped. See the result" in (
        visible_text(page)
    )
    assert f'href="{reverse("jobs:detail", args=[job.pk])}"' in page.text
    # Said once.
    assert "is finished" not in visible_text(platform_admin_client.get(reverse("bip:list")))
    assert Job.objects.get().seen_at is not None


def test_a_participant_cannot_start_an_import(client, plan, participant):
    client.force_login(participant)
    response = client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-text": addresses(2), "bulk-role": "participant"},
    )
    assert response.status_code == 404
    assert not Job.objects.exists()
    assert PlanMembership.objects.count() == 1
