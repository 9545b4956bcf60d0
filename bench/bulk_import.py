"""Benchmark of a bulk member import through its background job: 500 new participants pasted
into a plan, each of whom gets an account and an invitation email. Prints how long the
request takes (checking the list, recording the job, queueing its task), how long the
worker takes to add everyone (per line too, emails recorded in the outbox but not sent), how
often it wrote the job's row, and the job page's time and query count with the 500-line
report. The embedded default runs the task inside the request, so there the two add up.

    python bench/bulk_import.py [participants]   (an in-memory SQLite database, an in-memory
                                                  broker with no worker: the script runs the
                                                  task itself)
"""

import datetime
import sys
import time
from contextlib import contextmanager

from harness import ms, size, start, timed

PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else size(500, 10)
LOADS = size(10, 2)

start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bip.models import Plan, PlanMembership  # noqa: E402
from config.celery_app import app as celery_app  # noqa: E402
from jobs.models import Job  # noqa: E402
from jobs.services import job_run  # noqa: E402
from notifications.models import Notification  # noqa: E402


def seed() -> tuple[Plan, User]:
    today = timezone.localdate()
    plan = Plan.objects.create(
        name="Benchmark plan",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=120),
    )
    admin = User.objects.create_user("admin@bench.example", "x")
    PlanMembership.objects.create(plan=plan, user=admin, role="project_admin")
    return plan, admin


@contextmanager
def counting_job_writes():
    """Counts the statements that write the job's row (the query log keeps only the last
    9,000 of an import's statements)."""
    writes = []

    def count(execute, sql, params, many, context):
        if sql.startswith('UPDATE "jobs_job"'):
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield writes


def main():
    plan, admin = seed()
    text = "\n".join(
        f"Participant {n:03} <participant{n}@bench.example>" for n in range(PARTICIPANTS)
    )
    client = Client()
    client.force_login(admin)
    # The first request loads templates and code; it is not what is measured.
    assert client.get(reverse("bip:members", args=[plan.pk])).status_code == 200
    # As with a broker: the request queues the task, and the script plays the worker.
    celery_app.conf.task_always_eager = False
    try:
        began = time.perf_counter()
        response = client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": text, "bulk-role": "participant"},
        )
        request = time.perf_counter() - began
        assert response.status_code == 302, response.status_code
        job = Job.objects.get()
        print(
            f"the request (checks {PARTICIPANTS} lines, records the job, queues it): "
            f"{request * 1000:.0f} ms"
        )
        with counting_job_writes() as writes:
            began = time.perf_counter()
            job_run(job_id=job.pk)
            worker = time.perf_counter() - began
    finally:
        celery_app.conf.task_always_eager = True
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", PARTICIPANTS), (job.state, job.error)
    print(
        f"the worker adds {PARTICIPANTS} participants: {worker:.2f} s, "
        f"{worker * 1000 / PARTICIPANTS:.1f} ms a line; {job.summary['added']} added, "
        f"{Notification.objects.count()} invitations recorded; the job's row written "
        f"{len(writes)} times"
    )

    url = response["Location"]
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as page_queries:
        client.get(url)
    print(
        f"job page with the {PARTICIPANTS}-line report, {len(page_queries)} queries: "
        f"{ms(timed(lambda _: client.get(url), LOADS))}"
    )


if __name__ == "__main__":
    main()
