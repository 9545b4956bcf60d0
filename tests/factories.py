"""A factory for every model, so a test builds only what it is about."""

import datetime
import time
from zoneinfo import ZoneInfo

import factory
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from bip.models import Plan, PlanMembership
from collaboration.models import ChatMessage, Deliverable, Project, ProjectMilestone
from jobs.models import Job
from milestones.models import (
    Activity,
    ActivityView,
    Attendance,
    Milestone,
    PostAction,
    ProgressUpload,
    Trainer,
)
from notifications.models import Notification
from notifications.recipients import Contact
from surveys.models import Answer, Option, Question, Response, Survey

PASSWORD = "a-strong-test-password"


def session_on(days: int, *, hour: int = 10, hours: int = 2, zone: str = "UTC"):
    """(start, end) of a session `days` from today (before today when negative) at `hour`
    in `zone`. Sessions built from the time of day could run past midnight when a test runs
    late in the evening and then count as two session days; these never do."""
    local = ZoneInfo(zone)
    day = timezone.now().astimezone(local).date() + datetime.timedelta(days=days)
    starts = datetime.datetime.combine(day, datetime.time(hour), local)
    return starts, starts + datetime.timedelta(hours=hours)


# The authenticator app of every platform admin the factories make (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now. Near the end of its 30 seconds it waits for
    the next code: one typed into a slow browser could otherwise arrive after it expired."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        # Platform admins must have a second factor to use Cairn; test ones have an
        # authenticator app whose secret the tests know.
        if create and obj.is_staff and extracted is not False:
            TOTP.activate(obj, TOTP_SECRET)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Plan {n}")
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyAttribute(lambda plan: plan.start_date + datetime.timedelta(days=90))


class PlanMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanMembership

    plan = factory.SubFactory(PlanFactory)
    user = factory.SubFactory(UserFactory)
    role = PlanMembership.Role.PARTICIPANT


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    description = "What this milestone covers."
    order = factory.Sequence(lambda n: n)
    meeting_link = "https://meet.example.com/cairn-session"


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    plan = factory.SubFactory(PlanFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"trainer{n}@example.com")
    organisation = "Acme Coaching"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    milestone = factory.SubFactory(MilestoneFactory)
    phase = "pre"
    title = factory.Sequence(lambda n: f"Reading {n}")
    upload_type = "link"
    url = "https://example.com/reading"


# The smallest valid PDF: enough for the upload checks, which read the file's first bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="progress.pdf"):
    return ContentFile(PDF, name=name)


class ActivityViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityView

    activity = factory.SubFactory(ActivityFactory)
    participant = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A participant present on the first day of a scheduled milestone's session."""

    class Meta:
        model = Attendance

    milestone = factory.SubFactory(
        MilestoneFactory,
        starts_at=factory.LazyFunction(lambda: session_on(-1)[0]),
        ends_at=factory.LazyFunction(lambda: session_on(-1)[1]),
    )
    participant = factory.SubFactory(UserFactory)
    day = factory.LazyAttribute(lambda a: a.milestone.session_days()[0].day)
    status = Attendance.Status.PRESENT
    marked_by = factory.LazyAttribute(lambda a: a.participant)


class ProgressUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpload

    milestone = factory.SubFactory(MilestoneFactory, upload_progress="mandatory")
    participant = factory.SubFactory(UserFactory)
    file = factory.LazyFunction(pdf_file)
    note = "First draft."


class PostActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostAction

    milestone = factory.SubFactory(MilestoneFactory, post_action_required=True)
    participant = factory.SubFactory(UserFactory)
    text = "Run a daily stand-up with my team for two weeks."


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    milestone = factory.SubFactory(MilestoneFactory)
    title = factory.Sequence(lambda n: f"Training Feedback {n}")
    description = "Tell us how the training went."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}")
    type = Question.Type.TEXT


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, type=Question.Type.MCQ)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Option {n}")


class McqQuestionFactory(QuestionFactory):
    """A multiple choice question with options "Yes", "Somewhat" and "No"."""

    class Meta:
        skip_postgeneration_save = True

    type = Question.Type.MCQ

    @factory.post_generation
    def options(question, create, extracted, **kwargs):
        if create:
            for order, text in enumerate(extracted or ["Yes", "Somewhat", "No"]):
                OptionFactory(question=question, order=order, text=text)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    respondent = factory.SubFactory(UserFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, survey=factory.SelfAttribute("..response.survey")
    )
    text = "It was useful."


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project before its initial payment: the milestones section is still closed."""

    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Market study {n}")
    consultant = factory.SubFactory(UserFactory)
    client = factory.SubFactory(UserFactory)
    completion_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )
    initial_payment_required = True

    class Params:
        # Paid and opened by a platform admin: milestones can be added.
        open = factory.Trait(
            payment_amount="1500.00",
            payment_received_on=factory.LazyFunction(timezone.localdate),
            payment_reference="INV-001",
            payment_recorded_at=factory.LazyFunction(timezone.now),
            milestones_opened_at=factory.LazyFunction(timezone.now),
        )


class ProjectMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMilestone

    project = factory.SubFactory(ProjectFactory, open=True)
    due_date = factory.LazyAttribute(lambda m: m.project.completion_date)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    description = "Clean the data provided by the client, and make it ready for analysis."
    completed_at = None
    completed_by = None
    amount = None
    # The client was told of it as it is, unless a test says otherwise.
    announced = factory.LazyAttribute(
        lambda m: {
            "title": m.title,
            "due_date": m.due_date.isoformat(),
            "description": m.description,
            "completed_at": m.completed_at.isoformat() if m.completed_at else None,
            "completed_by": m.completed_by.pk if m.completed_by else None,
            "amount": str(m.amount) if m.amount is not None else None,
        }
    )


class DeliverableFactory(factory.django.DjangoModelFactory):
    """A file handed over for a milestone (pass `file=""` and a `url` for a link)."""

    class Meta:
        model = Deliverable

    milestone = factory.SubFactory(ProjectMilestoneFactory)
    title = "Cleaned data set"
    file = factory.LazyFunction(lambda: pdf_file("cleaned-data.pdf"))
    filename = "cleaned-data.pdf"
    added_by = factory.LazyAttribute(lambda d: d.milestone.project.consultant)


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    project = factory.SubFactory(ProjectFactory, open=True)
    author = factory.LazyAttribute(lambda m: m.project.client)
    body = factory.Sequence(lambda n: f"Message number {n}")


class ContactFactory(factory.Factory):
    """Someone emailed by address, with no account."""

    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"guest{n}@outside.example")
    display_name = factory.Faker("name")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    class Params:
        # A row for someone with no account.
        contact = factory.Trait(
            recipient=None,
            to_email=factory.Sequence(lambda n: f"guest{n}@outside.example"),
            to_name=factory.Faker("name"),
            to_time_zone="UTC",
        )

    recipient = factory.SubFactory(UserFactory)
    to_email = factory.LazyAttribute(lambda n: n.recipient.email)
    kind = "plan_membership_added"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    subject = "You are added to a plan"
    body_text = "Hello."
    message_id = factory.Sequence(lambda n: f"<test-{n}@cairn.example>")


class JobFactory(factory.django.DjangoModelFactory):
    """A member import, queued; pass `state`, `done`, `summary` or a `file` for others."""

    class Meta:
        model = Job

    kind = "member_import"
    started_by = factory.SubFactory(UserFactory)
    subject = "Northwind"
    total = 10
