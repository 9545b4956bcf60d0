"""The job pages cost the same however long the report or the list, and other pages cost no
more for the notice of a finished job."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_notices_take
from tests.factories import JobFactory, UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def report(lines: int) -> list[dict]:
    return [
        {
            "line": n,
            "email": f"member{n}@import.example",
            "name": f"Member {n}",
            "outcome": "skipped" if n % 3 == 0 else "invited",
            "reason": "listed_twice" if n % 3 == 0 else "",
            "role": "",
        }
        for n in range(1, lines + 1)
    ]


def finished_import(plan, person, lines: int) -> Job:
    rows = report(lines)
    skipped = sum(row["outcome"] == "skipped" for row in rows)
    return JobFactory(
        started_by=person,
        scope=f"plan:{plan.pk}",
        state="done",
        done=lines,
        total=lines,
        report=rows,
        summary={"added": lines - skipped, "skipped": skipped},
        finished_at=timezone.now(),
        seen_at=timezone.now(),
    )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_job_page_runs_the_same_queries_for_a_short_and_a_long_report(
    client, plan, project_admin
):
    client.force_login(project_admin)
    short = finished_import(plan, project_admin, 3)
    long = finished_import(plan, project_admin, 500)
    short_url = reverse("jobs:detail", args=[short.pk])
    long_url = reverse("jobs:detail", args=[long.pk])
    queries_for(client, short_url)  # the session's first page may warm caches

    assert queries_for(client, short_url) == queries_for(client, long_url)
    assert "334 added, 166 skipped." in visible_text(client.get(long_url))


def test_the_list_of_ones_jobs_runs_the_same_queries_for_one_and_many(client, plan, project_admin):
    client.force_login(project_admin)
    finished_import(plan, project_admin, 3)
    url = reverse("jobs:list")
    queries_for(client, url)
    one = queries_for(client, url)
    for _ in range(8):
        finished_import(plan, project_admin, 40)
        JobFactory(started_by=project_admin, state="running", done=2, total=9)
        JobFactory(started_by=project_admin, state="failed", error="No.")
        # Other people's jobs are not listed.
        finished_import(plan, UserFactory(), 2)

    assert queries_for(client, url) == one
    page = client.get(url)
    assert len(page.context["jobs"]) == 25
    assert "Member import into Northwind" in visible_text(page)
    assert "2 of 9" in visible_text(page)


def test_pages_cost_no_query_for_notices_until_a_job_of_theirs_finishes(
    client, plan, project_admin
):
    client.force_login(project_admin)
    JobFactory(started_by=project_admin, state="done", seen_at=timezone.now())
    url = reverse("home")
    queries_for(client, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries if '"jobs_job"' in q["sql"]]


def test_a_notice_is_given_once_even_when_the_hint_outlives_it(plan, project_admin):
    job = JobFactory(started_by=project_admin, state="done", summary={"added": 1, "skipped": 0})
    cache.set(f"jobs:finished-for:{project_admin.pk}", True)
    assert job_notices_take(user=project_admin) == [job]
    cache.set(f"jobs:finished-for:{project_admin.pk}", True)
    assert job_notices_take(user=project_admin) == []


def test_someone_elses_job_is_not_found(client, plan, project_admin, outsider):
    job = finished_import(plan, project_admin, 3)
    client.force_login(outsider)
    for name in ["jobs:detail", "jobs:download"]:
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert "Member import" not in client.get(reverse("jobs:list")).text
