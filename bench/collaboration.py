"""Benchmark of the project collaboration page: a project with 60 milestones and 2,000 chat
messages, rendered for its consultant, and the checkbox's htmx answer. Prints median
timings and the page's query count.

Run with `make bench` (an in-memory SQLite database, emails kept in memory)."""

import datetime

from harness import ms, size, start, timed

start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from collaboration.models import ChatMessage, ProjectMilestone  # noqa: E402
from tests.factories import ProjectFactory  # noqa: E402

MILESTONES = size(60, 5)
MESSAGES = size(2000, 20)
PAGE_LOADS = size(50, 2)
TICKS = size(50, 2)


def main():
    project = ProjectFactory(open=True, completion_date=timezone.localdate())
    today = timezone.localdate()
    ProjectMilestone.objects.bulk_create(
        ProjectMilestone(
            project=project,
            due_date=today + datetime.timedelta(days=n - MILESTONES // 2),
            title=f"Milestone {n}",
            description="Clean the data provided by the client, and make it ready for analysis.",
            completed_at=timezone.now() if n % 3 == 0 else None,
            completed_by=project.consultant if n % 3 == 0 else None,
        )
        for n in range(MILESTONES)
    )
    ChatMessage.objects.bulk_create(
        ChatMessage(
            project=project,
            author=project.client if n % 2 else project.consultant,
            body=f"Message {n}: how is the analysis going?",
        )
        for n in range(MESSAGES)
    )
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
