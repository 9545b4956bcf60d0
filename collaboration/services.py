"""Writes for client collaboration projects.

Every milestone change does three things in one transaction: the change itself, a system
message in the project's chat and the client's email in the notifications outbox (sent once
the transaction commits, so a rolled-back change leaves no email).

One email per change, not a digest: each email tells the client one thing that happened, with
the old and new values, and goes out within seconds. A digest would hold emails back for its
window and needs a second moving part (a delayed send that gathers the changes) that must
neither lose a change committed while it runs nor send one twice; one outbox row per change
gets both guarantees from the outbox's unique key alone. A burst of edits is rare (only the
consultant edits) and an edit that changes nothing sends nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from collaboration.models import ChatMessage, Project, ProjectMilestone
from notifications.emails import absolute_url
from notifications.services import notification_create

if TYPE_CHECKING:
    from accounts.models import User

# A run of a reminder job handles at most this many rows; the next hourly run takes the rest.
REMINDER_BATCH = 500


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def project_create(
    *,
    title: str,
    consultant: User,
    client: User,
    completion_date: datetime.date,
    initial_payment_required: bool,
    created_by: User,
) -> Project:
    project = Project(
        title=title,
        consultant=consultant,
        client=client,
        completion_date=completion_date,
        initial_payment_required=initial_payment_required,
        created_by=created_by,
    )
    project.full_clean()
    project.save()
    return project


def project_update(
    *,
    project: Project,
    title: str,
    consultant: User,
    client: User,
    completion_date: datetime.date,
    initial_payment_required: bool,
) -> Project:
    with transaction.atomic():
        # The rules are checked against the saved row, not the caller's copy: the milestones
        # may have been opened since that copy was read.
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.title = title
        project.consultant = consultant
        project.client = client
        project.completion_date = completion_date
        project.initial_payment_required = initial_payment_required
        project.full_clean()
        project.save(
            update_fields=[
                "title",
                "consultant",
                "client",
                "completion_date",
                "initial_payment_required",
            ]
        )
    return project


def project_payment_record(
    *,
    project: Project,
    amount: Decimal,
    received_on: datetime.date,
    reference: str,
    recorded_by: User,
) -> Project:
    project.payment_amount = amount
    project.payment_received_on = received_on
    project.payment_reference = reference
    project.payment_recorded_by = recorded_by
    project.payment_recorded_at = timezone.now()
    project.full_clean()
    project.save(
        update_fields=[
            "payment_amount",
            "payment_received_on",
            "payment_reference",
            "payment_recorded_by",
            "payment_recorded_at",
        ]
    )
    return project


def project_milestones_open(*, project: Project, opened_by: User) -> Project:
    """Open the milestones section; the consultant is reminded if none are added in time."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.milestones_open:
            return project
        if project.awaiting_payment:
            raise ValidationError(
                "Record the client's initial payment before opening the milestones."
            )
        now = timezone.now()
        project.milestones_opened_at = now
        project.milestones_opened_by = opened_by
        if not project.milestones.exists():
            project.next_no_milestones_reminder_at = now + datetime.timedelta(
                days=settings.COLLABORATION_NO_MILESTONES_REMINDER_DAYS
            )
        project.save(
            update_fields=[
                "milestones_opened_at",
                "milestones_opened_by",
                "next_no_milestones_reminder_at",
            ]
        )
        _system_message(
            project,
            actor=opened_by,
            event=ChatMessage.Event.OPENED,
            body=f"{opened_by} opened the milestones section. {project.consultant} can now "
            "add the project's milestones.",
        )
        notification_create(
            recipient=project.consultant,
            kind="project_milestones_opened",
            context={"project": project, "project_url": _project_url(project)},
            idempotency_key=f"project-milestones-opened:{project.pk}",
            subject_object=project,
        )
    return project


def project_milestone_create(
    *,
    project: Project,
    actor: User,
    due_date: datetime.date,
    title: str,
    description: str,
) -> ProjectMilestone:
    _require_open(project)
    with transaction.atomic():
        milestone = ProjectMilestone(
            project=project,
            due_date=due_date,
            title=title,
            description=description,
            created_by=actor,
        )
        milestone._history_user = actor
        milestone.save()
        Project.objects.filter(pk=project.pk, next_no_milestones_reminder_at__isnull=False).update(
            next_no_milestones_reminder_at=None
        )
        _announce(
            milestone,
            actor=actor,
            event=ChatMessage.Event.ADDED,
            text=f"{actor} added the milestone “{title}”, due {_day(due_date)}.",
        )
    return milestone


def project_milestone_update(
    *,
    milestone: ProjectMilestone,
    actor: User,
    due_date: datetime.date,
    title: str,
    description: str,
) -> ProjectMilestone:
    """Save new values; an edit that changes nothing records nothing and sends nothing."""
    with transaction.atomic():
        milestone = _lock(milestone)
        changes = []
        if milestone.due_date != due_date:
            changes.append(Change("Due date", _day(milestone.due_date), _day(due_date)))
        if milestone.title != title:
            changes.append(Change("Title", milestone.title, title))
        if milestone.description != description:
            changes.append(Change("Description", milestone.description, description))
        if not changes:
            return milestone
        old_title = milestone.title
        milestone.due_date = due_date
        milestone.title = title
        milestone.description = description
        milestone.version += 1  # the row is locked: the count is current
        milestone._history_user = actor
        milestone.save(update_fields=["due_date", "title", "description", "version"])
        milestone.refresh_from_db(fields=["version"])
        _announce(
            milestone,
            actor=actor,
            event=ChatMessage.Event.CHANGED,
            text=f"{actor} edited the milestone “{old_title}”: {_summary(changes)}.",
            changes=changes,
            old_title=old_title,
        )
    return milestone


def project_milestone_delete(*, milestone: ProjectMilestone, actor: User) -> None:
    with transaction.atomic():
        milestone = _lock(milestone)
        _announce(
            milestone,
            actor=actor,
            event=ChatMessage.Event.DELETED,
            text=f"{actor} deleted the milestone “{milestone.title}” "
            f"(was due {_day(milestone.due_date)}).",
        )
        milestone.delete()


def project_milestone_complete(*, milestone: ProjectMilestone, actor: User) -> ProjectMilestone:
    """Tick a milestone. Ticking one that is already complete changes nothing."""
    with transaction.atomic():
        milestone = _lock(milestone)
        if milestone.is_complete:
            return milestone
        milestone.completed_at = timezone.now()
        milestone.completed_by = actor
        milestone.version += 1  # the row is locked: the count is current
        milestone._history_user = actor
        milestone.save(update_fields=["completed_at", "completed_by", "version"])
        milestone.refresh_from_db(fields=["version"])
        _announce(
            milestone,
            actor=actor,
            event=ChatMessage.Event.COMPLETED,
            text=f"{actor} marked the milestone “{milestone.title}” complete.",
        )
    return milestone


def project_milestone_uncomplete(*, milestone: ProjectMilestone, actor: User) -> ProjectMilestone:
    """Untick a milestone; who ticked it stays in the chat, who unticked it on the row."""
    with transaction.atomic():
        milestone = _lock(milestone)
        if not milestone.is_complete:
            return milestone
        milestone.completed_at = None
        milestone.completed_by = None
        milestone.reopened_at = timezone.now()
        milestone.reopened_by = actor
        milestone.version += 1  # the row is locked: the count is current
        milestone._history_user = actor
        milestone.save(
            update_fields=["completed_at", "completed_by", "reopened_at", "reopened_by", "version"]
        )
        milestone.refresh_from_db(fields=["version"])
        _announce(
            milestone,
            actor=actor,
            event=ChatMessage.Event.UNCOMPLETED,
            text=f"{actor} marked the milestone “{milestone.title}” as not complete.",
        )
    return milestone


def chat_message_post(*, project: Project, author: User, body: str) -> ChatMessage:
    body = body.strip()
    if not body:
        raise ValidationError("Write a message first.")
    return ChatMessage.objects.create(project=project, author=author, body=body)


def project_no_milestones_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind consultants whose open project still has no milestone; repeats on a schedule.

    Each reminder's key names its project and its number, so a second run (or two beat
    processes) sends nothing twice.
    """
    now = now or timezone.now()
    repeat = datetime.timedelta(days=settings.COLLABORATION_NO_MILESTONES_REPEAT_DAYS)
    sent = 0
    with transaction.atomic():
        due = (
            Project.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("consultant", "client")
            .filter(next_no_milestones_reminder_at__lte=now, milestones_opened_at__isnull=False)
            .order_by("next_no_milestones_reminder_at")[:REMINDER_BATCH]
        )
        for project in due:
            if project.milestones.exists():
                project.next_no_milestones_reminder_at = None
                project.save(update_fields=["next_no_milestones_reminder_at"])
                continue
            number = project.no_milestones_reminders_sent + 1
            notification_create(
                recipient=project.consultant,
                kind="project_no_milestones_reminder",
                context={
                    "project": project,
                    "number": number,
                    "opened_days": (now - project.milestones_opened_at).days,
                    "project_url": _project_url(project),
                },
                idempotency_key=f"project-no-milestones:{project.pk}:{number}",
                subject_object=project,
            )
            project.no_milestones_reminders_sent = number
            project.next_no_milestones_reminder_at = now + repeat
            project.save(
                update_fields=["no_milestones_reminders_sent", "next_no_milestones_reminder_at"]
            )
            sent += 1
    return sent


def project_milestone_due_soon_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell both parties about open milestones due within COLLABORATION_DUE_SOON_DAYS."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.COLLABORATION_DUE_SOON_DAYS)
    return _remind(
        kind="project_milestone_due_soon",
        marker="due_soon_reminded_for",
        due_filter={"due_date__gte": today, "due_date__lte": horizon},
        today=today,
    )


def project_milestone_overdue_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell both parties about open milestones whose due date has passed."""
    today = today or timezone.localdate()
    return _remind(
        kind="project_milestone_overdue",
        marker="overdue_reminded_for",
        due_filter={"due_date__lt": today},
        today=today,
    )


def _remind(*, kind: str, marker: str, due_filter: dict, today: datetime.date) -> int:
    """Claim each milestone that needs this reminder for its current due date, once.

    The marker column keeps the scan to rows not yet reminded; the outbox key (milestone, due
    date, kind, recipient) is what makes a repeat or a concurrent run send nothing twice.
    """
    sent = 0
    with transaction.atomic():
        milestones = (
            ProjectMilestone.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("project__consultant", "project__client")
            .filter(completed_at__isnull=True, **due_filter)
            .exclude(**{marker: F("due_date")})
            .order_by("due_date", "pk")[:REMINDER_BATCH]
        )
        for milestone in milestones:
            project = milestone.project
            for role, recipient in (("consultant", project.consultant), ("client", project.client)):
                notification_create(
                    recipient=recipient,
                    kind=kind,
                    context={
                        "project": project,
                        "milestone": milestone,
                        "role": role,
                        "days": abs((milestone.due_date - today).days),
                        "project_url": _project_url(project),
                    },
                    idempotency_key=(
                        f"{kind}:{milestone.pk}:{milestone.due_date.isoformat()}:{role}"
                    ),
                    subject_object=milestone,
                )
            setattr(milestone, marker, milestone.due_date)
            milestone.save(update_fields=[marker])
            sent += 1
    return sent


def _require_open(project: Project) -> None:
    if not project.milestones_open:
        raise ValidationError("The milestones section of this project is not open yet.")


def _lock(milestone: ProjectMilestone) -> ProjectMilestone:
    # Two requests changing one milestone take turns, so each sees the other's version.
    return (
        ProjectMilestone.objects.select_for_update()
        .select_related("project__client", "project__consultant")
        .get(pk=milestone.pk)
    )


def _announce(
    milestone: ProjectMilestone,
    *,
    actor: User,
    event: str,
    text: str,
    changes: list[Change] | None = None,
    old_title: str = "",
) -> None:
    """The system chat message and the client's email for one milestone change."""
    project = milestone.project
    _system_message(project, actor=actor, event=event, body=text)
    # A deleted row's version is final, so its pk alone keys its one deletion email.
    change = "deleted" if event == ChatMessage.Event.DELETED else f"v{milestone.version}"
    notification_create(
        recipient=project.client,
        kind=f"project_milestone_{event}",
        context={
            "project": project,
            "milestone": milestone,
            "actor": actor,
            "changes": changes or [],
            "old_title": old_title or milestone.title,
            "project_url": _project_url(project),
            # A milestone added or moved into the past is overdue from the start: say so.
            "overdue": event != ChatMessage.Event.DELETED
            and milestone.is_overdue(timezone.localdate()),
        },
        idempotency_key=f"project-milestone:{milestone.pk}:{change}:{event}",
        subject_object=project if event == ChatMessage.Event.DELETED else milestone,
    )


def _system_message(project: Project, *, actor: User, event: str, body: str) -> ChatMessage:
    return ChatMessage.objects.create(
        project=project, kind=ChatMessage.Kind.SYSTEM, author=actor, event=event, body=body
    )


def _summary(changes: list[Change]) -> str:
    parts = []
    for change in changes:
        if change.label == "Description":
            parts.append("new description")
        elif change.label == "Title":
            parts.append(f"now called “{change.new}”")
        else:
            parts.append(f"{change.label.lower()} {change.old} → {change.new}")
    return ", ".join(parts)


def _project_url(project: Project) -> str:
    return absolute_url(reverse("collaboration:project", args=[project.pk]))


def _day(value: datetime.date) -> str:
    return date_format(value, "D j M Y")
