"""A realistic data set, the same on every run (a fixed random seed): plans of participants
by milestones with attendance, uploads, follow-up actions and survey answers, and client
projects with milestones and a long chat.

As a library, `seed_plan` and `seed_project` fill the current database. As a command it
fills the database DATABASE_URL names (migrated first), for the load test:

    python bench/seed.py --plans 3 --participants 500 --milestones 30 \\
        --projects 200 --project-milestones 20 --messages 2000
"""

import argparse
import datetime
import random
from dataclasses import dataclass

BATCH = 5000
PASSWORD = "bench-password"


@dataclass
class SeededPlan:
    plan: object
    admin: object
    participants: list
    milestones: list

    @property
    def participant(self):
        """A participant with a full record, whose pages are measured."""
        return self.participants[0]

    @property
    def past_milestone(self):
        """A milestone whose session is over, with everything its page can show."""
        return next(m for m in reversed(self.milestones) if m.ends_at < _now())


def _now():
    from django.utils import timezone

    return timezone.now()


def seed_plan(*, participants: int, milestones: int, name: str = "Benchmark plan", seed=7):
    """A plan of `participants` by `milestones`, two thirds of them past, with what its
    participants did: 85% attendance, uploads and follow-up actions where asked, half the
    surveys answered."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from bip.models import Plan, PlanMembership
    from milestones.attendance.selectors import session_dates
    from milestones.models import Attendance, Milestone, PostAction, ProgressUpload
    from surveys.models import Response, Survey

    rng = random.Random(seed)
    now = _now()
    password = make_password(PASSWORD)
    plan = Plan.objects.create(
        name=name,
        start_date=(now - datetime.timedelta(days=120)).date(),
        end_date=(now + datetime.timedelta(days=120)).date(),
    )
    slug = f"{plan.pk}"
    admin = User.objects.create(email=f"admin{slug}@bench.example", password=password)
    PlanMembership.objects.create(plan=plan, user=admin, role="project_admin")
    people = User.objects.bulk_create(
        (
            User(
                email=f"p{n}.{slug}@bench.example",
                display_name=f"Participant {n:03}",
                password=password,
            )
            for n in range(participants)
        ),
        batch_size=BATCH,
    )
    PlanMembership.objects.bulk_create(
        (
            PlanMembership(
                plan=plan,
                user=person,
                role="participant",
                joined_at=now - datetime.timedelta(days=200 if n == 0 else rng.choice([200, 40])),
            )
            for n, person in enumerate(people)
        ),
        batch_size=BATCH,
    )
    made = []
    for n in range(milestones):
        starts = now + datetime.timedelta(days=(n - milestones * 2 // 3) * 4)
        made.append(
            Milestone(
                plan=plan,
                name=f"Milestone {n:02}",
                order=n,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                schedule="confirmed",
                meeting_link="https://meet.example.com/bench",
                upload_progress="mandatory" if n % 3 == 0 else "optional",
                post_action_required=n % 4 == 0,
            )
        )
    made = Milestone.objects.bulk_create(made)
    surveys = {m.pk: Survey(milestone=m, title="Feedback", is_active=True) for m in made[::2]}
    Survey.objects.bulk_create(surveys.values())
    attendance, uploads, actions, responses = [], [], [], []
    for milestone in made:
        if milestone.ends_at >= now:
            continue
        day = session_dates(milestone)[0]
        for n, person in enumerate(people):
            full = n == 0
            if full or rng.random() < 0.85:
                attendance.append(
                    Attendance(milestone=milestone, participant=person, day=day, status="present")
                )
            if full or rng.random() < 0.6:
                uploads.append(
                    ProgressUpload(
                        milestone=milestone,
                        participant=person,
                        file=f"progress/bench/{n}.pdf",
                        status=rng.choice(["accepted", "accepted", "submitted"]),
                    )
                )
            if milestone.post_action_required and (full or rng.random() < 0.6):
                actions.append(PostAction(milestone=milestone, participant=person, text="Done"))
            if milestone.pk in surveys and (full or rng.random() < 0.5):
                responses.append(Response(survey=surveys[milestone.pk], respondent=person))
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    ProgressUpload.objects.bulk_create(uploads, batch_size=BATCH)
    PostAction.objects.bulk_create(actions, batch_size=BATCH)
    Response.objects.bulk_create(responses, batch_size=BATCH)
    return SeededPlan(plan=plan, admin=admin, participants=people, milestones=made)


def seed_project(*, milestones: int, messages: int, seed=7):
    """A client project, open, with `milestones` due around today and a chat of `messages`."""
    from django.utils import timezone

    from collaboration.models import ChatMessage, ProjectMilestone
    from tests.factories import ProjectFactory

    rng = random.Random(seed)
    today = timezone.localdate()
    project = ProjectFactory(open=True, completion_date=today + datetime.timedelta(days=60))
    ProjectMilestone.objects.bulk_create(
        ProjectMilestone(
            project=project,
            due_date=today + datetime.timedelta(days=n - milestones // 2),
            title=f"Milestone {n}",
            description="Clean the data provided by the client, and make it ready for analysis.",
            completed_at=timezone.now() if rng.random() < 0.4 else None,
            completed_by=project.consultant,
        )
        for n in range(milestones)
    )
    ChatMessage.objects.bulk_create(
        (
            ChatMessage(
                project=project,
                author=project.client if n % 2 else project.consultant,
                body=f"Message {n}: how is the analysis going?",
            )
            for n in range(messages)
        ),
        batch_size=BATCH,
    )
    return project


def main() -> None:
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=3)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--milestones", type=int, default=30)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--project-milestones", type=int, default=20)
    parser.add_argument("--messages", type=int, default=2000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for n in range(options.plans):
        seed_plan(
            participants=options.participants,
            milestones=options.milestones,
            name=f"Cohort {n + 1}",
            seed=n,
        )
    for n in range(options.projects):
        seed_project(milestones=options.project_milestones, messages=options.messages, seed=n)
    print(
        f"seeded {options.plans} plans of {options.participants} x {options.milestones}, "
        f"{options.projects} projects of {options.project_milestones} milestones and "
        f"{options.messages} messages"
    )


if __name__ == "__main__":
    main()
