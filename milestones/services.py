"""Milestones, their trainers and their activities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.selectors import user_with_email, users_with_emails
from bip.services import plan_lock_open, plan_save
from files.storage import delete_files_on_commit
from milestones.history import check_no_conflict
from milestones.models import Activity, ActivityView, Milestone, Trainer
from milestones.notices.services import (
    activity_announce_after_commit,
    milestone_deletion_announce,
    session_change_note,
    trainer_assignment_announce,
)
from milestones.selectors import (
    PlacedSession,
    PlanMilestonesBlueprint,
    ScheduleShift,
    schedule_shift,
)

if TYPE_CHECKING:
    from accounts.models import User
    from bip.models import Plan

# What a milestone's forms and the services change; the announcement fields belong to
# milestones.notices, whose task may update them while a page is being saved.
EDITABLE_FIELDS = [
    field.name
    for field in Milestone._meta.concrete_fields
    if field.editable and not field.primary_key
]


@transaction.atomic
def milestone_create(*, milestone: Milestone) -> Milestone:
    """Add a milestone at the end of its plan."""
    plan_lock_open(plan_id=milestone.plan_id)
    last = milestone.plan.milestones.select_for_update().aggregate(last=Max("order"))["last"]
    milestone.order = 0 if last is None else last + 1
    milestone.full_clean()
    milestone.save()
    session_change_note(milestone=milestone)
    return milestone


@transaction.atomic
def milestone_save(
    *,
    milestone: Milestone,
    based_on: int | None = None,
    fields: Iterable[str] = EDITABLE_FIELDS,
) -> Milestone:
    """Save a milestone's details; a change to its session is announced to everyone
    concerned once the edits settle (see milestones.notices).

    An edit that began at history record `based_on` is refused with an EditConflict if
    someone else has since changed any of the `fields` it writes."""
    fields = list(fields)
    plan_lock_open(plan_id=milestone.plan_id)
    Milestone.objects.select_for_update().filter(pk=milestone.pk).exists()
    check_no_conflict(milestone, based_on=based_on, fields=fields)
    milestone.full_clean()
    milestone.save(update_fields=fields)
    milestone.refresh_from_db(fields=["announced", "announce_after", "invite_sequence"])
    session_change_note(milestone=milestone)
    return milestone


@transaction.atomic
def plan_schedule_shift(*, plan: Plan, days: int) -> ScheduleShift:
    """Move every session ahead by `days` on the plan's calendar, at the same local times,
    and the plan's dates with them (see schedule_shift). Each session is saved as its
    meeting form saves it, so a confirmed one is announced like any other change: one update
    to each person taking part, however many sessions move."""
    plan = plan_lock_open(plan_id=plan.pk)
    shift = schedule_shift(plan, days=days)
    if shift.problems:
        raise ValidationError(shift.problems)
    for session in shift.moved:
        milestone = session.milestone
        milestone.starts_at, milestone.ends_at = session.new_starts_at, session.new_ends_at
        milestone_save(milestone=milestone, fields=["starts_at", "ends_at"])
    plan.start_date, plan.end_date = shift.new_start_date, shift.new_end_date
    plan_save(plan=plan)
    return shift


@transaction.atomic
def milestone_move(
    *,
    milestone: Milestone,
    direction: Literal["up", "down"] | None = None,
    position: int | None = None,
) -> list[int]:
    """Move a milestone one place up or down its plan, or to a position (0 is first), the
    others keeping their order around it; a position past either end means that end.

    Returns the ids of the plan's milestones in their new order."""
    plan_lock_open(plan_id=milestone.plan_id)
    ordered = list(milestone.plan.milestones.select_for_update().order_by("order", "pk"))
    return _move(ordered, milestone.pk, direction=direction, position=position, model=Milestone)


def _move(ordered: list, pk: int, *, direction, position, model) -> list[int]:
    """Move row `pk` of `ordered` and renumber the rows 0, 1, 2..., so gaps and ties left by
    deletions never make a move do nothing. Returns the rows' ids in their new order."""
    index = next(i for i, row in enumerate(ordered) if row.pk == pk)
    if position is None:
        if direction not in ("up", "down"):
            raise ValueError("Give a direction or a position.")
        position = index - 1 if direction == "up" else index + 1
    ordered.insert(max(0, min(position, len(ordered) - 1)), ordered.pop(index))
    changed = []
    for number, row in enumerate(ordered):
        if row.order != number:
            row.order = number
            changed.append(row)
    model.objects.bulk_update(changed, ["order"])
    return [row.pk for row in ordered]


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    """Delete a milestone with everything recorded for it; whoever holds its session's
    invite gets the cancellation."""
    plan_lock_open(plan_id=milestone.plan_id)
    milestone = Milestone.objects.select_for_update().select_related("plan").get(pk=milestone.pk)
    milestone_deletion_announce(milestone=milestone)
    files = [
        *(a.file for a in milestone.activities.exclude(file="")),
        *(u.file for u in milestone.uploads.exclude(file="")),
        *(p.file for p in milestone.post_actions.exclude(file="")),
    ]
    milestone.delete()
    delete_files_on_commit(files)


@transaction.atomic
def trainer_save(*, trainer: Trainer) -> Trainer:
    """Save a trainer; one whose email matches an account is linked to it, so they can see
    the sessions they run."""
    plan_lock_open(plan_id=trainer.plan_id)
    trainer.user = user_with_email(trainer.email)
    trainer.full_clean()
    trainer.save()
    return trainer


@transaction.atomic
def trainer_delete(*, trainer: Trainer) -> None:
    """Delete a trainer; they are told of each milestone they no longer run."""
    plan_lock_open(plan_id=trainer.plan_id)
    for milestone in trainer.milestones.select_related("plan"):
        trainer_assignment_announce(milestone=milestone, trainer=trainer, assigned=False)
    trainer.delete()


@transaction.atomic
def milestone_trainers_add(*, milestone: Milestone, trainers) -> None:
    plan_lock_open(plan_id=milestone.plan_id)
    if any(trainer.plan_id != milestone.plan_id for trainer in trainers):
        raise ValidationError(_("A milestone can only have its own plan's trainers."))
    milestone.trainers.add(*trainers)
    for trainer in trainers:
        trainer_assignment_announce(milestone=milestone, trainer=trainer, assigned=True)


@transaction.atomic
def milestone_trainer_remove(*, milestone: Milestone, trainer: Trainer) -> None:
    """Take a trainer off a milestone; the trainer stays in the plan for other milestones."""
    plan_lock_open(plan_id=milestone.plan_id)
    trainer_assignment_announce(milestone=milestone, trainer=trainer, assigned=False)
    milestone.trainers.remove(trainer)


@transaction.atomic
def activity_save(*, activity: Activity, replaced_file=None) -> Activity:
    """Save an activity; a file it no longer uses is removed once the change is committed. A
    new pre-session activity is announced to the participants, once."""
    plan_lock_open(plan_id=activity.milestone.plan_id)
    created = activity.pk is None
    if created:
        last = _activities_of(activity).aggregate(last=Max("order"))["last"]
        activity.order = 0 if last is None else last + 1
    # A new upload is checked; a file already in storage was checked when it arrived.
    new_file = bool(activity.file) and not activity.file._committed
    activity.full_clean(exclude=[] if new_file else ["file"])
    activity.save()
    if replaced_file and replaced_file.name != activity.file.name:
        delete_files_on_commit([replaced_file])
    if created and activity.phase == Activity.Phase.PRE:
        activity_announce_after_commit(activity)
    return activity


def _activities_of(activity: Activity):
    """The activities listed with this one (its milestone's, of its phase), locked."""
    return (
        Activity.objects.select_for_update()
        .filter(milestone_id=activity.milestone_id, phase=activity.phase)
        .order_by("order", "pk")
    )


@transaction.atomic
def activity_move(
    *,
    activity: Activity,
    direction: Literal["up", "down"] | None = None,
    position: int | None = None,
) -> list[int]:
    """Move an activity one place up or down, or to a position (0 is first), among its
    milestone's activities of the same phase, as participants then see them.

    Returns the ids of those activities in their new order."""
    plan_lock_open(plan_id=activity.milestone.plan_id)
    ordered = list(_activities_of(activity))
    return _move(ordered, activity.pk, direction=direction, position=position, model=Activity)


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    plan_lock_open(plan_id=activity.milestone.plan_id)
    files = [activity.file] if activity.file else []
    activity.delete()
    delete_files_on_commit(files)


def activity_open(*, activity: Activity, participant) -> None:
    """Record the first time a participant opens an activity; later opens change nothing."""
    try:
        with transaction.atomic():
            ActivityView.objects.get_or_create(activity=activity, participant=participant)
    except IntegrityError:
        pass  # opened twice at the same moment: the first one is recorded


@transaction.atomic
def plan_milestones_build(
    *,
    plan: Plan,
    blueprint: PlanMilestonesBlueprint,
    sessions: dict[int, PlacedSession],
    stored: list[str],
    created_by: User | None = None,
) -> dict[int, Milestone]:
    """Give a plan the blueprint's milestones after its own, in order, with their trainers
    and activities, in a fixed number of queries however many there are. Each session is
    placed where `sessions` (by milestone key) says, and is tentative: nobody is invited
    until its admins confirm it. Activity files are copied, and the copies' names added to
    `stored`, so that the caller can remove them if the change is rolled back.

    Returns the new milestones by their keys in the blueprint."""
    plan = plan_lock_open(plan_id=plan.pk)
    last = plan.milestones.aggregate(last=Max("order"))["last"]
    first = 0 if last is None else last + 1
    milestones = {}
    for position, item in enumerate(blueprint.milestones):
        session = sessions.get(item.key)
        milestone = Milestone(
            plan=plan,
            order=first + position,
            schedule=Milestone.Schedule.TENTATIVE,
            starts_at=session.starts_at if session else None,
            ends_at=session.ends_at if session else None,
            **item.settings,
        )
        try:
            milestone.clean_fields(exclude=["plan"])
            milestone.clean()
        except ValidationError as refused:
            raise ValidationError(
                _("“%(name)s”: %(problems)s")
                % {"name": item.name, "problems": " ".join(refused.messages)},
                code="invalid_milestone",
            ) from refused
        milestones[item.key] = milestone
    bulk_create_with_history(list(milestones.values()), Milestone, default_user=created_by)

    accounts = users_with_emails(trainer.email for trainer in blueprint.trainers)
    trainers = {
        item.key: Trainer(
            plan=plan,
            name=item.name,
            email=item.email,
            phone=item.phone,
            organisation=item.organisation,
            bio=item.bio,
            user=accounts.get(item.email.strip().lower()),
        )
        for item in blueprint.trainers
    }
    Trainer.objects.bulk_create(trainers.values())
    Milestone.trainers.through.objects.bulk_create(
        Milestone.trainers.through(milestone=milestones[item.key], trainer=trainers[key])
        for item in blueprint.milestones
        for key in item.trainer_keys
        if key in trainers
    )

    activities = []
    for item in blueprint.milestones:
        positions: dict[str, int] = defaultdict(int)
        for part in item.activities:
            activity = Activity(
                milestone=milestones[item.key],
                phase=part.phase,
                order=positions[part.phase],
                title=part.title,
                upload_type=part.upload_type,
                url=part.url,
            )
            if part.file:
                with default_storage.open(part.file, "rb") as content:
                    activity.file.save(part.filename, content, save=False)
                stored.append(activity.file.name)
            # The file was checked when it was first uploaded.
            activity.clean_fields(exclude=["milestone", "file"])
            positions[part.phase] += 1
            activities.append(activity)
    Activity.objects.bulk_create(activities)
    return milestones
