import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bip.models import Plan, PlanMembership

DEMO_PASSWORD = "cairn-demo"

# (email, display name, time zone, platform admin)
PEOPLE = [
    ("admin@cairn.example", "Ada Admin", "Europe/London", True),
    ("pam@cairn.example", "Pam Okafor", "Europe/London", False),
    ("trainer@cairn.example", "Theo Trainer", "Europe/Berlin", False),
    ("priya@cairn.example", "Priya Natarajan", "Asia/Kolkata", False),
    ("paul@cairn.example", "Paul Jensen", "America/New_York", False),
    ("consultant@cairn.example", "Carla Consultant", "Europe/Madrid", False),
    ("client@cairn.example", "Chris Client", "America/Chicago", False),
]


class Command(BaseCommand):
    help = (
        "Load the demo data set: one account per role and a sample plan. Safe to run again: "
        "it updates what is there and adds nothing twice."
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
        people = {}
        for email, name, time_zone, is_staff in PEOPLE:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"display_name": name, "time_zone": time_zone, "is_staff": is_staff},
            )
            if created:
                user.is_superuser = is_staff
                user.set_password(DEMO_PASSWORD)
                user.save()
            people[email] = user

        today = timezone.localdate()
        plan, _ = Plan.objects.get_or_create(
            name="Northwind Operations Excellence 2026",
            defaults={
                "description": (
                    "A twelve-week Business Improvement Plan for Northwind's operations leads: "
                    "a baseline skill assessment, lean training, coaching sessions and a closing "
                    "review."
                ),
                "start_date": today - datetime.timedelta(days=21),
                "end_date": today + datetime.timedelta(days=63),
                "time_zone": "Europe/London",
            },
        )
        roles = [
            ("pam@cairn.example", PlanMembership.Role.PROJECT_ADMIN),
            ("priya@cairn.example", PlanMembership.Role.PARTICIPANT),
            ("paul@cairn.example", PlanMembership.Role.PARTICIPANT),
        ]
        for email, role in roles:
            PlanMembership.objects.get_or_create(
                plan=plan, user=people[email], defaults={"role": role}
            )

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(PEOPLE)} accounts (password “{DEMO_PASSWORD}”), "
                f"plan “{plan.name}”."
            )
        )
