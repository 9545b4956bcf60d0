from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.selectors import PeopleMatches, people_search
from collaboration.models import (
    ChatMessage,
    Deliverable,
    Project,
    ProjectMilestone,
    ProjectReader,
)


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


def deliverables_downloadable_by(user, project_pk) -> QuerySet[Deliverable]:
    """The deliverable files of a project that `user` may see (its members and platform
    admins); none for anyone else."""
    deliverables = Deliverable.objects.filter(milestone__project_id=project_pk).exclude(file="")
    if user.is_staff:
        return deliverables
    return deliverables.filter(
        Q(milestone__project__consultant=user) | Q(milestone__project__client=user)
    )


def get_project_for_admin(user, pk) -> Project:
    """A project for the platform admin's own actions (payment, opening); 404 for anyone else."""
    if not user.is_staff:
        raise Http404("No such project.")
    return get_project_for_user(user, pk)


def people_to_choose(user, *, search: str, everyone: bool = False) -> PeopleMatches:
    """Whom a platform admin's search for a consultant or a client finds; 404 for anyone
    else, to whom the list of accounts is no business."""
    if not user.is_staff:
        raise Http404("No such page.")
    return people_search(search, everyone=everyone)


@dataclass(frozen=True)
class ProjectRow:
    """A project in a list, with how far its milestones have come."""

    project: Project
    milestone_count: int
    completed_count: int
    overdue_count: int
    # People's messages in the chat that the viewer has not read.
    unread_count: int = 0
    # The open milestone due next (the earliest, overdue ones included).
    next_due_date: date | None = None
    next_due_title: str = ""


def projects_for_user(user, *, today: date) -> list[ProjectRow]:
    """The projects a person works on, each with its milestone counts and the messages they
    have not read; one query."""
    return _with_progress(_member_of(Project.objects.all(), user), today=today, reader=user)


def unread_total(rows: list[ProjectRow]) -> int:
    return sum(row.unread_count for row in rows)


# The project list's filters: what each shows.
PROJECT_STATES = {
    "": _("All"),
    "waiting": _("Not open yet"),
    "open": pgettext_lazy("projects whose milestones are open", "Open"),
    "overdue": _("Overdue"),
    "unread": _("Unread messages"),
}


def project_list(user, *, today: date, state: str = "", term: str = "") -> QuerySet[Project]:
    """The projects a person may list (every project for a platform admin), filtered by
    state and by a word of their title or their people's names, each annotated as
    `_with_progress` does; to be paged by the caller."""
    projects = Project.objects.all() if user.is_staff else _member_of(Project.objects.all(), user)
    if term:
        projects = projects.filter(
            Q(title__icontains=term)
            | Q(consultant__display_name__icontains=term)
            | Q(consultant__email__icontains=term)
            | Q(client__display_name__icontains=term)
            | Q(client__email__icontains=term)
        )
    projects = _annotated(projects, today=today, reader=user)
    if state == "waiting":
        projects = projects.filter(milestones_opened_at__isnull=True)
    elif state == "open":
        projects = projects.filter(milestones_opened_at__isnull=False)
    elif state == "overdue":
        projects = projects.filter(overdue_count__gt=0)
    elif state == "unread":
        projects = projects.filter(unread_count__gt=0)
    return projects


def project_rows(projects) -> list[ProjectRow]:
    return [
        ProjectRow(
            p,
            p.milestone_count,
            p.completed_count,
            p.overdue_count,
            p.unread_count,
            p.next_due_date,
            p.next_due_title or "",
        )
        for p in projects
    ]


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone as the page lists it."""

    pk: int
    title: str
    description: str
    due_date: date
    completed_at: datetime | None
    completed_by: str | None
    reopened_at: datetime | None
    reopened_by: str | None
    overdue: bool
    # Due after the project's completion date.
    after_completion: bool
    # When the client is emailed about the latest changes, which can be undone until then;
    # None once they have been.
    emails_at: datetime | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    changes_requested_at: datetime | None = None
    changes_requested: str = ""
    deliverables: tuple[Deliverable, ...] = ()
    # Counts towards the project's progress: complete, and accepted where that is asked for.
    done: bool = False
    # Delivered on a project whose client accepts milestones, and not accepted yet.
    awaiting_client: bool = False
    amount: Decimal | None = None
    # "", "not due", "due" or "paid" (see ProjectMilestone.payment_status).
    payment_status: str = ""
    paid_on: date | None = None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class ProjectMoney:
    """What the project costs the client, in its currency: the initial payment and each
    milestone's amount, what is paid and what is left."""

    currency: str
    total: Decimal
    paid: Decimal
    # Milestones done and not yet paid.
    due: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.total - self.paid


def project_money(project: Project, rows: list) -> ProjectMoney | None:
    """None when the project has no amounts at all."""
    amounts = [row for row in rows if row.amount is not None]
    initial = Decimal(project.payment_amount) if project.payment_amount is not None else None
    if initial is None and not amounts:
        return None
    zero = Decimal("0.00")
    return ProjectMoney(
        currency=project.currency,
        total=(initial or zero) + sum((row.amount for row in amounts), zero),
        paid=(initial if project.payment_recorded and initial else zero)
        + sum((row.amount for row in amounts if row.payment_status == "paid"), zero),
        due=sum((row.amount for row in amounts if row.payment_status == "due"), zero),
    )


@dataclass(frozen=True)
class MilestoneBoard:
    """The milestones section: the list in due-date order and what the page says about it."""

    milestones: list[MilestoneRow]
    completed: int
    overdue: int
    after_completion: list[MilestoneRow]
    # The last milestone is not due on the project's completion date (the seed's pro tip).
    last_due_date_differs: bool
    money: ProjectMoney | None = None

    @property
    def total(self) -> int:
        return len(self.milestones)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.milestones else 0


def milestone_board(project: Project, *, today: date) -> MilestoneBoard:
    milestones = project.milestones.select_related(
        "completed_by", "reopened_by", "accepted_by"
    ).prefetch_related("deliverables")
    rows = [_milestone_row(milestone, project=project, today=today) for milestone in milestones]
    return MilestoneBoard(
        milestones=rows,
        completed=sum(row.done for row in rows),
        overdue=sum(row.overdue for row in rows),
        after_completion=[row for row in rows if row.after_completion],
        last_due_date_differs=bool(rows) and rows[-1].due_date != project.completion_date,
        money=project_money(project, rows),
    )


def _milestone_row(milestone: ProjectMilestone, *, project: Project, today: date) -> MilestoneRow:
    return MilestoneRow(
        pk=milestone.pk,
        title=milestone.title,
        description=milestone.description,
        due_date=milestone.due_date,
        completed_at=milestone.completed_at,
        completed_by=_name(milestone.completed_by),
        reopened_at=milestone.reopened_at,
        reopened_by=_name(milestone.reopened_by),
        overdue=milestone.is_overdue(today),
        after_completion=milestone.due_date > project.completion_date,
        emails_at=milestone.announce_after,
        accepted_at=milestone.accepted_at,
        accepted_by=_name(milestone.accepted_by),
        changes_requested_at=milestone.changes_requested_at,
        changes_requested=milestone.changes_requested,
        deliverables=tuple(milestone.deliverables.all()),
        done=milestone.counts_as_done(project),
        awaiting_client=project.acceptance_required
        and milestone.is_complete
        and not milestone.is_accepted,
        amount=milestone.amount,
        payment_status=milestone.payment_status(project),
        paid_on=milestone.paid_on,
    )


@dataclass(frozen=True)
class ChatPage:
    messages: list[ChatMessage]
    earlier_before: int | None
    # Set when the page shows an older stretch of the conversation, not its end.
    is_history: bool
    # Only people's messages: the lines Cairn writes about milestone changes are hidden.
    people_only: bool = False
    # The project's newest message, shown or not: what an open page asks for news after.
    latest_id: int = 0


def chat_page(
    project: Project, *, before: int | None = None, people_only: bool = False
) -> ChatPage:
    """A stretch of the conversation, oldest first, ending with the newest message (or just
    before message `before`); one query however long the history is."""
    size = settings.COLLABORATION_CHAT_PAGE_SIZE
    messages = project.messages.select_related("author").order_by("-pk")
    if people_only:
        messages = messages.filter(kind=ChatMessage.Kind.PERSON)
    if before is not None:
        messages = messages.filter(pk__lt=before)
    # One more than a page tells whether anything older is left.
    rows = list(messages[: size + 1])
    has_earlier = len(rows) > size
    rows = rows[:size][::-1]
    if people_only or before is not None:
        latest_id = project.messages.aggregate(latest=Max("pk"))["latest"] or 0
    else:
        latest_id = rows[-1].pk if rows else 0
    return ChatPage(
        messages=rows,
        earlier_before=rows[0].pk if has_earlier else None,
        is_history=before is not None,
        people_only=people_only,
        latest_id=latest_id,
    )


def project_changed_since(project: Project, message_id: int) -> bool:
    """Whether anything happened on the project after message `message_id`: every change to
    its milestones writes a line in the chat, so the chat alone tells."""
    return project.messages.filter(pk__gt=message_id).exists()


@dataclass(frozen=True)
class ProjectPage:
    """What the project page shows the person looking at it."""

    project: Project
    # "consultant", "client", "platform admin", or "" for nobody in particular.
    role: str
    # May add, edit, delete and tick milestones.
    can_manage: bool
    # None until a platform admin opens the milestones section.
    board: MilestoneBoard | None
    chat: ChatPage


def project_page(
    project: Project,
    *,
    user,
    today: date,
    before: int | None = None,
    people_only: bool = False,
) -> ProjectPage:
    """The project page for `user`; `before` shows the chat's messages before that one."""
    return ProjectPage(
        project=project,
        role=project.role_of(user),
        can_manage=project.is_managed_by(user),
        board=milestone_board(project, today=today) if project.milestones_open else None,
        chat=chat_page(project, before=before, people_only=people_only),
    )


def _name(person) -> str | None:
    return str(person) if person is not None else None


def _member_of(projects: QuerySet[Project], user) -> QuerySet[Project]:
    return projects.filter(Q(consultant=user) | Q(client=user))


def _with_progress(projects: QuerySet[Project], *, today: date, reader=None) -> list[ProjectRow]:
    return project_rows(_annotated(projects, today=today, reader=reader))


def _annotated(projects: QuerySet[Project], *, today: date, reader=None) -> QuerySet[Project]:
    open_milestones = ProjectMilestone.objects.filter(
        project=OuterRef("pk"), completed_at__isnull=True
    ).order_by("due_date", "created_at", "pk")
    return (
        projects.select_related("consultant", "client")
        .annotate(
            milestone_count=Count("milestones"),
            # Complete, and accepted where the project asks the client to accept.
            completed_count=Count(
                "milestones",
                filter=Q(milestones__completed_at__isnull=False)
                & (Q(acceptance_required=False) | Q(milestones__accepted_at__isnull=False)),
            ),
            overdue_count=Count(
                "milestones",
                filter=Q(milestones__completed_at__isnull=True, milestones__due_date__lt=today),
            ),
            unread_count=_unread_count(reader) if reader is not None else Value(0),
            next_due_date=Subquery(open_milestones.values("due_date")[:1]),
            next_due_title=Subquery(open_milestones.values("title")[:1]),
        )
        .order_by("completion_date", "title", "pk")
    )


def _unread_count(user):
    """Per project: the people's messages from others after the last one `user` read (a
    subquery, so it does not multiply the milestone counts' join)."""
    last_read = ProjectReader.objects.filter(project=OuterRef(OuterRef("pk")), user=user).values(
        "last_read_id"
    )[:1]
    unread = (
        ChatMessage.objects.filter(
            project=OuterRef("pk"),
            kind=ChatMessage.Kind.PERSON,
            pk__gt=Coalesce(Subquery(last_read), 0),
        )
        .exclude(author=user)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)


@dataclass(frozen=True)
class MilestoneChange:
    at: datetime
    by: str
    changes: list[tuple[str, str, str]]  # (what, was, now)


# Newest changes shown on a milestone's edit page.
MILESTONE_HISTORY_LIMIT = 50


def project_milestone_history(milestone: ProjectMilestone) -> list[MilestoneChange]:
    """Who changed the milestone's due date, title, description or completion, and when,
    newest first; one query."""
    records = list(
        milestone.history.select_related("history_user").order_by("-history_id")[
            : MILESTONE_HISTORY_LIMIT + 1
        ]
    )[::-1]
    entries = []
    for before, after in zip([None, *records], records, strict=False):
        changes = [
            (label, "" if before is None else show(before), show(after))
            for label, show in _MILESTONE_FIELDS
            if (show(after) if before is None else show(before) != show(after))
        ]
        if before is None and len(records) > MILESTONE_HISTORY_LIMIT:
            continue  # the oldest record is only there to compare the next one with
        if changes:
            who = str(after.history_user) if after.history_user_id else "Cairn"
            entries.append(MilestoneChange(at=after.history_date, by=who, changes=changes))
    return entries[::-1]


def _yes_no(value) -> str:
    return gettext("yes") if value else gettext("no")


_MILESTONE_FIELDS = [
    (_("Due date"), lambda record: date_format(record.due_date, "WEEKDAY_FORMAT")),
    (_("Title"), lambda record: record.title),
    (_("Description"), lambda record: record.description),
    (_("Complete"), lambda record: _yes_no(record.completed_at)),
    (_("Accepted by the client"), lambda record: _yes_no(record.accepted_at)),
    (_("Changes asked for"), lambda record: record.changes_requested),
    (
        _("Amount"),
        lambda record: number_format(record.amount, 2) if record.amount is not None else "",
    ),
    (
        _("Paid on"),
        lambda record: date_format(record.paid_on, "WEEKDAY_FORMAT") if record.paid_on else "",
    ),
]
