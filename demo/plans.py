import datetime

from django.utils import timezone

from bip.models import Plan, PlanMembership


def load_plans(people) -> list[Plan]:
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
        PlanMembership.objects.get_or_create(plan=plan, user=people[email], defaults={"role": role})
    return [plan]
