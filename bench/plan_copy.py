"""Copying a plan to run its programme again: 30 milestones, each with a session, a trainer,
a pre-session file and a post-session link, and a survey of three questions (one with
options). Prints the median time of saving the plan as a template, of starting a plan from
that template, and of copying the plan directly (files copied on local disk), with each
one's query count: the counts must not grow with the number of milestones.

    python bench/plan_copy.py [runs]   (an in-memory SQLite database, files in a temporary folder)
"""

import datetime
import sys
import tempfile

from harness import ms, size, start, timed

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else size(20, 2)
MILESTONES = size(30, 3)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed_programme():
    import zoneinfo

    from django.core.files.base import ContentFile

    from accounts.models import User
    from bip.models import Plan, PlanMembership
    from milestones.models import Activity, Milestone, Trainer
    from surveys.models import Option, Question, Survey

    zone = zoneinfo.ZoneInfo("Europe/London")
    start_date = datetime.date(2026, 9, 7)
    plan = Plan.objects.create(
        name="Benchmark programme",
        start_date=start_date,
        end_date=start_date + datetime.timedelta(days=7 * MILESTONES),
        time_zone="Europe/London",
    )
    admin = User.objects.create_user("admin@bench.example", "x")
    PlanMembership.objects.create(plan=plan, user=admin, role="project_admin")
    for n in range(MILESTONES):
        starts = datetime.datetime.combine(
            start_date + datetime.timedelta(days=7 * n), datetime.time(9), zone
        )
        milestone = Milestone.objects.create(
            plan=plan,
            name=f"Milestone {n:02}",
            order=n,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            schedule="confirmed",
            meeting_link="https://meet.example.com/bench",
            upload_progress="optional",
        )
        milestone.trainers.add(
            Trainer.objects.create(plan=plan, name=f"Trainer {n}", email=f"t{n}@bench.example")
        )
        Activity.objects.create(
            milestone=milestone,
            phase="pre",
            title="Reading",
            upload_type="file",
            file=ContentFile(PDF, name="reading.pdf"),
        )
        Activity.objects.create(
            milestone=milestone,
            phase="post",
            title="Video",
            upload_type="link",
            url="https://v.example",
        )
        survey = Survey.objects.create(milestone=milestone, title="Feedback", is_active=True)
        pace = Question.objects.create(survey=survey, order=0, type="MCQ", text="Pace?")
        Option.objects.bulk_create(
            Option(question=pace, order=i, text=t) for i, t in enumerate(["Slow", "Right", "Fast"])
        )
        Question.objects.create(survey=survey, order=1, type="RATING", text="Useful?")
        Question.objects.create(
            survey=survey, order=2, type="OVERALL_TEXT_BASED_RESPONSE", text="More?"
        )
    return plan, admin


def queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def main() -> None:
    start()
    from django.test import override_settings

    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(
            STORAGES={
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": media},
                },
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ),
    ):
        from programmes.selectors import Programme
        from programmes.services import plan_copy, plan_start, template_save

        plan, admin = seed_programme()
        new_start = datetime.date(2027, 1, 4)

        def save(_):
            return template_save(plan=plan, name="Programme", with_trainers=True, created_by=admin)

        template = save(0)
        programme = Programme.from_json(template.content)

        def start_from_template(index):
            return plan_start(
                programme=programme,
                name=f"From template {index}",
                start_date=new_start,
                time_zone="Europe/London",
                skip_weekends=True,
                created_by=admin,
            )

        def copy(index):
            return plan_copy(
                plan=plan,
                name=f"Copy {index}",
                start_date=new_start,
                time_zone="America/New_York",
                created_by=admin,
            )

        print(
            f"{MILESTONES} milestones, each with a trainer, a file, a link and a 3-question survey"
        )
        for label, function in (
            ("save as template", save),
            ("start from template", start_from_template),
            ("copy plan", copy),
        ):
            count = queries(lambda function=function: function(-1))
            print(f"{label:<22}{ms(timed(function, RUNS))}, {count} queries")


if __name__ == "__main__":
    main()
