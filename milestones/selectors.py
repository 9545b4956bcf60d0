from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from bip.models import Plan
from bip.selectors import get_plan_for_participant, get_plan_for_user, plans_managed_by
from milestones.models import Activity, Milestone, Trainer


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


def plan_milestones(plan: Plan) -> QuerySet[Milestone]:
    """The plan's milestones in order, each with its counts, in one query."""
    return (
        plan.milestones.order_by("order", "pk")
        .annotate(
            pre_count=Count(
                "activities", filter=Q(activities__phase=Activity.Phase.PRE), distinct=True
            ),
            post_count=Count(
                "activities", filter=Q(activities__phase=Activity.Phase.POST), distinct=True
            ),
            trainer_count=Count("trainers", distinct=True),
            survey_count=Count("surveys", distinct=True),
            has_active_survey=Count("surveys", filter=Q(surveys__is_active=True), distinct=True),
        )
        .select_related("plan")
    )


def milestone_activities(milestone: Milestone, phase: str) -> QuerySet[Activity]:
    return milestone.activities.filter(phase=phase).order_by("created_at", "pk")


def milestone_trainers_with_counts(milestone: Milestone) -> QuerySet[Trainer]:
    """The milestone's trainers, each with how many of the plan's milestones they run."""
    # Counting through the same join that selects the milestone's trainers would give 1.
    return Trainer.objects.filter(pk__in=milestone.trainers.values("pk")).annotate(
        milestone_count=Count("milestones")
    )


def milestones_run_by(user) -> QuerySet[Milestone]:
    """The milestones a trainer with an account runs, soonest first."""
    return (
        Milestone.objects.filter(trainers__user=user)
        .select_related("plan")
        .distinct()
        .order_by("starts_at", "plan__name", "order")
    )
