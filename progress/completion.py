"""Participant progress, derived from each milestone's settings and what participants did.

Nothing here is stored: a milestone is complete for a participant when every requirement its
settings switch on is met, so changing a setting changes everyone's progress at once. Every
page that shows progress reads it from here.
"""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from bip.models import Plan, PlanMembership
from milestones.attendance import is_expected, session_days
from milestones.models import Attendance, Milestone, PostAction, ProgressUpload
from surveys.models import Response, Survey


class State(StrEnum):
    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
    MISSING = "missing"
    NOT_DUE = "not_due"
    NOT_EXPECTED = "not_expected"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def icon(self) -> str:
        return _ICONS[self]


_LABELS = {
    State.COMPLETE: "Complete",
    State.IN_PROGRESS: "In progress",
    State.MISSING: "Missing",
    State.NOT_DUE: "Not due yet",
    State.NOT_EXPECTED: "Not expected",
}
_ICONS = {
    State.COMPLETE: "fa-solid fa-check",
    State.IN_PROGRESS: "fa-solid fa-circle-half-stroke",
    State.MISSING: "fa-solid fa-xmark",
    State.NOT_DUE: "fa-regular fa-clock",
    State.NOT_EXPECTED: "fa-solid fa-minus",
}


@dataclass(frozen=True)
class Requirement:
    code: str  # attendance, upload, post_action or survey
    name: str
    met: bool


@dataclass(frozen=True)
class Cell:
    """One participant on one milestone."""

    state: State
    requirements: tuple[Requirement, ...] = ()

    @cached_property
    def missing(self) -> list[str]:
        return [r.name for r in self.requirements if not r.met]

    @cached_property
    def summary(self) -> str:
        """What a person hovering over the cell wants to know."""
        if self.missing:
            return "Missing: " + "; ".join(self.missing)
        return {
            State.COMPLETE: "Everything this milestone asks is done.",
            State.NOT_EXPECTED: "Joined the plan after this session.",
        }.get(self.state, "Nothing is asked yet.")

    @property
    def counts(self) -> bool:
        return self.state != State.NOT_EXPECTED


@dataclass
class ParticipantRow:
    membership: PlanMembership
    cells: list[Cell] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(1 for cell in self.cells if cell.counts)

    @property
    def complete(self) -> int:
        return sum(1 for cell in self.cells if cell.state == State.COMPLETE)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.expected) if self.expected else 0


@dataclass
class PlanProgress:
    plan: Plan
    milestones: list[Milestone]
    rows: list[ParticipantRow]

    def cell_for(self, milestone: Milestone, row: int = 0) -> Cell:
        return self.rows[row].cells[self.milestones.index(milestone)]

    def milestone_totals(self) -> list[Counter]:
        totals = [Counter() for _ in self.milestones]
        for row in self.rows:
            for total, cell in zip(totals, row.cells, strict=True):
                total[cell.state] += 1
        return totals


def plan_progress(plan: Plan, *, participant=None, now=None) -> PlanProgress:
    """Every participant (or one) of a plan by every milestone, in a fixed number of queries."""
    memberships = plan.memberships.filter(role=PlanMembership.Role.PARTICIPANT)
    scope = {"milestone__plan": plan}
    if participant is not None:
        memberships = memberships.filter(user=participant)
        scope["participant"] = participant
    memberships = list(
        memberships.select_related("user").order_by("user__display_name", "user__email")
    )
    milestones = _milestones(plan.milestones.all())
    facts = _facts(scope)
    return PlanProgress(
        plan=plan, milestones=milestones, rows=_rows(milestones, memberships, facts, now)
    )


def participant_progress(user, *, now=None) -> list[PlanProgress]:
    """One person's progress in every plan they take part in, in a fixed number of queries."""
    memberships = list(
        PlanMembership.objects.filter(user=user, role=PlanMembership.Role.PARTICIPANT)
        .select_related("plan", "user")
        .order_by("plan__start_date", "plan__name")
    )
    plans = [m.plan for m in memberships]
    milestones = _milestones(Milestone.objects.filter(plan__in=plans))
    facts = _facts({"milestone__plan__in": plans, "participant": user})
    by_plan = {}
    for milestone in milestones:
        by_plan.setdefault(milestone.plan_id, []).append(milestone)
    return [
        PlanProgress(
            plan=m.plan,
            milestones=by_plan.get(m.plan_id, []),
            rows=_rows(by_plan.get(m.plan_id, []), [m], facts, now),
        )
        for m in memberships
    ]


def _milestones(queryset) -> list[Milestone]:
    return list(
        queryset.order_by("plan", "order", "pk")
        .select_related("plan")
        .annotate(
            active_survey_id=Subquery(
                Survey.objects.filter(milestone=OuterRef("pk"), is_active=True).values("pk")[:1]
            )
        )
    )


@dataclass(frozen=True)
class _Facts:
    """What participants did, keyed by (milestone id, participant id)."""

    attended: Counter
    accepted: set
    actions: set
    answered: set


def _facts(scope: dict) -> _Facts:
    respondents = {
        key.replace("milestone__", "survey__milestone__").replace(
            "participant", "respondent"
        ): value
        for key, value in scope.items()
    }
    return _Facts(
        attended=Counter(
            Attendance.objects.filter(
                **scope, status__in=[Attendance.Status.PRESENT, Attendance.Status.EXCUSED]
            ).values_list("milestone_id", "participant_id")
        ),
        accepted=set(
            ProgressUpload.objects.filter(**scope, status=ProgressUpload.Status.ACCEPTED)
            .values_list("milestone_id", "participant_id")
            .distinct()
        ),
        actions=set(
            PostAction.objects.filter(**scope).values_list("milestone_id", "participant_id")
        ),
        answered=set(
            Response.objects.filter(**respondents, survey__is_active=True).values_list(
                "survey__milestone_id", "respondent_id"
            )
        ),
    )


def _rows(milestones, memberships, facts: _Facts, now) -> list[ParticipantRow]:
    now = now or timezone.now()
    days = {m.pk: len(session_days(m)) for m in milestones}

    # Most participants are in one of a few situations per milestone; each situation's cell
    # is worked out once and shared, which keeps a 500-by-30 plan fast.
    @cache
    def cell(index, expected, days_attended, upload, action, survey) -> Cell:
        milestone = milestones[index]
        if not expected:
            return Cell(State.NOT_EXPECTED)
        return _cell(
            milestone,
            now=now,
            days_attended=min(days_attended, days[milestone.pk]),
            session_days=days[milestone.pk],
            upload_accepted=upload,
            action_submitted=action,
            survey_answered=survey,
        )

    rows = []
    for membership in memberships:
        row = ParticipantRow(membership=membership)
        for index, milestone in enumerate(milestones):
            key = (milestone.pk, membership.user_id)
            row.cells.append(
                cell(
                    index,
                    is_expected(milestone, membership),
                    facts.attended[key],
                    key in facts.accepted,
                    key in facts.actions,
                    key in facts.answered,
                )
            )
        rows.append(row)
    return rows


def requirements_for(
    milestone: Milestone,
    *,
    days_attended: int,
    session_days: int,
    upload_accepted: bool,
    action_submitted: bool,
    survey_answered: bool,
) -> tuple[Requirement, ...]:
    """What a milestone's settings ask of a participant, and whether it is done."""
    requirements = []
    if session_days:
        name = "Attend the session" if session_days == 1 else f"Attend all {session_days} days"
        requirements.append(Requirement("attendance", name, days_attended >= session_days))
    if milestone.upload_progress == Milestone.UploadProgress.MANDATORY:
        requirements.append(Requirement("upload", "An accepted progress upload", upload_accepted))
    if milestone.post_action_required:
        requirements.append(
            Requirement("post_action", "Submit the follow-up action", action_submitted)
        )
    if getattr(milestone, "active_survey_id", None):
        requirements.append(Requirement("survey", "Answer the survey", survey_answered))
    return tuple(requirements)


def _cell(milestone, *, now, **done) -> Cell:
    """A participant expected at a milestone: the state that what they did gives."""
    requirements = requirements_for(milestone, **done)
    # Unscheduled milestones are not due: nothing can be missing from them yet.
    past = milestone.ends_at is not None and milestone.ends_at <= now
    met = sum(1 for r in requirements if r.met)
    if met == len(requirements):
        state = State.COMPLETE if requirements or past else State.NOT_DUE
    elif met:
        state = State.IN_PROGRESS
    else:
        state = State.MISSING if past else State.NOT_DUE
    return Cell(state, requirements)
