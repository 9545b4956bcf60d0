from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import FETCH_PEERS, CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404

from bip.models import Plan, PlanMembership
from bip.services import MemberRow


def memberships_for_user(user) -> QuerySet[PlanMembership]:
    """The plans a person belongs to, each with its participant count."""
    return (
        PlanMembership.objects.filter(user=user)
        .select_related("plan__archived_by")
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


def plan_scopes_managed_by(user) -> QuerySet:
    """The scopes ("plan:12", as bip.services.plan_scope names them) of the plans a person
    manages, as one column to filter other queries by."""
    return (
        plans_managed_by(user)
        .annotate(scope=Concat(Value("plan:"), Cast("pk", output_field=CharField())))
        .values("scope")
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


def current_plans(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """The plans not archived: the ones menus, home pages and periodic emails are about."""
    return plans.filter(archived_at__isnull=True)


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    participant_count: int
    admin_count: int


def plan_list_for_manager(user) -> list[PlanRow]:
    """The plans a person manages, newest first, with who is in each; one query."""
    plans = (
        plans_managed_by(user)
        .annotate(
            participant_count=Count(
                "memberships", filter=Q(memberships__role=PlanMembership.Role.PARTICIPANT)
            ),
            admin_count=Count(
                "memberships", filter=Q(memberships__role=PlanMembership.Role.PROJECT_ADMIN)
            ),
        )
        .select_related("archived_by")
        .order_by("-start_date", "name")
    )
    return [PlanRow(plan, plan.participant_count, plan.admin_count) for plan in plans]


def plan_members(plan: Plan, *, search: str = "") -> QuerySet[PlanMembership]:
    """The plan's members, admins first, by name; those whose name or address contains
    `search` when one is given."""
    members = plan.memberships.select_related("user").order_by(
        "role", "user__display_name", "user__email"
    )
    if search:
        members = members.filter(
            Q(user__display_name__icontains=search) | Q(user__email__icontains=search)
        )
    return members


def participant_ids() -> QuerySet[PlanMembership]:
    """The accounts that take part in any plan, as a lazy `.values("user_id")` query to
    filter other queries by."""
    return PlanMembership.objects.filter(role=PlanMembership.Role.PARTICIPANT).values("user_id")


def participant_membership(plan_id: int, user) -> PlanMembership | None:
    """The person's participant membership of the plan, or None (admins included)."""
    return PlanMembership.objects.filter(
        plan_id=plan_id, user=user, role=PlanMembership.Role.PARTICIPANT
    ).first()


def plan_participants(plan_id: int) -> QuerySet[PlanMembership]:
    """The plan's participants with their accounts, by name."""
    return (
        PlanMembership.objects.filter(plan_id=plan_id, role=PlanMembership.Role.PARTICIPANT)
        .select_related("user")
        .order_by("user__display_name", "user__email", "pk")
    )


def participants_of_plans(plan_ids: Iterable[int]) -> QuerySet[PlanMembership]:
    """The participants of these plans with their accounts, plan by plan, by name."""
    return (
        PlanMembership.objects.filter(
            plan_id__in=list(plan_ids), role=PlanMembership.Role.PARTICIPANT
        )
        .select_related("user")
        .order_by("plan_id", "user__display_name", "user__email", "pk")
    )


def participant_plan_memberships(user, *, current: bool = False) -> QuerySet[PlanMembership]:
    """The plans a person takes part in as a participant (only those not archived when
    `current`), with each plan, oldest first."""
    memberships = PlanMembership.objects.filter(
        user=user, role=PlanMembership.Role.PARTICIPANT
    ).select_related("plan", "user")
    if current:
        memberships = memberships.filter(plan__archived_at__isnull=True)
    return memberships.order_by("plan__start_date", "plan__name", "pk")


def participant_count(plan_id: int) -> int:
    return PlanMembership.objects.filter(
        plan_id=plan_id, role=PlanMembership.Role.PARTICIPANT
    ).count()


def running_plans(today) -> QuerySet[Plan]:
    """Plans that have started and not yet ended on this date, archived ones aside: the plans
    whose people the periodic jobs write to."""
    return current_plans(Plan.objects.filter(start_date__lte=today, end_date__gte=today)).order_by(
        "pk"
    )


def project_admins_of(plan_ids) -> QuerySet[PlanMembership]:
    """The project admins of these plans, with their accounts and plans."""
    return (
        PlanMembership.objects.filter(
            plan_id__in=list(plan_ids), role=PlanMembership.Role.PROJECT_ADMIN
        )
        .select_related("user", "plan")
        .order_by("plan_id", "pk")
    )


@dataclass(frozen=True)
class MemberImportReport:
    """What became of every line of a list of members, as its import recorded it."""

    rows: list[MemberRow]

    @property
    def added(self) -> int:
        return sum(row.outcome != "skipped" for row in self.rows)

    @property
    def skipped(self) -> int:
        return len(self.rows) - self.added


def member_import_report(report: list[dict]) -> MemberImportReport:
    return MemberImportReport(rows=[MemberRow(**row) for row in report])
