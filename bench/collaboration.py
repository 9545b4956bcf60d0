"""Benchmark of the project collaboration page: a project with 60 milestones and 2,000 chat
messages, rendered for its consultant, and the checkbox's htmx answer. Prints median
timings and the page's query count.

Run with `make bench` (an in-memory SQLite database, emails kept in memory)."""

from harness import ms, size, start, timed
from seed import seed_project

start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

MILESTONES = size(60, 5)
MESSAGES = size(2000, 20)
PAGE_LOADS = size(50, 2)
TICKS = size(50, 2)


def main():
    project = seed_project(milestones=MILESTONES, messages=MESSAGES)
    client = Client()
    client.force_login(project.consultant)
    url = reverse("collaboration:project", args=[project.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted before the next request empties the connection's query log.
    query_count = len(queries)
    pages = timed(lambda _: client.get(url), PAGE_LOADS)
    print(
        f"project page with {MILESTONES} milestones and {MESSAGES} chat messages, "
        f"{query_count} queries: {ms(pages)}"
    )

    milestone = project.milestones.first()
    completion = reverse("collaboration:milestone_completion", args=[project.pk, milestone.pk])
    ticks = timed(
        lambda n: client.post(
            completion,
            {"completed": "1" if n % 2 == 0 else "0"},
            headers={"HX-Request": "true"},
        ),
        TICKS,
    )
    print(f"tick or untick a milestone (change + chat message + email + live regions): {ms(ticks)}")


if __name__ == "__main__":
    main()
