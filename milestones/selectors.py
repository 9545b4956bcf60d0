from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from bip.selectors import get_plan_for_participant, get_plan_for_user, plans_managed_by
from milestones.models import Activity, ActivityView, Milestone, Trainer
from milestones.signals import Content, milestone_contents

if TYPE_CHECKING:
    from bip.models import Plan


def get_milestone_for_user(user, plan_pk, pk, *, manage: bool = True) -> Milestone:
    """A milestone of a plan this person may manage (or see); 404 otherwise."""
    plan = get_plan_for_user(user, plan_pk, manage=manage)
    return get_object_or_404(Milestone.objects.select_related("plan"), plan=plan, pk=pk)


def get_milestone_for_participant(user, plan_pk, pk) -> Milestone:
    """A milestone of a plan this person takes part in as a participant; 404 otherwise."""
    plan = get_plan_for_participant(user, plan_pk)
    return get_object_or_404(Milestone.objects.select_related("plan"), plan=plan, pk=pk)


def milestones_in_charge_of(user) -> QuerySet[Milestone]:
    """The milestones whose register and uploads a person looks after: every milestone of
    the plans they manage, and for a trainer with a login the ones they are assigned to."""
    if not user.is_authenticated:
        return Milestone.objects.none()
    return Milestone.objects.filter(
        Q(plan__in=plans_managed_by(user))
        | Q(pk__in=Milestone.objects.filter(trainers__user=user).values("pk"))
    )


def get_milestone_in_charge(user, plan_pk, pk) -> Milestone:
    """A milestone this person looks after (see milestones_in_charge_of); 404 otherwise."""
    return get_object_or_404(
        milestones_in_charge_of(user).select_related("plan"), plan_id=plan_pk, pk=pk
    )


def manages_plan(user, plan_id) -> bool:
    """Whether the person manages the plan, not only runs some of its sessions: a trainer
    sees none of the management pages."""
    return plans_managed_by(user).filter(pk=plan_id).exists()


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone in its plan's list, with what it holds."""

    milestone: Milestone
    trainer_count: int
    pre_count: int
    post_count: int
    contents: list[Content]


def plan_milestones(plan: Plan) -> list[MilestoneRow]:
    """The plan's milestones in order with their counts, in a fixed number of queries."""
    milestones = list(
        plan.milestones.order_by("order", "pk")
        .annotate(
            pre_count=Count(
                "activities", filter=Q(activities__phase=Activity.Phase.PRE), distinct=True
            ),
            post_count=Count(
                "activities", filter=Q(activities__phase=Activity.Phase.POST), distinct=True
            ),
            trainer_count=Count("trainers", distinct=True),
        )
        .select_related("plan")
    )
    contents = contents_of(milestones)
    return [
        MilestoneRow(
            milestone=milestone,
            trainer_count=milestone.trainer_count,
            pre_count=milestone.pre_count,
            post_count=milestone.post_count,
            contents=contents[milestone.pk],
        )
        for milestone in milestones
    ]


@dataclass(frozen=True)
class DeletionSummary:
    """What deleting a milestone takes with it, for the confirmation page."""

    activity_count: int
    trainer_count: int
    contents: list[Content]


def milestone_deletion_summary(milestone: Milestone) -> DeletionSummary:
    return DeletionSummary(
        activity_count=milestone.activities.count(),
        trainer_count=milestone.trainers.count(),
        contents=contents_of([milestone])[milestone.pk],
    )


def milestone_activities(milestone: Milestone, phase: str) -> QuerySet[Activity]:
    return milestone.activities.filter(phase=phase).order_by("created_at", "pk")


@dataclass(frozen=True)
class TrainerRow:
    trainer: Trainer
    milestone_count: int


def plan_trainers(plan: Plan) -> list[TrainerRow]:
    """The plan's trainers, each with how many of its milestones they run; one query."""
    trainers = plan.trainers.annotate(milestone_count=Count("milestones")).order_by("name", "pk")
    return [TrainerRow(trainer, trainer.milestone_count) for trainer in trainers]


def selected_trainers(milestone: Milestone) -> list[TrainerRow]:
    """The milestone's trainers, each with how many of the plan's milestones they run."""
    # Counting through the same join that selects the milestone's trainers would give 1.
    trainers = (
        Trainer.objects.filter(pk__in=milestone.trainers.values("pk"))
        .annotate(milestone_count=Count("milestones"))
        .order_by("name", "pk")
    )
    return [TrainerRow(trainer, trainer.milestone_count) for trainer in trainers]


def milestone_trainer_list(milestone: Milestone) -> list[Trainer]:
    """Who runs the milestone's session, by name."""
    return list(milestone.trainers.order_by("name", "pk"))


def milestones_of_plans(plan_ids: Iterable[int]) -> list[Milestone]:
    """Every milestone of these plans, plan by plan in each plan's order; one query."""
    return list(
        Milestone.objects.filter(plan_id__in=list(plan_ids))
        .select_related("plan")
        .order_by("plan_id", "order", "pk")
    )


def milestones_run_by(user) -> QuerySet[Milestone]:
    """The milestones a trainer with an account runs, soonest first."""
    return (
        Milestone.objects.filter(trainers__user=user)
        .select_related("plan")
        .distinct()
        .order_by("starts_at", "plan__name", "order")
    )


def contents_of(milestones: Sequence[Milestone]) -> dict[int, list[Content]]:
    """What other apps keep for each of these milestones (see milestones.signals)."""
    merged: dict[int, list[Content]] = defaultdict(list)
    if not milestones:
        return merged
    for _receiver, answer in milestone_contents.send(sender=Milestone, milestones=milestones):
        for milestone_id, contents in answer.items():
            merged[milestone_id].extend(contents)
    return merged


# What participants see of activities


@dataclass(frozen=True)
class ActivityItem:
    activity: Activity
    opened: bool


@dataclass(frozen=True)
class ParticipantActivities:
    pre: list[ActivityItem]
    post: list[ActivityItem]


def participant_activities(milestone: Milestone, user) -> ParticipantActivities:
    """The milestone's activities, each saying whether this person has opened it; one query."""
    activities = milestone.activities.annotate(
        opened=Exists(ActivityView.objects.filter(activity=OuterRef("pk"), participant=user))
    ).order_by("created_at", "pk")
    grouped = ParticipantActivities(pre=[], post=[])
    for activity in activities:
        items = grouped.pre if activity.phase == Activity.Phase.PRE else grouped.post
        items.append(ActivityItem(activity, activity.opened))
    return grouped


def unopened_pre_activities(milestone_ids: Iterable[int], user) -> list[Activity]:
    """Pre-session activities of these milestones that the person has not opened yet, in
    milestone order; one query."""
    return list(
        Activity.objects.filter(milestone_id__in=list(milestone_ids), phase=Activity.Phase.PRE)
        .exclude(views__participant=user)
        .select_related("milestone")
        .order_by("milestone__order", "milestone_id", "created_at", "pk")
    )
