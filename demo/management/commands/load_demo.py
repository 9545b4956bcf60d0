from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.calendar import load_calendar_feeds
from demo.cohorts import load_past_cohort
from demo.notices import send_demo_emails
from demo.people import DEMO_PASSWORD, PEOPLE, load_people
from demo.plans import load_plans
from demo.projects import load_projects
from demo.roster import load_roster
from demo.surveys import load_surveys
from demo.templates import load_templates


class Command(BaseCommand):
    help = (
        "Load the demo data set: one account per role, sample plans and projects. Safe to run "
        "again: it adds nothing twice and leaves what people changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo accounts even with DEBUG off (they share a well-known password).",
        )

    @transaction.atomic
    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demo accounts share a published password; with DEBUG off, pass "
                "--allow-production if you really want them."
            )
        people = load_people()
        plans = load_plans(people)
        cohort = load_roster(plans[0], people)
        load_surveys(plans, people)
        templates = load_templates(plans, people)
        past = load_past_cohort(templates[0], people)
        load_calendar_feeds(people)
        projects = load_projects(people)
        send_demo_emails(plans)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(PEOPLE)} accounts to try (password “{DEMO_PASSWORD}”), "
                f"{len(plans)} plan(s) ({cohort} participants in the first) and an archived "
                f"earlier cohort ({past.name}), "
                f"{len(templates)} plan template(s), "
                f"{len(projects)} project(s)."
            )
        )
