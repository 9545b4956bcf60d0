"""Benchmarks of the shared machinery: recording and sending an email through the outbox,
and rendering the home page of someone in many plans. Prints median timings.

Run with `make bench` (an in-memory SQLite database, emails kept in memory)."""

from harness import ms, size, start, timed

start()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from notifications.services import notification_create  # noqa: E402
from tests.factories import PlanMembershipFactory, UserFactory  # noqa: E402

EMAILS = size(300, 5)
PLANS = size(50, 3)
PAGE_LOADS = size(50, 2)


def main():
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
    print(f"outbox: record + render + send one email: {ms(emails)}")

    for _ in range(PLANS):
        PlanMembershipFactory(user=person)
    client = Client()
    client.force_login(person)
    pages = timed(lambda _: client.get("/"), PAGE_LOADS)
    print(f"home page with {PLANS} plans: {ms(pages)}")


if __name__ == "__main__":
    main()
