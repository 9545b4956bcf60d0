"""Milestones, their trainers and their activities."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from files.storage import delete_files_on_commit
from milestones.models import Activity, Milestone, Trainer


@transaction.atomic
def milestone_create(*, milestone: Milestone) -> Milestone:
    """Add a milestone at the end of its plan."""
    last = milestone.plan.milestones.select_for_update().aggregate(last=Max("order"))["last"]
    milestone.order = 0 if last is None else last + 1
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_save(*, milestone: Milestone) -> Milestone:
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_move(*, milestone: Milestone, direction: Literal["up", "down"]) -> None:
    """Swap a milestone with its neighbour; the plan's order is renumbered 0, 1, 2... so gaps
    and ties left by deletions never make a move do nothing."""
    ordered = list(milestone.plan.milestones.select_for_update().order_by("order", "pk"))
    index = next(i for i, other in enumerate(ordered) if other.pk == milestone.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered):
        other.order = position
    Milestone.objects.bulk_update(ordered, ["order"])


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
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
    trainer.user = (
        User.objects.filter(email__iexact=trainer.email).first() if trainer.email else None
    )
    trainer.full_clean()
    trainer.save()
    return trainer


@transaction.atomic
def trainer_delete(*, trainer: Trainer) -> None:
    trainer.delete()


@transaction.atomic
def milestone_trainers_add(*, milestone: Milestone, trainers) -> None:
    if any(trainer.plan_id != milestone.plan_id for trainer in trainers):
        raise ValidationError("A milestone can only have its own plan's trainers.")
    milestone.trainers.add(*trainers)


@transaction.atomic
def milestone_trainer_remove(*, milestone: Milestone, trainer: Trainer) -> None:
    """Take a trainer off a milestone; the trainer stays in the plan for other milestones."""
    milestone.trainers.remove(trainer)


@transaction.atomic
def activity_save(*, activity: Activity, replaced_file=None) -> Activity:
    """Save an activity; a file it no longer uses is removed once the change is committed."""
    # The upload was checked by its form; re-reading it from storage here would gain nothing.
    activity.full_clean(exclude=["file"])
    activity.save()
    if replaced_file and replaced_file.name != activity.file.name:
        delete_files_on_commit([replaced_file])
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    files = [activity.file] if activity.file else []
    activity.delete()
    delete_files_on_commit(files)
