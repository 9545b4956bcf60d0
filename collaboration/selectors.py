from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from collaboration.models import ChatMessage, Project, ProjectMilestone


def get_project_for_user(user, pk, *, manage: bool = False) -> Project:
    """The project a person may see (manage=True: may change its milestones), or 404.

    A client asking to manage gets the same 404 as a stranger: no hint that it exists.
    """
    projects = Project.objects.select_related(
        "consultant", "client", "payment_recorded_by", "milestones_opened_by"
    )
    if not user.is_staff:
        projects = projects.filter(consultant=user) if manage else _member_of(projects, user)
    try:
        return projects.get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("No such project.") from None


def get_project_for_admin(user, pk) -> Project:
    """A project for the platform admin's own actions (payment, opening); 404 for anyone else."""
    if not user.is_staff:
        raise Http404("No such project.")
    return get_project_for_user(user, pk)


def projects_for_user(user, *, today: date) -> QuerySet[Project]:
    """The projects a person works on, each with its milestone counts."""
    return _with_progress(_member_of(Project.objects.all(), user), today=today)


def all_projects(*, today: date) -> QuerySet[Project]:
    return _with_progress(Project.objects.all(), today=today)


@dataclass
class MilestoneBoard:
    """The milestones section: the list in due-date order and what the page says about it."""

    milestones: list[ProjectMilestone]
    today: date
    completed: int = 0
    overdue: list[ProjectMilestone] = field(default_factory=list)
    after_completion: list[ProjectMilestone] = field(default_factory=list)
    last_due_date_differs: bool = False

    @property
    def total(self) -> int:
        return len(self.milestones)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.milestones else 0


def milestone_board(project: Project, *, today: date) -> MilestoneBoard:
    milestones = list(project.milestones.select_related("completed_by", "reopened_by"))
    board = MilestoneBoard(milestones=milestones, today=today)
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
        milestone.after_completion = milestone.due_date > project.completion_date
        board.completed += milestone.is_complete
        if milestone.overdue:
            board.overdue.append(milestone)
        if milestone.after_completion:
            board.after_completion.append(milestone)
    board.last_due_date_differs = bool(milestones) and (
        milestones[-1].due_date != project.completion_date
    )
    return board


@dataclass
class ChatPage:
    messages: list[ChatMessage]
    earlier_before: int | None
    # Set when the page shows an older stretch of the conversation, not its end.
    is_history: bool


def chat_page(project: Project, *, before: int | None = None) -> ChatPage:
    """A stretch of the conversation, oldest first, ending with the newest message (or just
    before message `before`); one query however long the history is."""
    size = settings.COLLABORATION_CHAT_PAGE_SIZE
    messages = project.messages.select_related("author").order_by("-pk")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    # One more than a page tells whether anything older is left.
    rows = list(messages[: size + 1])
    has_earlier = len(rows) > size
    rows = rows[:size][::-1]
    return ChatPage(
        messages=rows,
        earlier_before=rows[0].pk if has_earlier else None,
        is_history=before is not None,
    )


def _member_of(projects: QuerySet[Project], user) -> QuerySet[Project]:
    return projects.filter(Q(consultant=user) | Q(client=user))


def _with_progress(projects: QuerySet[Project], *, today: date) -> QuerySet[Project]:
    return projects.select_related("consultant", "client").annotate(
        milestone_count=Count("milestones"),
        completed_count=Count("milestones", filter=Q(milestones__completed_at__isnull=False)),
        overdue_count=Count(
            "milestones",
            filter=Q(milestones__completed_at__isnull=True, milestones__due_date__lt=today),
        ),
    )
