"""Benchmark of a session change told to a whole cohort: a project admin confirms the
session of a plan with 5,000 participants; once the settling window has passed, a real Celery
worker records the announcement, writes one email per participant, each with its own calendar
invite, and sends them to a local SMTP sink (aiosmtpd on 127.0.0.1). Prints the admin's save
time, the emails per second and the time until the last email reaches the sink.

Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_DATABASE_URL, BENCH_REDIS_URL override them);
without them it says so and stops."""

import datetime
import statistics
import time
from zoneinfo import ZoneInfo

from delivery import (
    WORKER_PROCESSES,
    cohort,
    configure,
    delivery,
    services_answer,
    wait_for_emails,
)

# A short settling window, so the benchmark measures sending rather than waiting.
SETTLING_SECONDS = 1
QUEUE = configure("sessions", SESSION_CHANGE_SETTLING_SECONDS=str(SETTLING_SECONDS))

from harness import size  # noqa: E402  (also Django's settings module and the import path)

PARTICIPANTS = size(5000, 20)


def main():
    if not services_answer():
        print("session fan-out: skipped, needs PostgreSQL and Redis on 127.0.0.1")
        return
    with delivery(QUEUE) as sink:
        from django.utils import timezone

        from bip.models import Plan, PlanMembership
        from milestones import services
        from milestones.models import Milestone
        from notifications.models import Notification

        today = timezone.localdate()
        plan = Plan.objects.create(
            name="Benchmark plan",
            start_date=today,
            end_date=today + datetime.timedelta(days=90),
            time_zone="Europe/London",
        )
        PlanMembership.objects.bulk_create(
            PlanMembership(plan=plan, user=person, role=PlanMembership.Role.PARTICIPANT)
            for person in cohort(PARTICIPANTS)
        )
        # 10:00 in the plan's zone a week ahead: a session that starts late in the evening
        # would cross midnight, which a single-day milestone may not.
        starts = datetime.datetime.combine(
            today + datetime.timedelta(days=7), datetime.time(10), ZoneInfo(plan.time_zone)
        )
        edits = []
        for number in range(5):
            # Tentative drafts first (nothing to tell), then the confirming save measured last.
            milestone = Milestone(plan=plan, name=f"Workshop {number}")
            services.milestone_create(milestone=milestone)
            milestone = Milestone.objects.select_related("plan").get(pk=milestone.pk)
            milestone.starts_at, milestone.ends_at = starts, starts + datetime.timedelta(hours=2)
            milestone.location = "Training room 2"
            began = time.perf_counter()
            services.milestone_save(milestone=milestone)
            edits.append(time.perf_counter() - began)

        milestone.schedule = Milestone.Schedule.CONFIRMED
        began = time.perf_counter()
        services.milestone_save(milestone=milestone)
        saved = time.perf_counter()
        wait_for_emails(sink, PARTICIPANTS)

        sent = Notification.objects.filter(kind="session_invitation")
        print(
            f"session confirmed for {PARTICIPANTS:,} participants, {WORKER_PROCESSES} worker "
            f"processes, settling window {SETTLING_SECONDS} s"
        )
        print(
            f"  the admin's save: {(saved - began) * 1000:.0f} ms confirming "
            f"(edits before it: median {statistics.median(edits) * 1000:.0f} ms)"
        )
        print(
            f"  delivered {sink.count:,} invites at "
            f"{sink.count / (sink.last_at - sink.first_at):.0f} emails/s over "
            f"{len(sink.sessions)} SMTP connections ({sent.count():,} rows)"
        )
        print(
            f"  last email at the SMTP sink {sink.last_at - began:.1f} s after the save "
            f"(first at {sink.first_at - began:.1f} s)"
        )


if __name__ == "__main__":
    main()
