"""What a participant sees of their plans: progress, the next session, what waits for them."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from bip.models import Plan
from milestones.models import Activity, ActivityView, Milestone
from progress.completion import Cell, PlanProgress, participant_progress, plan_progress

# Requirements a participant can still act on after the session (attendance is not one).
ACTIONS = {
    "upload": "Upload your progress",
    "post_action": "Submit your follow-up action",
    "survey": "Answer the survey",
}


@dataclass(frozen=True)
class WaitingItem:
    milestone: Milestone
    text: str


@dataclass
class ParticipantPlan:
    plan: Plan
    progress: PlanProgress

    @property
    def row(self):
        return self.progress.rows[0]

    @property
    def milestones(self) -> list[tuple[Milestone, Cell]]:
        return list(zip(self.progress.milestones, self.row.cells, strict=True))

    @property
    def next_session(self) -> Milestone | None:
        now = timezone.now()
        upcoming = [m for m in self.progress.milestones if m.ends_at and m.ends_at > now]
        return min(upcoming, key=lambda m: m.starts_at, default=None)


def participant_plan(plan: Plan, user) -> ParticipantPlan:
    return ParticipantPlan(plan=plan, progress=plan_progress(plan, participant=user))


def participant_overview(user) -> list[tuple[ParticipantPlan, list[WaitingItem]]]:
    """Every plan a person takes part in, with what waits for them, in a fixed number of
    queries."""
    journeys = [ParticipantPlan(plan=p.plan, progress=p) for p in participant_progress(user)]
    unopened = _unopened_pre_activities(journeys, user)
    return [(journey, _waiting(journey, unopened)) for journey in journeys]


def waiting_items(journey: ParticipantPlan, user) -> list[WaitingItem]:
    return _waiting(journey, _unopened_pre_activities([journey], user))


def _unopened_pre_activities(journeys, user) -> list[Activity]:
    """Pre-session activities not yet opened, for sessions still ahead."""
    ahead = [
        m.pk
        for journey in journeys
        for m, cell in journey.milestones
        if cell.counts and not m.is_past
    ]
    return list(
        Activity.objects.filter(milestone_id__in=ahead, phase=Activity.Phase.PRE)
        .annotate(
            opened=Exists(ActivityView.objects.filter(activity=OuterRef("pk"), participant=user))
        )
        .filter(opened=False)
        .select_related("milestone")
        .order_by("milestone__order", "created_at")
    )


def _waiting(journey: ParticipantPlan, unopened: list[Activity]) -> list[WaitingItem]:
    """Activities to review before sessions ahead, then what the participant can still do
    for milestones whose session has started or that have no session."""
    now = timezone.now()
    items = [
        WaitingItem(activity.milestone, f"Review “{activity.title}” before the session")
        for activity in unopened
        if activity.milestone.plan_id == journey.plan.pk
    ]
    for milestone, cell in journey.milestones:
        if not cell.counts or (milestone.starts_at and milestone.starts_at > now):
            continue
        for requirement in cell.requirements:
            if not requirement.met and requirement.code in ACTIONS:
                items.append(WaitingItem(milestone, ACTIONS[requirement.code]))
    return items


def milestone_activities_for(milestone: Milestone, user) -> dict[str, list[Activity]]:
    activities = milestone.activities.annotate(
        opened=Exists(ActivityView.objects.filter(activity=OuterRef("pk"), participant=user))
    ).order_by("created_at", "pk")
    grouped = {Activity.Phase.PRE: [], Activity.Phase.POST: []}
    for activity in activities:
        grouped[activity.phase].append(activity)
    return grouped
