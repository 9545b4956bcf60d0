from django.db.models import FETCH_PEERS, Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from bip.models import Plan, PlanMembership


def memberships_for_user(user) -> QuerySet[PlanMembership]:
    """The plans a person belongs to, each with its participant count."""
    return (
        PlanMembership.objects.filter(user=user)
        .select_related("plan")
        .annotate(
            participant_count=Count(
                "plan__memberships",
                filter=Q(plan__memberships__role=PlanMembership.Role.PARTICIPANT),
            )
        )
        .order_by("plan__start_date", "plan__name")
        # A relation a page reaches for later is then loaded for every row at once.
        .fetch_mode(FETCH_PEERS)
    )


def plans_managed_by(user) -> QuerySet[Plan]:
    """Platform admins manage every plan; project admins the plans they administer."""
    if not user.is_authenticated:
        return Plan.objects.none()
    if user.is_staff:
        return Plan.objects.all()
    return Plan.objects.filter(
        memberships__user=user, memberships__role=PlanMembership.Role.PROJECT_ADMIN
    )


def plans_visible_to(user) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    if user.is_staff:
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user)


def get_plan_for_user(user, pk, *, manage: bool = False) -> Plan:
    """The plan, if this person may see it (or manage it); 404 otherwise, so an outsider
    learns nothing about which plans exist."""
    plans = plans_managed_by(user) if manage else plans_visible_to(user)
    return get_object_or_404(plans, pk=pk)


def get_plan_for_participant(user, pk) -> Plan:
    """A plan this person takes part in as a participant; 404 for anyone else, admins
    included: only participants have attendance, uploads and answers of their own."""
    return get_object_or_404(
        Plan.objects.filter(
            memberships__user=user, memberships__role=PlanMembership.Role.PARTICIPANT
        ),
        pk=pk,
    )


def plan_list_for_manager(user) -> QuerySet[Plan]:
    return plans_managed_by(user).annotate(
        participant_count=Count(
            "memberships", filter=Q(memberships__role=PlanMembership.Role.PARTICIPANT)
        ),
        admin_count=Count(
            "memberships", filter=Q(memberships__role=PlanMembership.Role.PROJECT_ADMIN)
        ),
    )


def plan_members(plan: Plan) -> QuerySet[PlanMembership]:
    return plan.memberships.select_related("user").order_by(
        "role", "user__display_name", "user__email"
    )
