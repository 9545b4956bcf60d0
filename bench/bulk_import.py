"""Benchmark of a bulk member import through its background job: 500 new participants pasted
into a plan with three confirmed sessions ahead, so each of them gets an account, an
invitation and the sessions' calendar invites. Prints the time of the check the form makes
at once, of the whole import as the embedded default runs it (the job's task in-process,
emails to memory), per line, how often the job's row was written, and the job page's time
and query count with the 500-line report.

    python bench/bulk_import.py [participants]   (an in-memory SQLite database)
"""

import datetime
import sys
import time

from harness import ms, size, start, timed

PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else size(500, 10)
LOADS = size(10, 2)

start()

from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bip.models import Plan, PlanMembership  # noqa: E402
from bip.services import member_lines  # noqa: E402
from jobs.models import Job  # noqa: E402
from milestones.models import Milestone  # noqa: E402
from notifications.models import Notification  # noqa: E402


def seed() -> tuple[Plan, User]:
    now = timezone.now()
    plan = Plan.objects.create(
        name="Benchmark plan",
        start_date=(now - datetime.timedelta(days=30)).date(),
        end_date=(now + datetime.timedelta(days=120)).date(),
    )
    admin = User.objects.create_user("admin@bench.example", "x")
    PlanMembership.objects.create(plan=plan, user=admin, role="project_admin")
    for n in range(6):
        starts = now + datetime.timedelta(days=(n - 2) * 14)
        Milestone.objects.create(
            plan=plan,
            name=f"Milestone {n}",
            order=n,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            schedule="confirmed",
            meeting_link="https://meet.example.com/bench",
        )
    return plan, admin


def main():
    plan, admin = seed()
    text = "\n".join(
        f"Participant {n:03} <participant{n}@bench.example>" for n in range(PARTICIPANTS)
    )
    checking = timed(lambda _: member_lines(text), LOADS)
    print(f"checking a list of {PARTICIPANTS} lines (done at once, in the request): {ms(checking)}")

    client = Client()
    client.force_login(admin)
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": text, "bulk-role": "participant"},
        )
    took = time.perf_counter() - began
    assert response.status_code == 302, response.status_code
    job = Job.objects.get()
    assert (job.state, job.done) == ("done", PARTICIPANTS), (job.state, job.error)
    writes = sum(q["sql"].startswith('UPDATE "jobs_job"') for q in queries)
    print(
        f"importing {PARTICIPANTS} participants through the job (task in-process): "
        f"{took:.2f} s, {took * 1000 / PARTICIPANTS:.1f} ms a line; "
        f"{job.summary['added']} added, {Notification.objects.count()} emails recorded, "
        f"{len(mail.outbox)} sent; the job's row written {writes} times"
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
