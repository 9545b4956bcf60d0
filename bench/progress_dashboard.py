"""Benchmark of the progress dashboard: 500 participants by 30 milestones, with attendance,
uploads, follow-up actions and survey answers. Prints the median time of computing the whole
plan's progress, of the dashboard page and of its CSV export, and the page's query count."""

import datetime
import random

from harness import ms, size, start, timed

start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bip.models import Plan, PlanMembership  # noqa: E402
from milestones.attendance.selectors import session_dates  # noqa: E402
from milestones.models import Attendance, Milestone, PostAction, ProgressUpload  # noqa: E402
from progress.completion import plan_progress  # noqa: E402
from surveys.models import Response, Survey  # noqa: E402

PARTICIPANTS = size(500, 10)
MILESTONES = 30
LOADS = size(20, 2)


def seed() -> tuple[Plan, User]:
    rng = random.Random(7)
    now = timezone.now()
    plan = Plan.objects.create(
        name="Benchmark plan",
        start_date=(now - datetime.timedelta(days=120)).date(),
        end_date=(now + datetime.timedelta(days=120)).date(),
    )
    admin = User.objects.create_user("admin@bench.example", "x")
    PlanMembership.objects.create(plan=plan, user=admin, role="project_admin")
    people = User.objects.bulk_create(
        User(email=f"p{n}@bench.example", display_name=f"Participant {n:03}")
        for n in range(PARTICIPANTS)
    )
    PlanMembership.objects.bulk_create(
        PlanMembership(
            plan=plan,
            user=person,
            role="participant",
            joined_at=now - datetime.timedelta(days=rng.choice([200, 200, 200, 40])),
        )
        for person in people
    )
    milestones = []
    for n in range(MILESTONES):
        starts = now + datetime.timedelta(days=(n - 20) * 4)
        milestones.append(
            Milestone.objects.create(
                plan=plan,
                name=f"Milestone {n:02}",
                order=n,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                upload_progress="mandatory" if n % 3 == 0 else "off",
                post_action_required=n % 4 == 0,
            )
        )
    surveys = {
        m.pk: Survey.objects.create(milestone=m, title="Feedback", is_active=True)
        for m in milestones[::2]
    }
    attendance, uploads, actions, responses = [], [], [], []
    for milestone in milestones:
        if not milestone.is_past:
            continue
        day = session_dates(milestone)[0]
        for person in people:
            if rng.random() < 0.85:
                attendance.append(
                    Attendance(milestone=milestone, participant=person, day=day, status="present")
                )
            if milestone.upload_progress == "mandatory" and rng.random() < 0.7:
                uploads.append(
                    ProgressUpload(
                        milestone=milestone, participant=person, file="x.pdf", status="accepted"
                    )
                )
            if milestone.post_action_required and rng.random() < 0.6:
                actions.append(PostAction(milestone=milestone, participant=person, text="Done"))
            if milestone.pk in surveys and rng.random() < 0.5:
                responses.append(Response(survey=surveys[milestone.pk], respondent=person))
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    ProgressUpload.objects.bulk_create(uploads, batch_size=2000)
    PostAction.objects.bulk_create(actions, batch_size=2000)
    Response.objects.bulk_create(responses, batch_size=2000)
    print(
        f"seeded {PARTICIPANTS} participants x {MILESTONES} milestones: "
        f"{len(attendance)} attendance, {len(uploads)} uploads, {len(actions)} actions, "
        f"{len(responses)} survey responses"
    )
    return plan, admin


def main():
    plan, admin = seed()
    client = Client()
    client.force_login(admin)
    url = reverse("progress:dashboard", args=[plan.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)
    whole_plan = timed(lambda _: plan_progress(plan), LOADS)
    print(f"plan progress, all {PARTICIPANTS * MILESTONES} cells: {ms(whole_plan)}")
    print(
        f"dashboard page (first 100 participants, all totals), {query_count} queries: "
        f"{ms(timed(lambda _: client.get(url), LOADS))}"
    )
    export = timed(lambda _: client.get(url, {"format": "csv"}), LOADS)
    print(f"CSV export, every participant: {ms(export)}")


if __name__ == "__main__":
    main()
