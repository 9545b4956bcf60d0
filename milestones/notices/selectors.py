"""Who hears about a session, and what changed in it since they last heard."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.selectors import users_by_id
from bip.selectors import plan_participants
from milestones.models import Milestone, SessionDetails
from notifications.recipients import Contact

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Change:
    """One announced part of a session, before and after: times are datetimes, so each
    email shows them in its reader's own time zone."""

    label: str
    old: datetime.datetime | str
    new: datetime.datetime | str

    @property
    def is_time(self) -> bool:
        return isinstance(self.new, datetime.datetime) or isinstance(self.old, datetime.datetime)


def announced_parts(details: SessionDetails | None) -> dict | None:
    """The parts of a session whose change people are told about (None: nothing to tell)."""
    if details is None:
        return None
    return {name: getattr(details, name) for name in SessionDetails.ANNOUNCED}


def session_changes(before: SessionDetails, after: SessionDetails) -> list[Change]:
    return [
        Change(label, getattr(before, name), getattr(after, name))
        for name, label in SessionDetails.ANNOUNCED.items()
        if getattr(before, name) != getattr(after, name)
    ]


def trainers_of(milestone: Milestone) -> list[dict]:
    """The milestone's trainers with an address, as an announcement keeps them: by account
    where they have one, by address where they do not."""
    return [
        {"user_id": trainer.user_id, "email": trainer.email, "name": trainer.name}
        for trainer in milestone.trainers.order_by("name", "pk")
        if trainer.email
    ]


@dataclass(frozen=True)
class SessionAudience:
    participants: list[User]
    trainers: list[User]
    # Trainers who have no account: they are written to at their address and have no page
    # to open in Cairn.
    guests: list[Contact]


def session_audience(*, plan_id: int, trainers: list[dict], time_zone: str) -> SessionAudience:
    """Everyone a session's announcement goes to, in two queries."""
    accounts = users_by_id(trainer["user_id"] for trainer in trainers if trainer["user_id"])
    return SessionAudience(
        participants=[membership.user for membership in plan_participants(plan_id)],
        trainers=[accounts[t["user_id"]] for t in trainers if t["user_id"] in accounts],
        guests=[
            Contact(email=t["email"], display_name=t["name"], time_zone=time_zone)
            for t in trainers
            if t["user_id"] not in accounts
        ],
    )


def sessions_run_by_accounts(plan_ids) -> dict[User, list[Milestone]]:
    """Each trainer with an account in these plans, with the milestones they run; one query."""
    runs: dict[User, list[Milestone]] = {}
    for milestone in (
        Milestone.objects.filter(plan_id__in=list(plan_ids), trainers__user__isnull=False)
        .select_related("plan")
        .prefetch_related("trainers__user")
        .order_by("plan_id", "order", "pk")
        .distinct()
    ):
        for trainer in milestone.trainers.all():
            if trainer.user is not None:
                runs.setdefault(trainer.user, []).append(milestone)
    return runs


def upcoming_announced_sessions(plan_id: int) -> list[Milestone]:
    """The plan's sessions ahead whose invites have gone out, soonest first."""
    return list(
        Milestone.objects.filter(
            plan_id=plan_id, announced__isnull=False, ends_at__gt=timezone.now()
        ).order_by("starts_at", "pk")
    )
