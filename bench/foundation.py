"""Benchmarks of the shared machinery: recording and sending an email through the outbox,
and rendering the home page of someone in many plans. Prints median timings.

Run with `make bench` (an in-memory SQLite database, emails kept in memory)."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from notifications.services import notification_create  # noqa: E402
from tests.factories import PlanMembershipFactory, UserFactory  # noqa: E402

EMAILS = 300
PLANS = 50
PAGE_LOADS = 50


def timed(function, repeat):
    timings = []
    for index in range(repeat):
        start = time.perf_counter()
        function(index)
        timings.append(time.perf_counter() - start)
    return timings


def main():
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    person = UserFactory()

    def record_and_send(index):
        with transaction.atomic():
            notification_create(
                recipient=person,
                kind="password_reset",
                context={"reset_url": f"https://cairn.example/reset/{index}/"},
                idempotency_key=f"bench-{index}",
            )

    emails = timed(record_and_send, EMAILS)
    median, p95 = statistics.median(emails), sorted(emails)[int(EMAILS * 0.95)]
    print(
        f"outbox: record + render + send one email, median {median * 1000:.2f} ms "
        f"(p95 {p95 * 1000:.2f} ms, {EMAILS} emails)"
    )

    for _ in range(PLANS):
        PlanMembershipFactory(user=person)
    client = Client()
    client.force_login(person)
    pages = timed(lambda _: client.get("/"), PAGE_LOADS)
    print(
        f"home page with {PLANS} plans: median {statistics.median(pages) * 1000:.2f} ms "
        f"({PAGE_LOADS} loads)"
    )


if __name__ == "__main__":
    main()
