"""Participant progress, derived from each milestone's settings and what participants did.

Nothing here is stored: a milestone is complete for a participant when its session has ended
and every requirement its settings switch on is met, so changing a setting changes everyone's
progress at once. This module is the only place that rule lives; every page that shows
progress reads it from here and states it in the words of COMPLETION_RULE.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bip.selectors import (
    participant_membership,
    participant_plan_memberships,
    participants_of_plans,
    plan_participants,
)
from milestones.attendance.selectors import days_attended, is_expected
from milestones.selectors import milestones_of_plans
from milestones.uploads.selectors import post_actions_sent, upload_facts
from surveys.selectors import active_survey_answers, active_surveys

if TYPE_CHECKING:
    from bip.models import Plan, PlanMembership
    from milestones.models import Milestone

COMPLETION_RULE = gettext_lazy(
    "A milestone is complete for a participant once its session has ended and everything it "
    "asks is done: attendance on every session day (marking yourself present counts at once; "
    "a project admin may correct it), an accepted upload where a progress upload is "
    "mandatory, a follow-up action validated by a project admin or the milestone's trainer "
    "where one is required, and the active survey answered."
)


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
    State.COMPLETE: gettext_lazy("Complete"),
    State.IN_PROGRESS: gettext_lazy("In progress"),
    State.MISSING: gettext_lazy("Missing"),
    State.NOT_DUE: gettext_lazy("Not due yet"),
    State.NOT_EXPECTED: gettext_lazy("Not expected"),
}
_ICONS = {
    State.COMPLETE: "fa-solid fa-check",
    State.IN_PROGRESS: "fa-solid fa-circle-half-stroke",
    State.MISSING: "fa-solid fa-xmark",
    State.NOT_DUE: "fa-regular fa-clock",
    State.NOT_EXPECTED: "fa-solid fa-minus",
}


def _attend(session_days: int) -> str:
    if session_days == 1:
        return _("Attend the session")
    return ngettext("Attend all %(count)s day", "Attend all %(count)s days", session_days) % {
        "count": session_days
    }


# A requirement's name is lazy: the emails that list what is missing are rendered in each
# recipient's language, not in the language of whoever runs the job.
_attend_lazy = lazy(_attend, str)
_UPLOAD = gettext_lazy("An accepted progress upload")
_POST_ACTION = gettext_lazy("A validated follow-up action")
_SURVEY = gettext_lazy("Answer the survey")


@dataclass(frozen=True)
class Requirement:
    code: str  # attendance, upload, post_action or survey
    name: str
    met: bool
    # The participant did their part and a reviewer has yet to accept or validate it.
    awaiting_review: bool = False


@dataclass(frozen=True)
class Cell:
    """One participant on one milestone."""

    state: State
    requirements: tuple[Requirement, ...] = ()

    @cached_property
    def missing(self) -> list[str]:
        return [str(r.name) for r in self.requirements if not r.met]

    @cached_property
    def summary(self) -> str:
        """What a person hovering over the cell wants to know."""
        if self.missing:
            return _("Missing: %(requirements)s") % {"requirements": "; ".join(self.missing)}
        return {
            State.COMPLETE: _("Everything this milestone asks is done."),
            State.NOT_EXPECTED: _("Joined the plan after this session."),
            State.IN_PROGRESS: _("Everything asked is done; it completes when the session ends."),
        }.get(self.state, _("Nothing is asked yet."))

    @cached_property
    def hover(self) -> str:
        """The cell's state and what it means, in one sentence."""
        if self.missing:
            return self.summary
        return f"{self.state.label}. {self.summary}"

    @property
    def counts(self) -> bool:
        return self.state != State.NOT_EXPECTED

    def requirement(self, code: str) -> Requirement | None:
        return next((r for r in self.requirements if r.code == code), None)


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
        index = next(i for i, m in enumerate(self.milestones) if m.pk == milestone.pk)
        return self.rows[row].cells[index]

    def milestone_totals(self) -> list[Counter]:
        totals = [Counter() for _ in self.milestones]
        for row in self.rows:
            for total, cell in zip(totals, row.cells, strict=True):
                total[cell.state] += 1
        return totals


def plan_progress(plan: Plan, *, participant=None, now=None) -> PlanProgress:
    """Every participant (or one) of a plan by every milestone, in a fixed number of queries."""
    memberships = plan_participants(plan.pk)
    if participant is not None:
        memberships = memberships.filter(user=participant)
    memberships = list(memberships)
    milestones = milestones_of_plans([plan.pk])
    facts = _facts(milestones, participant_ids=None if participant is None else [participant.pk])
    return PlanProgress(
        plan=plan, milestones=milestones, rows=_rows(milestones, memberships, facts, now)
    )


def plans_progress(plans: list[Plan], *, now=None) -> list[PlanProgress]:
    """Every participant of each plan by its milestones, as plan_progress gives for one,
    for any number of plans in a fixed number of queries."""
    memberships: dict[int, list[PlanMembership]] = {}
    for membership in participants_of_plans(plan.pk for plan in plans):
        memberships.setdefault(membership.plan_id, []).append(membership)
    milestones = milestones_of_plans([plan.pk for plan in plans])
    by_plan: dict[int, list[Milestone]] = {}
    for milestone in milestones:
        by_plan.setdefault(milestone.plan_id, []).append(milestone)
    facts = _facts(milestones, participant_ids=None)
    return [
        PlanProgress(
            plan=plan,
            milestones=by_plan.get(plan.pk, []),
            rows=_rows(by_plan.get(plan.pk, []), memberships.get(plan.pk, []), facts, now),
        )
        for plan in plans
    ]


def participant_cell(milestone: Milestone, user, *, now=None) -> Cell:
    """One participant on one milestone, from that milestone's facts alone: what their
    milestone page shows, at the same cost in a cohort of 5 or 500."""
    membership = participant_membership(milestone.plan_id, user)
    if membership is None:
        return Cell(State.NOT_EXPECTED)
    facts = _facts([milestone], participant_ids=[user.pk])
    return _rows([milestone], [membership], facts, now)[0].cells[0]


def participant_progress(user, *, now=None, current: bool = False) -> list[PlanProgress]:
    """One person's progress in every plan they take part in (archived ones aside when
    `current`), in a fixed number of queries."""
    memberships = list(participant_plan_memberships(user, current=current))
    milestones = milestones_of_plans([m.plan_id for m in memberships])
    facts = _facts(milestones, participant_ids=[user.pk])
    by_plan: dict[int, list[Milestone]] = {}
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


@dataclass(frozen=True)
class _Facts:
    """What participants did, keyed by (milestone id, participant id)."""

    surveys: dict[int, int]
    attended: Counter
    uploads: dict[tuple[int, int], str]
    actions: dict[tuple[int, int], bool]
    answered: set[tuple[int, int]]


def _facts(milestones: list[Milestone], *, participant_ids) -> _Facts:
    ids = [m.pk for m in milestones]
    scope = {"milestone_ids": ids, "participant_ids": participant_ids}
    return _Facts(
        surveys=active_surveys(ids),
        attended=days_attended(**scope),
        uploads=upload_facts(**scope),
        actions=post_actions_sent(**scope),
        answered=active_survey_answers(milestone_ids=ids, respondent_ids=participant_ids),
    )


def _rows(milestones, memberships, facts: _Facts, now) -> list[ParticipantRow]:
    now = now or timezone.now()
    days = {m.pk: len(m.session_days()) for m in milestones}

    # Most participants are in one of a few situations per milestone; each situation's cell
    # is worked out once and shared, which keeps a 500-by-30 plan fast.
    @cache
    def cell(index, expected, days_attended, upload, action, survey) -> Cell:
        milestone = milestones[index]
        if not expected:
            return Cell(State.NOT_EXPECTED)
        return milestone_cell(
            milestone,
            now=now,
            session_days=days[milestone.pk],
            days_attended=min(days_attended, days[milestone.pk]),
            upload=upload,
            action=action,
            survey_active=milestone.pk in facts.surveys,
            survey_answered=survey,
        )

    rows = []
    for membership in memberships:
        row = ParticipantRow(membership=membership)
        for index, milestone in enumerate(milestones):
            key = (milestone.pk, membership.user_id)
            action = facts.actions.get(key)
            row.cells.append(
                cell(
                    index,
                    is_expected(milestone, membership),
                    facts.attended[key],
                    facts.uploads.get(key),
                    None if action is None else ("validated" if action else "awaiting"),
                    key in facts.answered,
                )
            )
        rows.append(row)
    return rows


def milestone_cell(
    milestone: Milestone,
    *,
    now: datetime.datetime,
    session_days: int,
    days_attended: int,
    upload: str | None,
    action: str | None,
    survey_active: bool,
    survey_answered: bool,
) -> Cell:
    """A participant expected at a milestone: what its settings ask of them, what they did,
    and the state that gives. `upload` and `action` are None, "awaiting" (sent, not yet
    reviewed) or "accepted"/"validated"."""
    requirements = []
    if session_days:
        requirements.append(
            Requirement("attendance", _attend_lazy(session_days), days_attended >= session_days)
        )
    if milestone.upload_is_mandatory:
        requirements.append(
            Requirement(
                "upload",
                _UPLOAD,
                upload == "accepted",
                awaiting_review=upload == "awaiting",
            )
        )
    if milestone.post_action_required:
        requirements.append(
            Requirement(
                "post_action",
                _POST_ACTION,
                action == "validated",
                awaiting_review=action == "awaiting",
            )
        )
    if survey_active:
        requirements.append(Requirement("survey", _SURVEY, survey_answered))

    ended = milestone.session_ended(now)
    met = sum(1 for r in requirements if r.met)
    if ended and met == len(requirements):
        state = State.COMPLETE
    elif met:
        state = State.IN_PROGRESS
    else:
        state = State.MISSING if ended else State.NOT_DUE
    return Cell(state, tuple(requirements))
