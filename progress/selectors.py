"""What participants see of their plans and milestones, and what a plan's admins see of
everyone's progress. Every state shown comes from progress.completion."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.csv import CsvTable
from milestones.attendance.selectors import (
    ParticipantAttendance,
    days_attended,
    participant_attendance,
)
from milestones.selectors import (
    ParticipantActivities,
    milestone_trainer_list,
    participant_activities,
    unopened_pre_activities,
)
from milestones.uploads.selectors import (
    ParticipantPostAction,
    ParticipantUploads,
    participant_post_action,
    participant_uploads,
)
from progress.completion import (
    Cell,
    ParticipantRow,
    PlanProgress,
    Requirement,
    State,
    participant_cell,
    participant_progress,
    plan_progress,
    plans_progress,
)
from surveys.answering.selectors import ParticipantSurvey, participant_survey

if TYPE_CHECKING:
    from bip.models import Plan
    from milestones.models import Activity, Milestone, Trainer

# Requirements a participant can still act on after the session (attendance is not one).
ACTIONS = {
    "upload": gettext_lazy("Upload your progress"),
    "post_action": gettext_lazy("Submit your follow-up action"),
    "survey": gettext_lazy("Answer the survey"),
}


@dataclass(frozen=True)
class WaitingItem:
    milestone: Milestone
    text: str


@dataclass(frozen=True)
class MilestoneProgress:
    milestone: Milestone
    cell: Cell


@dataclass(frozen=True)
class ParticipantPlan:
    """One plan as a participant sees it: their progress, the next session and what waits
    for them."""

    progress: PlanProgress
    waiting: list[WaitingItem]

    @property
    def plan(self) -> Plan:
        return self.progress.plan

    @property
    def row(self) -> ParticipantRow:
        return self.progress.rows[0]

    @property
    def milestones(self) -> list[MilestoneProgress]:
        return [
            MilestoneProgress(milestone, cell)
            for milestone, cell in zip(self.progress.milestones, self.row.cells, strict=True)
        ]

    @property
    def next_session(self) -> Milestone | None:
        now = timezone.now()
        upcoming = [m for m in self.progress.milestones if m.ends_at and m.ends_at > now]
        return min(upcoming, key=lambda m: m.starts_at, default=None)


def participant_overview(user) -> list[ParticipantPlan]:
    """Every current plan a person takes part in, with what waits for them, in a fixed
    number of queries; an archived plan asks nothing more of anyone."""
    plans = participant_progress(user, current=True)
    unopened = _unopened_pre_activities(plans, user)
    return [ParticipantPlan(progress, _waiting(progress, unopened)) for progress in plans]


def participant_plan(plan: Plan, user) -> ParticipantPlan:
    progress = plan_progress(plan, participant=user)
    return ParticipantPlan(progress, _waiting(progress, _unopened_pre_activities([progress], user)))


def _unopened_pre_activities(plans: list[PlanProgress], user) -> list[Activity]:
    """Pre-session activities not yet opened, for sessions still ahead that count for the
    person."""
    ahead = [
        milestone.pk
        for progress in plans
        for milestone, cell in zip(progress.milestones, progress.rows[0].cells, strict=True)
        if cell.counts and not milestone.session_ended()
    ]
    return unopened_pre_activities(ahead, user)


# What follows a session, to do once it has started (Milestone.post_session_open): never
# asked for a session that has no date or is still ahead.
AFTER_SESSION = {"post_action", "survey"}


def _waiting(progress: PlanProgress, unopened: list[Activity]) -> list[WaitingItem]:
    """Activities to review before sessions ahead, then what the participant can do now for
    milestones whose session has started or (an upload) that have no session yet. Something
    sent and awaiting a reviewer is not the participant's to do."""
    now = timezone.now()
    items = [
        WaitingItem(
            activity.milestone,
            _("Review “%(activity)s” before the session") % {"activity": activity.title},
        )
        for activity in unopened
        if activity.milestone.plan_id == progress.plan.pk
    ]
    for milestone, cell in zip(progress.milestones, progress.rows[0].cells, strict=True):
        if not cell.counts or (milestone.starts_at and milestone.starts_at > now):
            continue
        opened = milestone.post_session_open(now)
        items.extend(
            WaitingItem(milestone, ACTIONS[requirement.code])
            for requirement in cell.requirements
            if not requirement.met
            and not requirement.awaiting_review
            and requirement.code in ACTIONS
            and (opened or requirement.code not in AFTER_SESSION)
        )
    return items


@dataclass(frozen=True)
class ParticipantMilestone:
    """Everything a participant's milestone page shows."""

    plan: Plan
    milestone: Milestone
    cell: Cell
    trainers: list[Trainer]
    activities: ParticipantActivities
    attendance: ParticipantAttendance
    uploads: ParticipantUploads
    follow_up: ParticipantPostAction
    survey: ParticipantSurvey

    @property
    def upload_requirement(self) -> Requirement | None:
        return self.cell.requirement("upload")


def participant_milestone(plan: Plan, milestone: Milestone, user) -> ParticipantMilestone:
    """One milestone as a participant sees it; its cost does not grow with the cohort."""
    return ParticipantMilestone(
        plan=plan,
        milestone=milestone,
        cell=participant_cell(milestone, user),
        trainers=milestone_trainer_list(milestone),
        activities=participant_activities(milestone, user),
        attendance=participant_attendance(milestone, user),
        uploads=participant_uploads(milestone, user),
        follow_up=participant_post_action(milestone, user),
        survey=participant_survey(milestone, user),
    )


@dataclass(frozen=True)
class DashboardLine:
    row: ParticipantRow
    cells: list[Cell]
    # The row's cells as table cells, ready for the page.
    cells_html: SafeString


@dataclass(frozen=True)
class DashboardColumn:
    """A milestone's column: headed by its number in the plan, which stays the same when
    the board is filtered, because a dozen milestone names do not fit across a phone."""

    number: int
    milestone: Milestone

    @property
    def label(self) -> str:
        return f"{self.number}. {self.milestone.name}"


@dataclass(frozen=True)
class Dashboard:
    """The plan's participants by its milestones, filtered to some columns and states."""

    progress: PlanProgress
    columns: list[int]
    rows: list[ParticipantRow]

    @property
    def milestones(self) -> list[Milestone]:
        return [self.progress.milestones[i] for i in self.columns]

    @property
    def headers(self) -> list[DashboardColumn]:
        return [DashboardColumn(i + 1, self.progress.milestones[i]) for i in self.columns]

    def lines(self, rows: list[ParticipantRow]) -> list[DashboardLine]:
        # A plan's thousands of cells share a few hundred distinct states (the completion
        # rules hand out one Cell per situation), so each distinct cell's HTML is built once
        # per column and rows are joined from those strings instead of running a template
        # per cell.
        headers = self.headers
        html: dict[tuple[int, int], str] = {}
        lines = []
        for row in rows:
            cells = [row.cells[i] for i in self.columns]
            keys = [(position, id(cell)) for position, cell in enumerate(cells)]
            for key, cell in zip(keys, cells, strict=True):
                if key not in html:
                    html[key] = _cell_html(cell, headers[key[0]])
            lines.append(DashboardLine(row, cells, mark_safe("".join(html[key] for key in keys))))
        return lines

    def totals(self) -> list:
        totals = self.progress.milestone_totals()
        return [totals[i] for i in self.columns]

    @property
    def csv_cells(self) -> int:
        """How big its CSV export is: a row per participant, four columns and the
        milestones'."""
        return len(self.rows) * (4 + len(self.columns))


def dashboard_csv(plan: Plan, board: Dashboard) -> CsvTable:
    """The dashboard as a CSV: a row per participant, a column per milestone."""
    header = [
        _("Participant"),
        _("Email"),
        _("Milestones complete"),
        _("Milestones expected"),
        *(milestone.name for milestone in board.milestones),
    ]
    rows = (
        [
            str(line.row.membership.user),
            line.row.membership.user.email,
            line.row.complete,
            line.row.expected,
            *(
                cell.state.label + (f" ({'; '.join(cell.missing)})" if cell.missing else "")
                for cell in line.cells
            ),
        ]
        for line in board.lines(board.rows)
    )
    return CsvTable(f"{slugify(plan.name)}-progress.csv", header, rows)


def _cell_html(cell: Cell, column: DashboardColumn) -> str:
    # Headers show only numbers, so each cell names its milestone: on hover, in its popover
    # (headed by the milestone) and to a screen reader.
    return format_html(
        '<td class="text-center"><button type="button" class="cairn-cell cairn-cell-{}" '
        'title="{} · {}" aria-label="{} · {}" data-milestone="{}" data-state="{}">'
        '<i class="{}" aria-hidden="true"></i></button></td>',
        cell.state.value,
        column.label,
        cell.hover,
        column.label,
        cell.hover,
        column.label,
        cell.hover,
        cell.state.icon,
    )


def dashboard(
    progress: PlanProgress, *, milestone_id: int | None = None, status: str = ""
) -> Dashboard:
    """The plan's progress narrowed to one milestone's column and to the participants with
    a cell in the given state."""
    columns = [
        i
        for i, milestone in enumerate(progress.milestones)
        if milestone_id is None or milestone.pk == milestone_id
    ]
    rows = progress.rows
    if status:
        state = State(status)
        rows = [row for row in rows if any(row.cells[i].state == state for i in columns)]
    return Dashboard(progress=progress, columns=columns, rows=rows)


@dataclass(frozen=True)
class Share:
    """How many out of how many: participants who completed a milestone, or session days
    attended. No percentage when nobody was expected."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


@dataclass(frozen=True)
class Completion(Share):
    """Participants who completed a milestone; nobody can before its session has ended."""

    held: bool = True


@dataclass(frozen=True)
class CohortProgress:
    """One plan's progress summed up to be set beside other runs of its programme."""

    progress: PlanProgress
    # Session days attended (present or excused, as completion counts them) out of the days
    # participants were expected at, over confirmed sessions that have ended.
    attendance: Share

    @property
    def plan(self) -> Plan:
        return self.progress.plan

    @property
    def participant_count(self) -> int:
        return len(self.progress.rows)

    # When the figures were worked out: whether a session has ended is judged at that moment.
    now: datetime.datetime

    def completion(self, milestone: Milestone) -> Completion:
        """Participants who completed the milestone, out of those it counts for."""
        index = next(i for i, m in enumerate(self.progress.milestones) if m.pk == milestone.pk)
        cells = [row.cells[index] for row in self.progress.rows]
        return Completion(
            count=sum(1 for cell in cells if cell.state == State.COMPLETE),
            total=sum(1 for cell in cells if cell.counts),
            held=milestone.session_ended(self.now),
        )


def cohorts_progress(plans: list[Plan], *, now=None) -> list[CohortProgress]:
    """Each plan's progress and attendance, in a fixed number of queries however many plans,
    milestones and participants there are."""
    now = now or timezone.now()
    progresses = plans_progress(plans, now=now)
    held = {
        milestone.pk: len(milestone.session_days())
        for progress in progresses
        for milestone in progress.milestones
        if milestone.is_confirmed and milestone.session_ended(now)
    }
    attended = days_attended(milestone_ids=held) if held else {}
    cohorts = []
    for progress in progresses:
        count = total = 0
        for index, milestone in enumerate(progress.milestones):
            days = held.get(milestone.pk)
            if not days:
                continue
            for row in progress.rows:
                if row.cells[index].counts:
                    total += days
                    count += min(days, attended[(milestone.pk, row.membership.user_id)])
        cohorts.append(CohortProgress(progress=progress, attendance=Share(count, total), now=now))
    return cohorts
