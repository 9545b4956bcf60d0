"""Benchmark of a cohort fan-out through the outbox: 5,000 emails recorded with
notifications_create_many() and sent by a real Celery worker process (Redis broker,
PostgreSQL) to a local SMTP sink (aiosmtpd on 127.0.0.1). Prints the time to record the rows,
the emails per second and the time until the last email reaches the sink.

Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_DATABASE_URL, BENCH_REDIS_URL override them);
without them it says so and stops."""

import time

from delivery import (
    WORKER_PROCESSES,
    cohort,
    configure,
    delivery,
    services_answer,
    wait_for_emails,
)

QUEUE = configure("outbox")

from harness import size  # noqa: E402  (also Django's settings module and the import path)

RECIPIENTS = size(5000, 20)


def main():
    if not services_answer():
        print("outbox fan-out: skipped, needs PostgreSQL and Redis on 127.0.0.1")
        return
    with delivery(QUEUE) as sink:
        from django.db import transaction
        from django.utils import timezone

        from bip.models import Plan
        from notifications.models import Notification
        from notifications.services import notifications_create_many

        today = timezone.localdate()
        plan = Plan.objects.create(name="Benchmark plan", start_date=today, end_date=today)
        people = cohort(RECIPIENTS)

        began = time.perf_counter()
        with transaction.atomic():
            queued = notifications_create_many(
                recipients=people,
                kind="plan_membership_added",
                context={
                    "plan": plan,
                    "role": "participant",
                    "added_by": "Ada Admin",
                    "plan_url": "https://cairn.example/",
                },
                idempotency_key=f"bench:{plan.pk}",
                subject_object=plan,
                scope=f"plan:{plan.pk}",
            )
        recorded = time.perf_counter()
        wait_for_emails(sink, queued)
        last = sink.last_at - began
        sent = Notification.objects.filter(status=Notification.Status.SENT)
        deadline = time.monotonic() + 60
        while sent.count() < queued and time.monotonic() < deadline:
            time.sleep(0.1)

        print(
            f"outbox fan-out to {queued:,} recipients, {WORKER_PROCESSES} worker processes: "
            f"rows recorded and batch tasks queued in {(recorded - began) * 1000:.0f} ms"
        )
        print(
            f"  delivered {sink.count:,} emails at {sink.count / (sink.last_at - recorded):.0f} "
            f"emails/s over {len(sink.sessions)} SMTP connections "
            f"({sent.count():,} rows marked sent)"
        )
        print(f"  last email at the SMTP sink {last:.1f} s after the fan-out began")


if __name__ == "__main__":
    main()
