"""The home page: each person's plans, what waits for them, the sessions they run and, for
platform admins, the outbox."""

from dataclasses import dataclass, field

from bip.models import PlanMembership
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
class HomePage:
    plans: list[PlanCard]
    journeys: list[ParticipantPlan]
    sessions_run: list[Milestone]
    outbox: dict[str, int] = field(default_factory=dict)


def home_page(user) -> HomePage:
    journeys = participant_overview(user)
    progress = {journey.plan.pk: journey.row for journey in journeys}
    return HomePage(
        plans=[
            PlanCard(
                membership=membership,
                participant_count=membership.participant_count,
                progress=progress.get(membership.plan_id),
            )
            for membership in memberships_for_user(user)
        ],
        journeys=journeys,
        sessions_run=list(milestones_run_by(user)),
        outbox=outbox_summary() if user.is_staff else {},
    )
