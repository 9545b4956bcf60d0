"""The home page: each person's plans, what waits for them, the sessions they run and, for
platform admins, the outbox."""

from dataclasses import dataclass, field

from bip.models import Plan, PlanMembership
from bip.selectors import memberships_for_user
from milestones.models import Milestone
from milestones.selectors import milestones_run_by
from notifications.selectors import outbox_summary
from progress.completion import ParticipantRow
from progress.selectors import ParticipantPlan, participant_overview


@dataclass(frozen=True)
class PlanCard:
    membership: PlanMembership
    participant_count: int
    # The person's own progress, when they take part in the plan.
    progress: ParticipantRow | None


@dataclass(frozen=True)
class PastPlan:
    """An archived plan the person was part of: as a member, or running some of its
    sessions (whose registers and uploads they can still open), or both."""

    plan: Plan
    membership: PlanMembership | None = None
    sessions_run: list[Milestone] = field(default_factory=list)


@dataclass(frozen=True)
class FirstSteps:
    """For a platform admin in a Cairn with no plan under way yet: the three steps to one,
    each done or not, and the plan they lead to."""

    plan: Plan | None
    has_participants: bool
    has_milestones: bool

    @property
    def done(self) -> bool:
        return self.plan is not None and self.has_participants and self.has_milestones


def first_steps() -> FirstSteps | None:
    """None once any plan has participants and milestones; three queries at most."""
    plan = Plan.objects.order_by("-pk").first()
    if plan is None:
        return FirstSteps(plan=None, has_participants=False, has_milestones=False)
    steps = FirstSteps(
        plan=plan,
        has_participants=plan.memberships.filter(role=PlanMembership.Role.PARTICIPANT).exists(),
        has_milestones=plan.milestones.exists(),
    )
    return None if steps.done else steps


@dataclass(frozen=True)
class HomePage:
    plans: list[PlanCard]
    journeys: list[ParticipantPlan]
    sessions_run: list[Milestone]
    past_plans: list[PastPlan] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    first_steps: FirstSteps | None = None


def home_page(user) -> HomePage:
    journeys = participant_overview(user)
    progress = {journey.plan.pk: journey.row for journey in journeys}
    memberships = list(memberships_for_user(user))
    runs = list(milestones_run_by(user))
    return HomePage(
        plans=[
            PlanCard(
                membership=membership,
                participant_count=membership.participant_count,
                progress=progress.get(membership.plan_id),
            )
            for membership in memberships
            if not membership.plan.is_archived
        ],
        journeys=journeys,
        sessions_run=[milestone for milestone in runs if not milestone.plan.is_archived],
        past_plans=_past_plans(memberships, runs),
        outbox=outbox_summary() if user.is_staff else {},
        first_steps=first_steps() if user.is_staff else None,
    )


def _past_plans(memberships: list[PlanMembership], runs: list[Milestone]) -> list[PastPlan]:
    """Archived plans, most recently ended first."""
    past: dict[int, PastPlan] = {}
    for membership in memberships:
        if membership.plan.is_archived:
            past[membership.plan_id] = PastPlan(plan=membership.plan, membership=membership)
    for milestone in runs:
        if milestone.plan.is_archived:
            entry = past.setdefault(milestone.plan_id, PastPlan(plan=milestone.plan))
            entry.sessions_run.append(milestone)
    return sorted(
        past.values(), key=lambda entry: (entry.plan.end_date, entry.plan.pk), reverse=True
    )
