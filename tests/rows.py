"""How many rows the domain tables hold: compared before and after requests that must
change nothing."""

from allauth.mfa.models import Authenticator

from accounts.models import User
from bip.models import Plan, PlanMembership
from collaboration.models import ChatMessage, Project, ProjectMilestone
from jobs.models import Job
from milestones.models import (
    Activity,
    Attendance,
    CalendarFeed,
    Milestone,
    PostAction,
    ProgressUpload,
    Trainer,
)
from surveys.models import Question, Response, Survey

DOMAIN_TABLES = [
    User,
    Plan,
    PlanMembership,
    Milestone,
    Trainer,
    Activity,
    Attendance,
    ProgressUpload,
    PostAction,
    Survey,
    Question,
    Response,
    Project,
    ProjectMilestone,
    ChatMessage,
    CalendarFeed,
    Authenticator,
    Job,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DOMAIN_TABLES}
