import datetime
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone

from bip.models import Plan, PlanMembership
from milestones.models import Activity, Attendance, Milestone, PostAction, ProgressUpload, Trainer

ZONE = zoneinfo.ZoneInfo("Europe/London")

# A one-page PDF, enough for the demo's downloadable activity.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


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
    joined = datetime.datetime.combine(plan.start_date, datetime.time(9), ZONE)
    for email, role in roles:
        PlanMembership.objects.get_or_create(
            plan=plan, user=people[email], defaults={"role": role, "joined_at": joined}
        )
    if not plan.milestones.exists():
        _load_milestones(plan, people, today)
        _load_participation(plan, people)
    return [plan]


def _at(day: datetime.date, offset_days: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day + datetime.timedelta(days=offset_days), datetime.time(hour, minute), ZONE
    )


def _load_milestones(plan: Plan, people, today: datetime.date) -> None:
    theo = Trainer.objects.create(
        plan=plan,
        name="Theo Trainer",
        email="trainer@cairn.example",
        organisation="Lean Path Consulting",
        phone="+49 30 1234 5678",
        bio="Lean practitioner for fifteen years; runs the plan's trainings and assessments.",
        user=people["trainer@cairn.example"],
    )
    maria = Trainer.objects.create(
        plan=plan,
        name="Maria Santos",
        email="maria.santos@example.com",
        organisation="Northwind Coaching Guild",
        bio="Operations coach who leads the one-to-one coaching sessions.",
    )
    milestones = [
        {
            "name": "Initial Skill Assessment",
            "kind": Milestone.Kind.ASSESSMENT,
            "description": (
                "This milestone evaluates the current skill level of participants before "
                "beginning the BIP. It helps establish a baseline to measure progress and "
                "tailor upcoming interventions accordingly."
            ),
            "upload_progress": Milestone.UploadProgress.MANDATORY,
            "schedule": Milestone.Schedule.CONFIRMED,
            "meeting_link": "https://meet.example.com/northwind-assessment",
            "passcode": "baseline",
            "starts_at": _at(today, -14, 10),
            "ends_at": _at(today, -14, 12),
            "trainers": [theo],
        },
        {
            "name": "Lean Foundations Workshop",
            "kind": Milestone.Kind.TRAINING,
            "description": "Two days on value streams, waste and flow, in person at the plant.",
            "multi_day": True,
            "post_action_required": True,
            "upload_progress": Milestone.UploadProgress.OPTIONAL,
            "schedule": Milestone.Schedule.CONFIRMED,
            "location": "Northwind plant, training room 2, 14 Harbour Road, Bristol",
            "starts_at": _at(today, -7, 9),
            "ends_at": _at(today, -6, 17),
            "trainers": [theo],
        },
        {
            "name": "Coaching Session 1",
            "kind": Milestone.Kind.MEETING,
            "description": "One hour with your coach to pick the first improvement to work on.",
            "session_connect": Milestone.SessionConnect.COACH,
            "attendance_marking": Milestone.AttendanceMarking.SELF,
            "schedule": Milestone.Schedule.CONFIRMED,
            "meeting_link": "https://teams.example.com/l/northwind-coaching-1",
            "starts_at": _at(today, 2, 14),
            "ends_at": _at(today, 2, 15),
            "trainers": [maria],
        },
        {
            "name": "Process Mapping Training",
            "kind": Milestone.Kind.TRAINING,
            "description": "Map one of your own processes end to end and find its bottlenecks.",
            "upload_progress": Milestone.UploadProgress.MANDATORY,
            "schedule": Milestone.Schedule.TENTATIVE,
            "meeting_link": "https://zoom.example.com/j/555123",
            "starts_at": _at(today, 16, 10),
            "ends_at": _at(today, 16, 13),
            "trainers": [theo],
        },
        {
            "name": "Mid-plan Review",
            "kind": Milestone.Kind.MEETING,
            "description": "Each participant presents progress on their improvement so far.",
            "post_action_required": True,
        },
        {
            "name": "Final Assessment",
            "kind": Milestone.Kind.ASSESSMENT,
            "description": "The baseline assessment again, to measure what changed.",
            "upload_progress": Milestone.UploadProgress.MANDATORY,
            "schedule": Milestone.Schedule.TENTATIVE,
            "starts_at": _at(today, 60, 10),
            "ends_at": _at(today, 60, 12),
        },
    ]
    created = []
    for order, fields in enumerate(milestones):
        trainers = fields.pop("trainers", [])
        milestone = Milestone.objects.create(plan=plan, order=order, **fields)
        milestone.trainers.set(trainers)
        created.append(milestone)

    assessment, workshop, _coaching, mapping, *_ = created
    Activity.objects.create(
        milestone=assessment,
        phase=Activity.Phase.PRE,
        title="How the assessment works",
        upload_type=Activity.UploadType.FILE,
        file=ContentFile(SAMPLE_PDF, name="how-the-assessment-works.pdf"),
    )
    Activity.objects.create(
        milestone=workshop,
        phase=Activity.Phase.PRE,
        title="Lean Thinking, chapter 1",
        upload_type=Activity.UploadType.LINK,
        url="https://www.lean.org/explore-lean/what-is-lean/",
    )
    Activity.objects.create(
        milestone=workshop,
        phase=Activity.Phase.POST,
        title="Workshop slides",
        upload_type=Activity.UploadType.FILE,
        file=ContentFile(SAMPLE_PDF, name="lean-foundations-slides.pdf"),
    )
    Activity.objects.create(
        milestone=mapping,
        phase=Activity.Phase.PRE,
        title="Process mapping template",
        upload_type=Activity.UploadType.LINK,
        url="https://example.com/templates/process-map",
    )
    Activity.objects.create(
        milestone=mapping,
        phase=Activity.Phase.PRE,
        order=1,
        title="Value stream mapping in ten minutes",
        upload_type=Activity.UploadType.LINK,
        url="https://example.com/guides/value-stream-mapping",
    )


def _load_participation(plan: Plan, people) -> None:
    """What the two participants have done so far: one ahead, one behind."""
    priya, paul = people["priya@cairn.example"], people["paul@cairn.example"]
    pam = people["pam@cairn.example"]
    assessment = plan.milestones.get(name="Initial Skill Assessment")
    workshop = plan.milestones.get(name="Lean Foundations Workshop")
    for milestone in (assessment, workshop):
        start = milestone.starts_at.astimezone(ZONE).date()
        days = (milestone.ends_at.astimezone(ZONE).date() - start).days + 1
        for n in range(days):
            day = start + datetime.timedelta(days=n)
            Attendance.objects.create(
                milestone=milestone,
                participant=priya,
                day=day,
                status="present",
                marked_by=pam,
                validated_by=pam,
                validated_at=milestone.ends_at,
            )
            Attendance.objects.create(
                milestone=milestone,
                participant=paul,
                day=day,
                status="present" if milestone == assessment or n == 0 else "absent",
                marked_by=pam,
                validated_by=pam,
                validated_at=milestone.ends_at,
            )
    ProgressUpload.objects.create(
        milestone=assessment,
        participant=priya,
        file=ContentFile(SAMPLE_PDF, name="priya-baseline.pdf"),
        note="My completed baseline questionnaire.",
        status=ProgressUpload.Status.ACCEPTED,
        # Uploaded the evening after the assessment, reviewed the next morning.
        created_at=assessment.ends_at + datetime.timedelta(hours=6),
        reviewed_by=pam,
        reviewed_at=assessment.ends_at + datetime.timedelta(hours=20),
    )
    ProgressUpload.objects.create(
        milestone=assessment,
        participant=paul,
        file=ContentFile(SAMPLE_PDF, name="paul-baseline.pdf"),
        note="Baseline questionnaire, first go.",
        created_at=assessment.ends_at + datetime.timedelta(days=3),
    )
    PostAction.objects.create(
        milestone=workshop,
        participant=priya,
        text="Map the packing line's value stream and share it with my team by Friday.",
    )
