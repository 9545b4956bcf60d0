"""The demo programme's earlier cohort: a plan started from the demo template months ago,
run to its end and archived, so the template's Cohorts page sets two runs side by side."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from bip.models import Plan, PlanMembership
from bip.services import plan_archive
from demo.plans import SAMPLE_PDF, ZONE
from milestones.models import Attendance, Milestone, PostAction, ProgressUpload
from programmes.models import PlanTemplate
from programmes.selectors import Programme
from programmes.services import plan_start
from surveys.models import Answer, Response

PAST_PLAN_NAME = "Northwind Operations Excellence 2025"
PARTICIPANTS = ["omar@cairn.example", "lena@cairn.example", "kofi@cairn.example"]
# What each of them did: Omar everything, Lena all but one follow-up, Kofi missed sessions.
MISSED = {
    "kofi@cairn.example": {"Coaching Session 1", "Mid-plan Review", "Final Assessment"},
}
NO_FOLLOW_UP = {"lena@cairn.example": {"Mid-plan Review"}, "kofi@cairn.example": {"*"}}
RATINGS = {"omar@cairn.example": (5, 5), "lena@cairn.example": (3, 4)}


def load_past_cohort(template: PlanTemplate, people) -> Plan:
    """Once: a second load finds the plan by name and leaves it as it is."""
    plan = Plan.objects.filter(name=PAST_PLAN_NAME).first()
    if plan is not None:
        return plan
    pam, ada = people["pam@cairn.example"], people["admin@cairn.example"]
    today = timezone.localdate()
    plan = plan_start(
        programme=Programme.from_json(template.content),
        template=template,
        name=PAST_PLAN_NAME,
        start_date=today - datetime.timedelta(days=260),
        time_zone="Europe/London",
        created_by=ada,
    )
    joined = datetime.datetime.combine(plan.start_date, datetime.time(9), ZONE)
    PlanMembership.objects.create(
        plan=plan, user=pam, role=PlanMembership.Role.PROJECT_ADMIN, joined_at=joined
    )
    for email in PARTICIPANTS:
        PlanMembership.objects.create(
            plan=plan, user=people[email], role=PlanMembership.Role.PARTICIPANT, joined_at=joined
        )
    milestones = _held(plan)
    for milestone in milestones:
        for email in PARTICIPANTS:
            _participate(milestone, people[email], pam)
    plan_archive(plan=plan, archived_by=pam)
    return plan


def _held(plan: Plan) -> list[Milestone]:
    """Every session of the earlier run took place, confirmed, the one the programme leaves
    undated included."""
    milestones = list(plan.milestones.order_by("order"))
    for milestone in milestones:
        if not milestone.is_scheduled:
            milestone.starts_at = datetime.datetime.combine(
                plan.start_date + datetime.timedelta(days=42), datetime.time(10), ZONE
            )
            milestone.ends_at = milestone.starts_at + datetime.timedelta(hours=1)
        if not (milestone.meeting_link or milestone.location):
            milestone.location = "Northwind plant, training room 2, 14 Harbour Road, Bristol"
        milestone.schedule = Milestone.Schedule.CONFIRMED
    Milestone.objects.bulk_update(milestones, ["starts_at", "ends_at", "location", "schedule"])
    return milestones


def _participate(milestone: Milestone, person, pam) -> None:
    email = person.email
    missed = milestone.name in MISSED.get(email, set())
    for session_day in milestone.session_days():
        Attendance.objects.create(
            milestone=milestone,
            participant=person,
            day=session_day.day,
            status=Attendance.Status.ABSENT if missed else Attendance.Status.PRESENT,
            marked_by=pam,
            validated_by=pam,
            validated_at=milestone.ends_at,
        )
    if missed:
        return
    if milestone.upload_is_mandatory:
        ProgressUpload.objects.create(
            milestone=milestone,
            participant=person,
            file=ContentFile(SAMPLE_PDF, name=f"{email.split('@')[0]}-progress.pdf"),
            status=ProgressUpload.Status.ACCEPTED,
            reviewed_by=pam,
            reviewed_at=milestone.ends_at,
        )
    skipped = NO_FOLLOW_UP.get(email, set())
    if milestone.post_action_required and not ({"*", milestone.name} & skipped):
        PostAction.objects.create(
            milestone=milestone,
            participant=person,
            text="Ran the improvement with my team and shared the results.",
            validated_by=pam,
            validated_at=milestone.ends_at,
        )
    survey = milestone.surveys.filter(is_active=True).first()
    if survey is not None and email in RATINGS:
        response = Response.objects.create(
            survey=survey, respondent=person, submitted_at=milestone.ends_at
        )
        ratings = iter(RATINGS[email])
        answers = []
        for question in survey.questions.order_by("order"):
            if question.is_rating:
                answers.append(Answer(response=response, question=question, rating=next(ratings)))
            elif question.type == question.Type.MCQ:
                answers.append(
                    Answer(response=response, question=question, option=question.options.first())
                )
            else:
                answers.append(
                    Answer(response=response, question=question, text="Useful and practical.")
                )
        Answer.objects.bulk_create(answers)
