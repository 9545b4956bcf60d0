"""Writes for client collaboration projects.

Milestone changes. Each change (adding, editing, ticking, unticking) is saved and written in
the project's chat at once, in one transaction, and starts a settling window
(COLLABORATION_SETTLING_SECONDS). The client is emailed once the milestone has been left alone
for the window, by `project_milestone_announce`: it compares the milestone with what the client
was last told (`announced`) and sends one email with the final state, or none when the changes
cancelled out (an untick after a tick). Until then the consultant can undo the changes. A
task queued with the change runs the announcement when the window ends, and a sweep every
minute catches any task that was lost. Deleting a milestone the client knows of emails them
at once.

Chat. A message is emailed to the other member only if they have not read it when the
conversation has gone quiet, together with the others they missed (`chat_emails_send`).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError

from collaboration.chat_lines import chat_line, format_amount, format_day
from collaboration.models import (
    ChatMessage,
    Deliverable,
    Project,
    ProjectMilestone,
    ProjectReader,
)
from files.storage import delete_files_on_commit
from notifications.emails import absolute_url
from notifications.services import notification_create

if TYPE_CHECKING:
    from accounts.models import User
    from notifications.models import Notification

logger = logging.getLogger(__name__)

# A run of a reminder job handles at most this many rows; the next run takes the rest.
REMINDER_BATCH = 500
# How early a broker may deliver a delayed task: such a run is repeated rather than dropped.
EARLY_DELIVERY = datetime.timedelta(seconds=5)
# Messages quoted in one chat email; the rest are counted.
CHAT_EMAIL_QUOTES = 10


@dataclass(frozen=True)
class Change:
    """A line of the email that tells the client what changed in a milestone. The email is
    written in the client's language, so each part is lazy: it is formatted then."""

    label: str
    old: str
    new: str


# What the email calls each part of a milestone that changed.
DUE_DATE = gettext_lazy("Due date")
TITLE = gettext_lazy("Title")
DESCRIPTION = gettext_lazy("Description")
AMOUNT = gettext_lazy("Amount")
STATUS = gettext_lazy("Status")
STATE = {True: gettext_lazy("Complete"), False: gettext_lazy("Not complete")}
_day_lazy = lazy(format_day, str)
_amount_lazy = lazy(format_amount, str)


def project_create(
    *,
    title: str,
    consultant: User,
    client: User,
    completion_date: datetime.date,
    initial_payment_required: bool,
    created_by: User,
    acceptance_required: bool = False,
    currency: str = "EUR",
) -> Project:
    project = Project(
        title=title,
        consultant=consultant,
        client=client,
        completion_date=completion_date,
        initial_payment_required=initial_payment_required,
        acceptance_required=acceptance_required,
        currency=currency,
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
    acceptance_required: bool = False,
    currency: str | None = None,
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
        project.acceptance_required = acceptance_required
        project.currency = currency or project.currency
        project.full_clean()
        project.save(
            update_fields=[
                "title",
                "consultant",
                "client",
                "completion_date",
                "initial_payment_required",
                "acceptance_required",
                "currency",
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
                _("Record the client's initial payment before opening the milestones.")
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
            line="opened",
            consultant=str(project.consultant),
        )
        notification_create(
            recipient=project.consultant,
            kind="project_milestones_opened",
            context={"project": project, "project_url": _project_url(project)},
            idempotency_key=f"project-milestones-opened:{project.pk}",
            subject_object=project,
        )
    return project


def settling_window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.COLLABORATION_SETTLING_SECONDS)


def project_milestone_create(
    *,
    project: Project,
    actor: User,
    due_date: datetime.date,
    title: str,
    description: str,
    amount: Decimal | None = None,
) -> ProjectMilestone:
    _require_open(project)
    with transaction.atomic():
        milestone = ProjectMilestone(
            project=project,
            due_date=due_date,
            title=title,
            description=description,
            amount=amount,
            created_by=actor,
        )
        milestone.full_clean()
        _note_change(milestone, actor=actor)
        milestone.save()
        Project.objects.filter(pk=project.pk, next_no_milestones_reminder_at__isnull=False).update(
            next_no_milestones_reminder_at=None
        )
        _system_message(
            project,
            actor=actor,
            event=ChatMessage.Event.ADDED,
            line="added",
            title=title,
            due=due_date.isoformat(),
        )
    return milestone


def project_milestone_update(
    *,
    milestone: ProjectMilestone,
    actor: User,
    due_date: datetime.date,
    title: str,
    description: str,
    amount: Decimal | None = None,
) -> ProjectMilestone:
    """Save new values; an edit that changes nothing records nothing and sends nothing."""
    with transaction.atomic():
        milestone = _lock(milestone)
        if milestone.paid_on is not None and amount != milestone.amount:
            raise ValidationError(
                {"amount": _("This milestone is paid, so its amount can no longer change.")}
            )
        changes = []
        if milestone.due_date != due_date:
            changes.append(
                {
                    "field": "due_date",
                    "was": milestone.due_date.isoformat(),
                    "now": due_date.isoformat(),
                }
            )
        if milestone.title != title:
            changes.append({"field": "title", "now": title})
        if milestone.description != description:
            changes.append({"field": "description"})
        if milestone.amount != amount:
            changes.append(
                {"field": "amount", "was": _decimal(milestone.amount), "now": _decimal(amount)}
            )
        if not changes:
            return milestone
        old_title = milestone.title
        milestone.due_date = due_date
        milestone.title = title
        milestone.description = description
        milestone.amount = amount
        milestone.full_clean()
        _note_change(milestone, actor=actor)
        milestone.save(update_fields=["due_date", "title", "description", "amount", *NOTED])
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.CHANGED,
            line="changed",
            title=old_title,
            changes=changes,
            currency=milestone.project.currency,
        )
    return milestone


def project_milestone_delete(*, milestone: ProjectMilestone, actor: User) -> None:
    """Delete a milestone. The client is emailed at once if they were told of it; one added
    and deleted inside its settling window was never theirs to hear of."""
    with transaction.atomic():
        milestone = _lock(milestone)
        told = _as_told(milestone)
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.DELETED,
            line="deleted",
            title=milestone.title,
            due=milestone.due_date.isoformat(),
        )
        if told is not None:
            # A deleted row's version is final, so its pk alone keys its one deletion email.
            _email_client(
                told,
                actor=actor,
                event=ChatMessage.Event.DELETED,
                key=f"project-milestone:{milestone.pk}:deleted:deleted",
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
        _note_change(milestone, actor=actor)
        milestone.save(update_fields=["completed_at", "completed_by", *NOTED])
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.COMPLETED,
            line="completed",
            title=milestone.title,
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
        milestone.accepted_at = None
        milestone.accepted_by = None
        _note_change(milestone, actor=actor)
        milestone.save(
            update_fields=[
                "completed_at",
                "completed_by",
                "reopened_at",
                "reopened_by",
                "accepted_at",
                "accepted_by",
                *NOTED,
            ]
        )
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.UNCOMPLETED,
            line="uncompleted",
            title=milestone.title,
        )
    return milestone


def project_milestone_undo(*, milestone: ProjectMilestone, actor: User) -> ProjectMilestone | None:
    """Take back the changes the client has not been emailed about yet: the milestone returns
    to what they were last told, or, if they never heard of it, is withdrawn (None)."""
    with transaction.atomic():
        milestone = _lock(milestone)
        if not milestone.settling:
            raise ValidationError(
                _(
                    "%(client)s has already been emailed about this change, so it can no longer "
                    "be undone. Change the milestone again instead."
                )
                % {"client": milestone.project.client}
            )
        told = milestone.announced
        if told is None:
            _system_message(
                milestone.project,
                actor=actor,
                event=ChatMessage.Event.DELETED,
                line="withdrawn",
                title=milestone.title,
            )
            milestone.delete()
            return None
        milestone.title = told["title"]
        milestone.due_date = datetime.date.fromisoformat(told["due_date"])
        milestone.description = told["description"]
        milestone.completed_at = _moment(told["completed_at"])
        milestone.completed_by_id = told["completed_by"]
        if milestone.completed_at is None:
            milestone.accepted_at = milestone.accepted_by = None
        milestone.announce_after = None
        milestone.changed_by = actor
        milestone.version += 1  # the row is locked: the count is current
        milestone._history_user = actor
        milestone.save(
            update_fields=[
                "title",
                "due_date",
                "description",
                "completed_at",
                "completed_by",
                "accepted_at",
                "accepted_by",
                *NOTED,
            ]
        )
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.UNDONE,
            line="undone",
            title=milestone.title,
        )
    return milestone


def project_milestone_accept(*, milestone: ProjectMilestone, actor: User) -> ProjectMilestone:
    """The client accepts a delivered milestone; the consultant is emailed at once."""
    with transaction.atomic():
        milestone = _lock(milestone)
        project = milestone.project
        _require_acceptance(project, milestone, actor)
        if milestone.is_accepted:
            return milestone
        milestone.accepted_at = timezone.now()
        milestone.accepted_by = actor
        milestone.changes_requested_at = None
        milestone.changes_requested = ""
        milestone._history_user = actor
        milestone.save(
            update_fields=[
                "accepted_at",
                "accepted_by",
                "changes_requested_at",
                "changes_requested",
            ]
        )
        _system_message(
            project,
            actor=actor,
            event=ChatMessage.Event.ACCEPTED,
            line="accepted",
            title=milestone.title,
        )
        _email_consultant(milestone, actor=actor, kind="project_milestone_accepted")
    return milestone


def project_milestone_changes_request(
    *, milestone: ProjectMilestone, actor: User, comment: str
) -> ProjectMilestone:
    """The client sends a delivered milestone back with the changes they ask for: it is open
    again, and the consultant is emailed the comment at once."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    with transaction.atomic():
        milestone = _lock(milestone)
        project = milestone.project
        _require_acceptance(project, milestone, actor)
        if milestone.is_accepted:
            raise ValidationError(
                _("This milestone is already accepted. Ask for further changes in the chat.")
            )
        now = timezone.now()
        milestone.completed_at = None
        milestone.completed_by = None
        milestone.reopened_at = now
        milestone.reopened_by = actor
        milestone.changes_requested_at = now
        milestone.changes_requested = comment
        milestone._history_user = actor
        milestone.save(
            update_fields=[
                "completed_at",
                "completed_by",
                "reopened_at",
                "reopened_by",
                "changes_requested_at",
                "changes_requested",
            ]
        )
        if milestone.announced is not None:
            # The client reopened it themselves: nobody needs to tell them.
            ProjectMilestone.objects.filter(pk=milestone.pk).update(
                announced={**milestone.announced, "completed_at": None, "completed_by": None}
            )
        _system_message(
            project,
            actor=actor,
            event=ChatMessage.Event.CHANGES,
            line="changes_requested",
            title=milestone.title,
            comment=comment,
        )
        _email_consultant(
            milestone,
            actor=actor,
            kind="project_milestone_changes_requested",
            comment=comment,
            key=f"project-milestone-changes:{milestone.pk}:{now.isoformat()}",
        )
    return milestone


def project_milestone_payment_record(
    *,
    milestone: ProjectMilestone,
    paid_on: datetime.date,
    reference: str,
    recorded_by: User,
) -> ProjectMilestone:
    """A platform admin records the client's payment for a milestone; the chat says so."""
    if not recorded_by.is_staff:
        raise ValidationError(_("Only a platform admin records payments."))
    with transaction.atomic():
        milestone = _lock(milestone)
        if milestone.paid_on is not None:
            raise ValidationError(
                _("The payment for “%(milestone)s” is already recorded (%(paid_on)s).")
                % {"milestone": milestone.title, "paid_on": format_day(milestone.paid_on)}
            )
        milestone.paid_on = paid_on
        milestone.payment_reference = reference.strip()
        milestone.payment_recorded_by = recorded_by
        milestone.payment_recorded_at = timezone.now()
        milestone.full_clean()
        milestone._history_user = recorded_by
        milestone.save(
            update_fields=[
                "paid_on",
                "payment_reference",
                "payment_recorded_by",
                "payment_recorded_at",
            ]
        )
        _system_message(
            milestone.project,
            actor=recorded_by,
            event=ChatMessage.Event.PAID,
            line="paid",
            title=milestone.title,
            amount=_decimal(milestone.amount),
            currency=milestone.project.currency,
            received=paid_on.isoformat(),
        )
    return milestone


def deliverable_add(
    *,
    milestone: ProjectMilestone,
    actor: User,
    title: str,
    file=None,
    url: str = "",
) -> Deliverable:
    """Hand over a file or a link for a milestone; it shows in the chat and on the page."""
    deliverable = Deliverable(
        milestone=milestone,
        title=title,
        file=file or "",
        filename=getattr(file, "name", "")[:255] if file else "",
        url=url,
        added_by=actor,
    )
    deliverable.full_clean()
    with transaction.atomic():
        deliverable.save()
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.DELIVERABLE,
            line="deliverable_added",
            deliverable=title,
            title=milestone.title,
        )
    return deliverable


def deliverable_remove(*, deliverable: Deliverable, actor: User) -> None:
    """Take a deliverable back; its file leaves the store once the removal is committed."""
    milestone = deliverable.milestone
    with transaction.atomic():
        deliverable.delete()
        _system_message(
            milestone.project,
            actor=actor,
            event=ChatMessage.Event.DELIVERABLE,
            line="deliverable_removed",
            deliverable=deliverable.title,
            title=milestone.title,
        )
        delete_files_on_commit([deliverable.file])


def project_milestone_announce(
    *, milestone_id: int, now: datetime.datetime | None = None
) -> Notification | None:
    """Email the client what changed in the milestone once it has been left alone for the
    settling window: one email with the final state, none if it ended as the client knew it.
    Safe to run twice: the second run finds nothing left to announce."""
    now = now or timezone.now()
    with transaction.atomic():
        milestone = (
            ProjectMilestone.objects.select_for_update(of=("self",))
            .select_related("project__client", "project__consultant", "changed_by")
            .filter(pk=milestone_id)
            .first()
        )
        if milestone is None or milestone.announce_after is None:
            return None
        if milestone.announce_after > now:
            # Changed again since this run was queued (that change queued its own run), or
            # delivered a moment early: then it runs again when the milestone has settled.
            if milestone.announce_after - now <= EARLY_DELIVERY:
                _announce_later(milestone.pk, milestone.announce_after)
            return None
        told, now_told = milestone.announced, milestone.told()
        notification = None
        event, changes = _what_changed(told, now_told, milestone.project.currency)
        if event:
            notification = _email_client(
                milestone,
                actor=milestone.changed_by or milestone.project.consultant,
                event=event,
                key=f"project-milestone:{milestone.pk}:v{milestone.version}:{event}",
                changes=changes,
                old_title=told["title"] if told else milestone.title,
            )
        # Bookkeeping, not a change anyone made: kept out of the milestone's history.
        ProjectMilestone.objects.filter(pk=milestone.pk).update(
            announce_after=None, announced=now_told
        )
    return notification


def project_milestones_settled_announce(*, now: datetime.datetime | None = None) -> int:
    """Announce every milestone whose settling window has passed; the safety net for an
    announce task that never ran (and, without a broker, the way changes are announced)."""
    now = now or timezone.now()
    due = ProjectMilestone.objects.filter(announce_after__lte=now).order_by("announce_after")
    return sum(
        1
        for milestone_id in due.values_list("pk", flat=True)[:REMINDER_BATCH]
        if project_milestone_announce(milestone_id=milestone_id, now=now)
    )


def chat_message_post(*, project: Project, author: User, body: str) -> ChatMessage:
    """Post a message. Each other member of the project is emailed it once the conversation
    has been quiet for a while, unless they read it first (see chat_emails_send)."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    with transaction.atomic():
        message = ChatMessage.objects.create(project=project, author=author, body=body)
        chat_mark_read(project=project, user=author, up_to=message.pk)
        now = timezone.now()
        delay = datetime.timedelta(seconds=settings.COLLABORATION_CHAT_EMAIL_SECONDS)
        for member_id in {project.consultant_id, project.client_id} - {author.pk}:
            reader, _created = ProjectReader.objects.select_for_update().get_or_create(
                project=project, user_id=member_id
            )
            reader.email_pending_since = reader.email_pending_since or now
            reader.email_due_at = min(now + delay, reader.email_pending_since + 3 * delay)
            reader.save(update_fields=["email_pending_since", "email_due_at"])
            _email_chat_later(reader.email_due_at)
    return message


def chat_mark_read(*, project: Project, user: User, up_to: int) -> None:
    """Note that a member of the project has seen its chat up to message `up_to`, the newest
    one; one query, whatever the page shows."""
    if user.pk not in (project.consultant_id, project.client_id) or not up_to:
        return
    ProjectReader.objects.bulk_create(
        [ProjectReader(project=project, user=user, last_read_id=up_to)],
        update_conflicts=True,
        unique_fields=["project", "user"],
        update_fields=["last_read_id"],
    )


def chat_emails_send(*, now: datetime.datetime | None = None) -> int:
    """Email each member the messages they have not read once their conversation went quiet:
    one email per person per quiet spell, quoting the messages. Returns how many were sent.

    Each email's key names the newest message it tells of, so a repeated run sends nothing
    twice; a reader row being written by a new message is passed by and taken next run.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        readers = (
            ProjectReader.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("project", "user")
            .filter(email_due_at__lte=now)
            .order_by("email_due_at")[:REMINDER_BATCH]
        )
        for reader in readers:
            unread = list(
                reader.project.messages.filter(
                    kind=ChatMessage.Kind.PERSON,
                    pk__gt=max(reader.last_read_id, reader.last_emailed_id),
                )
                .exclude(author=reader.user)
                .select_related("author")
                .order_by("pk")
            )
            if unread and reader.user.is_active:
                notification_create(
                    recipient=reader.user,
                    kind="project_chat_messages",
                    context={
                        "project": reader.project,
                        "count": len(unread),
                        "messages": unread[-CHAT_EMAIL_QUOTES:],
                        "left_out": max(len(unread) - CHAT_EMAIL_QUOTES, 0),
                        "chat_url": _project_url(reader.project) + "#chat",
                    },
                    idempotency_key=(
                        f"project-chat:{reader.project_id}:{reader.user_id}:{unread[-1].pk}"
                    ),
                    subject_object=reader.project,
                )
                reader.last_emailed_id = unread[-1].pk
                sent += 1
            reader.email_due_at = None
            reader.email_pending_since = None
            reader.save(update_fields=["last_emailed_id", "email_due_at", "email_pending_since"])
    return sent


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


def _require_acceptance(project: Project, milestone: ProjectMilestone, actor: User) -> None:
    if not project.acceptance_required:
        raise ValidationError(_("This project does not ask the client to accept milestones."))
    if actor.pk != project.client_id:
        raise ValidationError(_("Only the project's client accepts its milestones."))
    if not milestone.is_complete:
        raise ValidationError(
            _(
                "“%(milestone)s” is not submitted for acceptance yet: %(consultant)s marks it "
                "delivered first."
            )
            % {"milestone": milestone.title, "consultant": project.consultant}
        )


def _email_consultant(
    milestone: ProjectMilestone, *, actor: User, kind: str, comment: str = "", key: str = ""
) -> None:
    project = milestone.project
    notification_create(
        recipient=project.consultant,
        kind=kind,
        context={
            "project": project,
            "milestone": milestone,
            "actor": actor,
            "comment": comment,
            "project_url": _project_url(project),
        },
        idempotency_key=key or f"{kind}:{milestone.pk}:{milestone.completed_at.isoformat()}",
        subject_object=milestone,
    )


def _require_open(project: Project) -> None:
    if not project.milestones_open:
        raise ValidationError(_("The milestones section of this project is not open yet."))


def _lock(milestone: ProjectMilestone) -> ProjectMilestone:
    # Two requests changing one milestone take turns, so each sees the other's version.
    return (
        ProjectMilestone.objects.select_for_update()
        .select_related("project__client", "project__consultant")
        .get(pk=milestone.pk)
    )


NOTED = ["announce_after", "changed_by", "version"]


def _note_change(milestone: ProjectMilestone, *, actor: User) -> None:
    """Inside the changing transaction, before the save: the client hears of the milestone
    once it has been left alone for the settling window, which every change moves on."""
    milestone.announce_after = timezone.now() + settling_window()
    milestone.changed_by = actor
    if milestone.pk is not None:
        milestone.version += 1  # the row is locked: the count is current
    milestone._history_user = actor
    transaction.on_commit(
        lambda: _announce_later(milestone.pk, milestone.announce_after), robust=True
    )


def _announce_later(milestone_id: int, due: datetime.datetime) -> None:
    from collaboration.tasks import announce_milestone

    countdown = max((due - timezone.now()).total_seconds(), 0)
    try:
        announce_milestone.apply_async((milestone_id,), countdown=countdown, retry=False)
    except OperationalError as error:
        # The broker is down: the minute's sweep announces the milestone once it is back.
        logger.warning("Could not queue the announcement of milestone %s: %s", milestone_id, error)


def _email_chat_later(due: datetime.datetime) -> None:
    from collaboration.tasks import send_chat_emails

    def enqueue():
        countdown = max((due - timezone.now()).total_seconds(), 0)
        try:
            send_chat_emails.apply_async(countdown=countdown, retry=False)
        except OperationalError as error:
            logger.warning("Could not queue the chat emails: %s", error)

    transaction.on_commit(enqueue, robust=True)


def _what_changed(told: dict | None, now_told: dict, currency: str) -> tuple[str, list[Change]]:
    """The email a settled milestone calls for ("" for none) and the changes it lists. Only
    what the client sees counts: a tick and an untick cancel out whenever each happened."""
    if told is None:
        return ChatMessage.Event.ADDED, []
    changes = []
    if told["due_date"] != now_told["due_date"]:
        changes.append(
            Change(
                DUE_DATE,
                _day_lazy(datetime.date.fromisoformat(told["due_date"])),
                _day_lazy(datetime.date.fromisoformat(now_told["due_date"])),
            )
        )
    for field, label in (("title", TITLE), ("description", DESCRIPTION)):
        if told[field] != now_told[field]:
            changes.append(Change(label, told[field], now_told[field]))
    if told.get("amount") != now_told.get("amount"):
        was, now = (
            _amount_lazy(value or None, currency)
            for value in (told.get("amount"), now_told.get("amount"))
        )
        changes.append(Change(AMOUNT, was, now))
    was_complete, is_complete = bool(told["completed_at"]), bool(now_told["completed_at"])
    if was_complete != is_complete:
        if not changes:
            return (
                ChatMessage.Event.COMPLETED if is_complete else ChatMessage.Event.UNCOMPLETED
            ), []
        changes.append(Change(STATUS, STATE[was_complete], STATE[is_complete]))
    return (ChatMessage.Event.CHANGED if changes else ""), changes


def _as_told(milestone: ProjectMilestone) -> ProjectMilestone | None:
    """The milestone as the client last heard of it, or None if they never did."""
    told = milestone.announced
    if told is None:
        return None
    copy = ProjectMilestone(
        pk=milestone.pk,
        project=milestone.project,
        title=told["title"],
        due_date=datetime.date.fromisoformat(told["due_date"]),
        description=told["description"],
        completed_at=_moment(told["completed_at"]),
    )
    return copy


def _email_client(
    milestone: ProjectMilestone,
    *,
    actor: User,
    event: str,
    key: str,
    changes: list[Change] | None = None,
    old_title: str = "",
) -> Notification:
    project = milestone.project
    return notification_create(
        recipient=project.client,
        kind=f"project_milestone_{event}",
        context={
            "project": project,
            "milestone": milestone,
            "actor": actor,
            "changes": changes or [],
            "old_title": old_title or milestone.title,
            "project_url": _project_url(project),
            "acceptance": project.acceptance_required,
            "deliverables": list(milestone.deliverables.all()) if milestone.pk else [],
            # A milestone added or moved into the past is overdue from the start: say so.
            "overdue": event != ChatMessage.Event.DELETED
            and milestone.is_overdue(timezone.localdate()),
        },
        idempotency_key=key,
        subject_object=project if event == ChatMessage.Event.DELETED else milestone,
    )


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _decimal(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _system_message(
    project: Project, *, actor: User, event: str, line: str, **facts
) -> ChatMessage:
    """Write a line in the chat. Its facts are kept so that each reader sees it in their own
    language (collaboration.chat_lines); its English text is kept as the body, which the
    admin site lists and searches."""
    details = {"line": line, "actor": str(actor), **facts}
    with translation.override(settings.LANGUAGE_CODE):
        body = chat_line(details)
    return ChatMessage.objects.create(
        project=project,
        kind=ChatMessage.Kind.SYSTEM,
        author=actor,
        event=event,
        body=body,
        details=details,
    )


def _project_url(project: Project) -> str:
    return absolute_url(reverse("collaboration:project", args=[project.pk]))
