"""Telling people about sessions: invitations, updates and cancellations with calendar
invites, reminders before each session day, new pre-session activities, and trainers'
assignments.

A session's change is noted in the admin's own transaction and announced later by a task:
`session_change_note` only marks the milestone (`announce_after`, a short settling window
after the latest edit) and queues `announce_session`; when the session has been quiet for the
window, `session_announce` compares it with what people were last told (`announced`) and
records at most one SessionAnnouncement: an invitation, an update saying what changed, or a
cancellation. Three quick edits are one email; an edit undone inside the window is none.
`announcement_fan_out` then writes one outbox row per person in batches, each with its own
calendar invite. Every email's key names the announcement's SEQUENCE and the person, so a task
that runs twice, or two workers at once, send nothing twice.
"""

from __future__ import annotations

import datetime
from itertools import batched
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.selectors import user_zone
from bip.selectors import plan_participants, running_plans
from bip.services import plan_scope
from milestones.calendar.selectors import invite_ics
from milestones.models import (
    Activity,
    Milestone,
    SessionAnnouncement,
    SessionDetails,
    SessionReminder,
    Trainer,
)
from milestones.notices.selectors import (
    announced_parts,
    session_audience,
    session_changes,
    sessions_run_by_accounts,
    trainers_of,
    upcoming_announced_sessions,
)
from milestones.uploads.selectors import review_queues
from notifications.emails import absolute_url
from notifications.recipients import Contact
from notifications.selectors import keys_taken
from notifications.services import Attachment, notification_create, notifications_create_many

if TYPE_CHECKING:
    from accounts.models import User

SESSION_KIND = "session_invitation"
FAN_OUT_BATCH = 1000
# How early a broker may deliver a delayed task: such a run is repeated rather than dropped.
EARLY_DELIVERY = datetime.timedelta(seconds=5)
REMINDER_KIND = "session_reminder"
# How far ahead of a session day each reminder goes, and until when it is still worth
# sending when the job runs late: a day-before reminder gives way to the hour-before one,
# which is no use once the session has started.
REMINDER_LEADS = {
    SessionReminder.Lead.DAY: (datetime.timedelta(hours=24), datetime.timedelta(hours=1)),
    SessionReminder.Lead.HOUR: (datetime.timedelta(hours=1), datetime.timedelta()),
}


def settling_window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SESSION_CHANGE_SETTLING_SECONDS)


# Noting a change


def session_change_note(*, milestone: Milestone, now: datetime.datetime | None = None) -> None:
    """Inside the caller's transaction: if what people would be told of the session differs
    from what they were told, announce it once the session has been quiet for the settling
    window. Every edit moves the window on."""
    if (
        announced_parts(milestone.session_details()) == announced_parts(_announced(milestone))
        and milestone.announce_after is None
    ):
        return
    due = (now or timezone.now()) + settling_window()
    Milestone.objects.filter(pk=milestone.pk).update(announce_after=due)
    milestone.announce_after = due
    _announce_later(milestone.pk, due)


def _announce_later(milestone_id: int, due: datetime.datetime) -> None:
    from milestones.tasks import announce_session

    countdown = max((due - timezone.now()).total_seconds(), 0)
    transaction.on_commit(
        lambda: announce_session.apply_async((milestone_id,), countdown=countdown), robust=True
    )


# Deciding what to announce


def session_announce(
    *, milestone_id: int, now: datetime.datetime | None = None
) -> SessionAnnouncement | None:
    """Announce the session's change once it has settled; None when there is nothing (yet)
    to tell. Safe to run twice: the second run finds nothing left to announce."""
    now = now or timezone.now()
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("plan")
            .filter(pk=milestone_id)
            .first()
        )
        if milestone is None or milestone.announce_after is None:
            return None
        if milestone.announce_after > now:
            # Edited again since this run was queued (that edit queued its own run), or the
            # broker delivered this run a moment early: then it runs again when the session
            # has settled. The minute's sweep catches anything else.
            if milestone.announce_after - now <= EARLY_DELIVERY:
                _announce_later(milestone.pk, milestone.announce_after)
            return None
        milestone.announce_after = None
        current, previous = milestone.session_details(), _announced(milestone)
        announcement = None
        if announced_parts(current) != announced_parts(previous):
            change = (
                SessionAnnouncement.Change.SCHEDULED
                if previous is None
                else SessionAnnouncement.Change.CANCELLED
                if current is None
                else SessionAnnouncement.Change.CHANGED
            )
            announcement = _record(milestone, change=change, current=current, previous=previous)
            milestone.announced = current.to_json() if current else None
        milestone.save(update_fields=["announce_after", "announced", "invite_sequence"])
    return announcement


def milestone_deletion_announce(*, milestone: Milestone) -> SessionAnnouncement | None:
    """Inside the deleting transaction: people holding an invite get its cancellation."""
    previous = _announced(milestone)
    if previous is None:
        return None
    return _record(
        milestone, change=SessionAnnouncement.Change.CANCELLED, current=None, previous=previous
    )


def _record(milestone, *, change, current, previous) -> SessionAnnouncement:
    # SEQUENCE starts at 0 with the first invite and rises with every later announcement,
    # a re-confirmed session's included, so calendar apps always take the newest.
    first = milestone.announced is None and milestone.invite_sequence == 0
    milestone.invite_sequence = 0 if first else milestone.invite_sequence + 1
    announcement = SessionAnnouncement.objects.create(
        plan_id=milestone.plan_id,
        milestone=milestone,
        change=change,
        sequence=milestone.invite_sequence,
        session=(current or previous).to_json(),
        previous=previous.to_json() if previous and current else None,
        trainers=trainers_of(milestone),
    )
    Milestone.objects.filter(pk=milestone.pk).update(invite_sequence=milestone.invite_sequence)
    _fan_out_after_commit(announcement.pk)
    return announcement


def _fan_out_after_commit(announcement_id: int) -> None:
    from milestones.tasks import fan_out_announcement

    transaction.on_commit(lambda: fan_out_announcement.delay(announcement_id), robust=True)


def _announced(milestone: Milestone) -> SessionDetails | None:
    return SessionDetails.from_json(milestone.announced) if milestone.announced else None


# Telling everyone


def announcement_fan_out(*, announcement_id: int) -> int:
    """Write the announcement's emails, one per person, each with its calendar invite.
    Returns how many were queued."""
    announcement = SessionAnnouncement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    details = SessionDetails.from_json(announcement.session)
    previous = SessionDetails.from_json(announcement.previous) if announcement.previous else None
    cancelled = announcement.change == SessionAnnouncement.Change.CANCELLED
    audience = session_audience(
        plan_id=announcement.plan_id, trainers=announcement.trainers, time_zone=details.time_zone
    )
    context = {
        "change": announcement.change,
        "session": details,
        "changes": session_changes(previous, details) if previous else [],
        "venue_zone": details.time_zone if details.location else "",
    }
    key = f"session:{details.milestone_id}:{announcement.sequence}"
    shared = {
        "kind": SESSION_KIND,
        "subject_object": announcement,
        "scope": plan_scope(announcement.plan_id),
    }
    queued = 0
    for role, people, url in (
        ("participant", audience.participants, _participant_url(details, cancelled)),
        ("trainer", audience.trainers, _trainer_url(details, cancelled)),
        ("guest", audience.guests, ""),
    ):
        # A batch at a time, each committed and on its way before the next is written, so
        # the first emails leave while the rest of a large cohort is still being prepared.
        # Each person's key is theirs alone, so a fan-out cut short and run again only
        # writes who is missing.
        for batch in batched(people, FAN_OUT_BATCH):
            with transaction.atomic():
                queued += notifications_create_many(
                    recipients=batch,
                    context={**context, "role": role, "page_url": url},
                    idempotency_key=f"{key}:{role}",
                    attachments=_invite_for(details, announcement.sequence, cancelled, url),
                    **shared,
                )
    SessionAnnouncement.objects.filter(pk=announcement.pk).update(fanned_out_at=timezone.now())
    return queued


def invites_for_newcomer(*, membership) -> int:
    """Inside the joining transaction: a participant who joins a plan gets the invite of
    each of its sessions ahead that everyone else already holds. The key is the one the
    session's fan-out gives that person, so nobody ever gets a session's invite twice."""
    if not membership.is_participant:
        return 0
    sent = 0
    for milestone in upcoming_announced_sessions(membership.plan_id):
        details = _announced(milestone)
        url = _participant_url(details, cancelled=False)
        notification_create(
            recipient=membership.user,
            kind=SESSION_KIND,
            context={
                "change": SessionAnnouncement.Change.SCHEDULED,
                "session": details,
                "changes": [],
                "venue_zone": details.time_zone if details.location else "",
                "role": "participant",
                "page_url": url,
            },
            idempotency_key=f"session:{milestone.pk}:{milestone.invite_sequence}:participant:"
            f"{membership.user_id}",
            subject_object=milestone,
            scope=plan_scope(milestone.plan_id),
            attachments=_invite_for(details, milestone.invite_sequence, False, url)(
                membership.user
            ),
        )
        sent += 1
    return sent


def _invite_for(details: SessionDetails, sequence: int, cancelled: bool, url: str):
    method = "CANCEL" if cancelled else "REQUEST"

    def attachments(person: User | Contact) -> list[Attachment]:
        # In the language of the email it travels with.
        with translation.override(person.language or settings.LANGUAGE_CODE):
            ics = invite_ics(
                details,
                method=method,
                sequence=sequence,
                attendee_email=person.email,
                attendee_name=str(person),
                url=url,
            )
        return [
            Attachment(
                "invite.ics",
                f"text/calendar; method={method}; charset=utf-8",
                ics,
                alternative=True,
            )
        ]

    return attachments


def _participant_url(details: SessionDetails, cancelled: bool) -> str:
    if cancelled:
        return absolute_url(reverse("progress:my_plan", args=[details.plan_id]))
    return absolute_url(
        reverse("progress:my_milestone", args=[details.plan_id, details.milestone_id])
    )


def _trainer_url(details: SessionDetails, cancelled: bool) -> str:
    if cancelled:
        return absolute_url(reverse("home"))
    return absolute_url(
        reverse("milestones:attendance", args=[details.plan_id, details.milestone_id])
    )


# A trainer put on a milestone or taken off it


def trainer_assignment_announce(*, milestone: Milestone, trainer: Trainer, assigned: bool) -> None:
    """Inside the caller's transaction, after the trainer is added or before they are taken
    off: tell them they run the milestone (with the session's invite once it is confirmed) or
    no longer do (with its cancellation)."""
    if not trainer.email:
        return
    # What the trainer is told must be what everyone else was last told.
    milestone.refresh_from_db(fields=["announced", "invite_sequence"])
    # The assignment's own row names the email, so adding, removing and adding again are
    # three emails while a retried request is still one.
    assignment = (
        milestone.trainers.through.objects.filter(milestone=milestone, trainer=trainer)
        .values_list("pk", flat=True)
        .first()
    )
    recipient = trainer.user or Contact(
        email=trainer.email, display_name=trainer.name, time_zone=milestone.plan.time_zone
    )
    details = _announced(milestone)
    url = ""
    if trainer.user_id:
        url = absolute_url(
            reverse("milestones:attendance", args=[milestone.plan_id, milestone.pk])
            if assigned
            else reverse("home")
        )
    invite = ()
    if details is not None:
        # Taking someone off is a newer message than the invite they hold.
        sequence = milestone.invite_sequence + (0 if assigned else 1)
        invite = _invite_for(details, sequence, not assigned, url)(recipient)
    notification_create(
        recipient=recipient,
        kind="trainer_assignment",
        context={
            "assigned": assigned,
            "milestone_name": milestone.name,
            "plan_name": milestone.plan.name,
            "session": details,
            "venue_zone": details.time_zone if details and details.location else "",
            "page_url": url,
        },
        idempotency_key=f"trainer-{'assigned' if assigned else 'removed'}:{assignment}",
        subject_object=milestone,
        scope=plan_scope(milestone.plan_id),
        attachments=invite,
    )


# Reminders


def session_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders that are due: the day before and an hour before each session day
    of every confirmed session. Each is claimed once (by session day and start time), so
    running the job twice, or on two beat processes, sends nothing twice; a reminder whose
    moment passed while nothing ran is sent late only while it is still of use."""
    now = now or timezone.now()
    horizon = now + max(lead for lead, _ in REMINDER_LEADS.values())
    sent = 0
    milestones = (
        Milestone.objects.filter(
            schedule=Milestone.Schedule.CONFIRMED,
            ends_at__gt=now,
            starts_at__lte=horizon,
            # An archived plan's people are not expected at its sessions any more.
            plan__archived_at__isnull=True,
        )
        .select_related("plan")
        .order_by("starts_at", "pk")
    )
    for milestone in milestones:
        details = milestone.session_details()
        for number, day in enumerate(milestone.session_days(), start=1):
            for lead, (ahead, useful_until) in REMINDER_LEADS.items():
                if not (day.starts_at - ahead <= now < day.starts_at - useful_until):
                    continue
                sent += _remind(milestone, details, lead=lead, day=day, number=number)
    return sent


def _remind(milestone, details, *, lead, day, number) -> int:
    with transaction.atomic():
        _claim, claimed = SessionReminder.objects.get_or_create(
            milestone=milestone, lead=lead, starts_at=day.starts_at
        )
        if not claimed:
            return 0
        audience = session_audience(
            plan_id=milestone.plan_id,
            trainers=trainers_of(milestone),
            time_zone=milestone.plan.time_zone,
        )
        context = {
            "lead": lead,
            "session": details,
            "day_starts_at": day.starts_at,
            "day_ends_at": day.ends_at,
            "day_number": number,
            "day_count": len(milestone.session_days()),
            "venue_zone": details.time_zone if details.location else "",
        }
        key = f"reminder:{lead}:{milestone.pk}:{day.starts_at.isoformat()}"
        queued = 0
        for role, people, url in (
            ("participant", _expected(milestone), _participant_url(details, False)),
            ("trainer", audience.trainers, _trainer_url(details, False)),
            ("guest", audience.guests, ""),
        ):
            queued += notifications_create_many(
                recipients=people,
                kind=REMINDER_KIND,
                context={**context, "role": role, "page_url": url},
                idempotency_key=f"{key}:{role}",
                subject_object=milestone,
                scope=plan_scope(milestone.plan_id),
            )
    return queued


def _expected(milestone: Milestone) -> list[User]:
    # Someone who joined after the session is not expected there (see attendance).
    return [
        membership.user
        for membership in plan_participants(milestone.plan_id)
        if milestone.ends_at is None or membership.joined_at < milestone.ends_at
    ]


# Pre-session activities


def activity_announce(*, activity_id: int) -> int:
    """Tell the plan's participants about a new pre-session activity to review before the
    session, once per activity (later edits tell nobody)."""
    activity = (
        Activity.objects.select_related("milestone__plan")
        .filter(pk=activity_id, phase=Activity.Phase.PRE)
        .first()
    )
    if activity is None or activity.milestone.session_ended():
        return 0
    milestone = activity.milestone
    with transaction.atomic():
        return notifications_create_many(
            recipients=_expected(milestone),
            kind="activity_to_review",
            context={
                "activity_title": activity.title,
                "milestone_name": milestone.name,
                "plan_name": milestone.plan.name,
                "starts_at": milestone.starts_at,
                "confirmed": milestone.is_confirmed,
                "page_url": absolute_url(
                    reverse("progress:my_milestone", args=[milestone.plan_id, milestone.pk])
                ),
            },
            idempotency_key=f"activity:{activity.pk}",
            subject_object=activity,
            scope=plan_scope(milestone.plan_id),
        )


def activity_announce_after_commit(activity: Activity) -> None:
    from milestones.tasks import announce_activity

    transaction.on_commit(lambda: announce_activity.delay(activity.pk), robust=True)


def settled_sessions_announce(*, now: datetime.datetime | None = None) -> int:
    """Announce every session whose settling window has passed; the safety net for an
    announce task that never ran."""
    now = now or timezone.now()
    due = Milestone.objects.filter(announce_after__lte=now).order_by("announce_after")
    return sum(
        1
        for milestone_id in due.values_list("pk", flat=True)[:500]
        if session_announce(milestone_id=milestone_id, now=now)
    )


# Trainers' morning summary

DIGEST_HOUR = 7


def review_digests_send(*, now: datetime.datetime | None = None) -> int:
    """Each morning (from DIGEST_HOUR in their own time zone), every trainer with an account
    hears what waits for their review in the sessions they run: uploads and follow-up
    actions. Nothing is sent on a morning with nothing in it."""
    now = now or timezone.now()
    runs = sessions_run_by_accounts(plan.pk for plan in running_plans(now.date()))
    due = {}
    for user, milestones in runs.items():
        local = now.astimezone(user_zone(user))
        if local.hour >= DIGEST_HOUR:
            due[f"review-digest:{user.pk}:{local.date().isoformat()}"] = (user, milestones)
    queues = review_queues(m.pk for _, milestones in due.values() for m in milestones)
    sent = 0
    for key in due.keys() - keys_taken(due):
        user, milestones = due[key]
        items = [
            {
                "name": milestone.name,
                "plan_name": milestone.plan.name,
                "uploads": queues[milestone.pk].uploads,
                "post_actions": queues[milestone.pk].post_actions,
                "review_url": absolute_url(
                    reverse("milestones:uploads_review", args=[milestone.plan_id, milestone.pk])
                ),
            }
            for milestone in milestones
            if milestone.pk in queues
        ]
        if not items:
            continue
        notification_create(
            recipient=user,
            kind="uploads_to_review",
            context={"items": items, "page_url": absolute_url(reverse("home"))},
            idempotency_key=key,
            subject_object=user,
        )
        sent += 1
    return sent
