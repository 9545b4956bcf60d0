"""The rest of the demo plan's cohort: enough participants, in every state, for the progress
dashboard, its filters and the survey results to look like a real plan's."""

import datetime
import random

from django.core.files.base import ContentFile

from accounts.models import User
from accounts.services import email_address_verify
from bip.models import Plan, PlanMembership
from demo.people import DEMO_PASSWORD
from demo.plans import SAMPLE_PDF, ZONE
from milestones.models import Attendance, PostAction, ProgressUpload

NAMES = [
    "Amara Okafor",
    "Ben Carter",
    "Chloe Martin",
    "Daniel Novak",
    "Elena Rossi",
    "Farid Haddad",
    "Grace Liu",
    "Hugo Lambert",
    "Ines Duarte",
    "Jonas Berg",
    "Kavya Iyer",
    "Liam O'Brien",
    "Maya Cohen",
    "Noah Fischer",
    "Olivia Brown",
    "Pedro Alves",
    "Rosa Jimenez",
    "Sam Whitfield",
    "Tara Singh",
    "Umar Siddiqui",
    "Vera Kowalski",
    "Wei Zhang",
    "Yusuf Demir",
]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]


def load_roster(plan: Plan, people) -> int:
    """Add the cohort's other participants, each with a believable record of the sessions
    so far: most attended, some missed a day, a few have not uploaded yet. Returns how many
    participants the plan has; running it again adds nothing."""
    pam = people["pam@cairn.example"]
    assessment = plan.milestones.get(name="Initial Skill Assessment")
    workshop = plan.milestones.get(name="Lean Foundations Workshop")
    chance = random.Random(2026)  # the same cohort on every machine
    joined = datetime.datetime.combine(plan.start_date, datetime.time(9), datetime.UTC)
    for index, name in enumerate(NAMES):
        first, last = name.lower().replace("'", "").split(" ", 1)
        user, created = User.objects.get_or_create(
            email=f"{first}.{last.replace(' ', '')}@northwind.example",
            defaults={"display_name": name, "time_zone": ZONES[index % len(ZONES)]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            email_address_verify(user)
        _, joined_now = PlanMembership.objects.get_or_create(
            plan=plan,
            user=user,
            defaults={"role": PlanMembership.Role.PARTICIPANT, "joined_at": joined},
        )
        if joined_now:
            _record(user, index, chance, assessment=assessment, workshop=workshop, pam=pam)
    return plan.memberships.filter(role=PlanMembership.Role.PARTICIPANT).count()


def _record(user, index, chance, *, assessment, workshop, pam) -> None:
    # Every fifth missed the workshop's second day; every seventh was away for the assessment.
    for milestone in (assessment, workshop):
        start = milestone.starts_at.astimezone(ZONE).date()
        days = (milestone.ends_at.astimezone(ZONE).date() - start).days + 1
        for n in range(days):
            away = (milestone == assessment and index % 7 == 6) or (
                milestone == workshop and n == 1 and index % 5 == 4
            )
            Attendance.objects.create(
                milestone=milestone,
                participant=user,
                day=start + datetime.timedelta(days=n),
                status="absent" if away else "present",
                marked_by=pam,
                validated_by=pam,
                validated_at=milestone.ends_at,
            )
    # Uploads: most accepted, some waiting for review, one sent back, a few not yet in.
    state = index % 6
    if state != 5:
        uploaded = assessment.ends_at + datetime.timedelta(hours=chance.randint(4, 60))
        status = {
            3: ProgressUpload.Status.SUBMITTED,
            4: ProgressUpload.Status.CHANGES_REQUESTED,
        }.get(state, ProgressUpload.Status.ACCEPTED)
        reviewed = status != ProgressUpload.Status.SUBMITTED
        ProgressUpload.objects.create(
            milestone=assessment,
            participant=user,
            file=ContentFile(SAMPLE_PDF, name=f"{user.email.split('@')[0]}-baseline.pdf"),
            note="My baseline questionnaire.",
            status=status,
            review_comment="Please add the second page." if state == 4 else "",
            created_at=uploaded,
            reviewed_by=pam if reviewed else None,
            reviewed_at=uploaded + datetime.timedelta(hours=18) if reviewed else None,
        )
    if index % 3 != 2:
        PostAction.objects.create(
            milestone=workshop,
            participant=user,
            text="Run a five-minute stand-up at the start of each shift for two weeks.",
            submitted_at=workshop.ends_at + datetime.timedelta(days=1),
            updated_at=workshop.ends_at + datetime.timedelta(days=1),
        )
