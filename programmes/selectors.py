"""Reads of plan templates: who may see which, a programme as a blueprint, and the calendar
a new plan would get."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bip.selectors import plans_managed_by
from milestones.selectors import (
    KIND_LABELS,
    MilestoneBlueprint,
    PlacedSession,
    PlanMilestonesBlueprint,
    SessionTiming,
    TrainerBlueprint,
    plan_milestones_blueprint,
    session_preview,
)
from programmes.models import PlanOrigin, PlanTemplate
from progress.selectors import CohortProgress, Completion, cohorts_progress
from surveys.selectors import SurveyBlueprint, SurveyScore, survey_blueprints, survey_scores

if TYPE_CHECKING:
    from bip.models import Plan
    from milestones.models import Milestone

# The shape of PlanTemplate.content; a later shape reads this one and upgrades it.
CONTENT_VERSION = 1


@dataclass(frozen=True)
class Programme:
    """Everything a plan holds that runs again with a new cohort: its description and
    length, the milestones as blueprints (see milestones.selectors) and each milestone's
    surveys by the milestone's key. Never its members, attendance, uploads or answers."""

    description: str
    length_days: int
    time_zone: str
    milestones: PlanMilestonesBlueprint
    surveys: dict[int, list[SurveyBlueprint]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "version": CONTENT_VERSION,
            "description": self.description,
            "length_days": self.length_days,
            "time_zone": self.time_zone,
            "trainers": [trainer.to_json() for trainer in self.milestones.trainers],
            "milestones": [
                {
                    **milestone.to_json(),
                    "surveys": [s.to_json() for s in self.surveys.get(milestone.key, [])],
                }
                for milestone in self.milestones.milestones
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> Programme:
        return cls(
            description=data.get("description", ""),
            length_days=int(data.get("length_days", 0)),
            time_zone=data.get("time_zone", "UTC"),
            milestones=PlanMilestonesBlueprint(
                milestones=[MilestoneBlueprint.from_json(m) for m in data["milestones"]],
                trainers=[TrainerBlueprint.from_json(t) for t in data.get("trainers", [])],
            ),
            surveys={
                int(m["key"]): [SurveyBlueprint.from_json(s) for s in m.get("surveys", [])]
                for m in data["milestones"]
            },
        )

    @property
    def activity_count(self) -> int:
        return sum(len(m.activities) for m in self.milestones.milestones)

    @property
    def file_names(self) -> list[str]:
        return [a.file for m in self.milestones.milestones for a in m.activities if a.file]

    @property
    def survey_count(self) -> int:
        return sum(len(surveys) for surveys in self.surveys.values())


def programme_of_plan(plan, *, with_trainers: bool) -> Programme:
    """The plan as a programme to run again; six queries however many milestones it has."""
    milestones = plan_milestones_blueprint(plan, with_trainers=with_trainers)
    return Programme(
        description=plan.description,
        length_days=(plan.end_date - plan.start_date).days,
        time_zone=plan.time_zone,
        milestones=milestones,
        surveys=survey_blueprints(m.key for m in milestones.milestones),
    )


def templates_visible_to(user) -> QuerySet[PlanTemplate]:
    """Platform admins see every template; anyone else the ones they saved."""
    if not user.is_authenticated:
        return PlanTemplate.objects.none()
    templates = PlanTemplate.objects.select_related("created_by", "source_plan")
    return templates if user.is_staff else templates.filter(created_by=user)


def get_template_for_user(user, pk) -> PlanTemplate:
    """The template, if this person may see it; 404 otherwise, like any unknown id."""
    return get_object_or_404(templates_visible_to(user), pk=pk)


def may_use_templates(user) -> bool:
    """Whether the templates page is for this person: platform admins, and project admins,
    who save templates from their plans."""
    return user.is_authenticated and (user.is_staff or plans_managed_by(user).exists())


def template_milestone(programme: Programme, key: int) -> MilestoneBlueprint:
    """One of the template's milestones by its key; 404 for a key it does not have."""
    for milestone in programme.milestones.milestones:
        if milestone.key == key:
            return milestone
    raise Http404


@dataclass(frozen=True)
class TemplateMilestoneRow:
    """A template's milestone as its editing page lists it."""

    key: int
    number: int
    name: str
    kind: str
    multi_day: bool
    timing: SessionTiming | None
    activity_count: int
    survey_count: int

    @property
    def ends_at(self) -> datetime.time | None:
        if self.timing is None:
            return None
        first = datetime.datetime.combine(datetime.date(2000, 1, 1), self.timing.start_time)
        return (first + self.timing.duration).time()

    @property
    def last_day(self) -> int | None:
        return None if self.timing is None else self.timing.start_day + self.timing.days - 1


def template_milestone_rows(programme: Programme) -> list[TemplateMilestoneRow]:
    return [
        TemplateMilestoneRow(
            key=milestone.key,
            number=number,
            name=milestone.name,
            kind=KIND_LABELS.get(milestone.settings.get("kind"), ""),
            multi_day=bool(milestone.settings.get("multi_day")),
            timing=milestone.timing,
            activity_count=len(milestone.activities),
            survey_count=len(programme.surveys.get(milestone.key, [])),
        )
        for number, milestone in enumerate(programme.milestones.milestones, start=1)
    ]


@dataclass(frozen=True)
class CalendarRow:
    """One milestone of a plan about to be created, with its session's local dates."""

    key: int
    number: int
    name: str
    kind: str
    multi_day: bool
    session: PlacedSession | None
    activity_count: int
    survey_count: int
    time_zone: str
    location: str = ""

    @property
    def milestone(self) -> Milestone:
        """The milestone the new plan gets, unsaved, so that the preview writes its session
        the way every other page writes a session."""
        return session_preview(
            time_zone=self.time_zone,
            name=self.name,
            multi_day=self.multi_day,
            location=self.location,
            starts_at=self.session.starts_at if self.session else None,
            ends_at=self.session.ends_at if self.session else None,
        )

    @property
    def moved_from(self) -> datetime.date | None:
        """The weekend day the session would have fallen on, when it was moved off it."""
        if self.session is None or not self.session.skipped_days:
            return None
        return self.session.starts_at.date() - datetime.timedelta(days=self.session.skipped_days)


@dataclass(frozen=True)
class ProgrammeCalendar:
    """What starting a programme on a date in a zone gives: the plan's dates and every
    milestone's session, in the plan's local time."""

    start_date: datetime.date
    end_date: datetime.date
    time_zone: str
    skip_weekends: bool
    rows: list[CalendarRow]
    trainer_count: int

    @property
    def sessions(self) -> dict[int, PlacedSession]:
        return {row.key: row.session for row in self.rows if row.session}

    @property
    def moved_count(self) -> int:
        return sum(1 for row in self.rows if row.moved_from)


def programme_calendar(
    programme: Programme, *, start_date: datetime.date, time_zone: str, skip_weekends: bool
) -> ProgrammeCalendar:
    """Where each session falls when the programme starts on `start_date` in `time_zone`:
    the same day counted from the start and the same local clock time, moved off a weekend
    to the Monday when asked. The plan ends as long after its start as the original did, or
    later if a session now runs past that. No queries."""
    zone = zoneinfo.ZoneInfo(time_zone)
    rows = []
    end_date = start_date + datetime.timedelta(days=programme.length_days)
    for number, milestone in enumerate(programme.milestones.milestones, start=1):
        session = (
            milestone.timing.placed(start_date, zone, skip_weekends=skip_weekends)
            if milestone.timing
            else None
        )
        if session:
            end_date = max(end_date, session.ends_at.date())
        rows.append(
            CalendarRow(
                key=milestone.key,
                number=number,
                name=milestone.name,
                kind=KIND_LABELS.get(milestone.settings.get("kind"), ""),
                multi_day=bool(milestone.settings.get("multi_day")),
                session=session,
                activity_count=len(milestone.activities),
                survey_count=len(programme.surveys.get(milestone.key, [])),
                time_zone=time_zone,
                location=milestone.settings.get("location", ""),
            )
        )
    return ProgrammeCalendar(
        start_date=start_date,
        end_date=end_date,
        time_zone=time_zone,
        skip_weekends=skip_weekends,
        rows=rows,
        trainer_count=len(programme.milestones.trainers),
    )


def plan_template_of(plan) -> PlanTemplate | None:
    """The template the plan was started from (directly, or through the plan it copies)."""
    origin = PlanOrigin.objects.filter(plan=plan).select_related("template").first()
    return origin.template if origin else None


def cohort_template_for(user, plan) -> PlanTemplate | None:
    """The template whose cohorts the plan belongs to, if this person may compare them:
    the one it was started from, else one saved from it."""
    visible = templates_visible_to(user).order_by("created_at", "pk")
    return visible.filter(origins__plan=plan).first() or visible.filter(source_plan=plan).first()


# Comparing the plans that ran one programme


@dataclass(frozen=True)
class SurveyCell:
    score: SurveyScore
    participant_count: int

    @property
    def response_rate(self) -> int | None:
        return self.score.response_rate(self.participant_count)


@dataclass(frozen=True)
class MilestoneComparison:
    number: int
    name: str
    # One per cohort, in the cohorts' order; None where the plan has no such milestone.
    completion: list[Completion | None]


@dataclass(frozen=True)
class SurveyComparison:
    milestone_name: str
    title: str
    cells: list[SurveyCell | None]


@dataclass(frozen=True)
class CohortComparison:
    """The plans that ran a template's programme, side by side: one column per plan."""

    template: PlanTemplate
    cohorts: list[CohortProgress]
    milestones: list[MilestoneComparison]
    surveys: list[SurveyComparison]

    def is_source(self, plan: Plan) -> bool:
        return plan.pk == self.template.source_plan_id


def cohort_comparison(template: PlanTemplate, user, *, now=None) -> CohortComparison:
    """Every plan started from the template (or saved as it) that this person manages,
    archived ones included, oldest first, with each milestone of the template matched in
    each plan. A fixed number of queries however many plans, milestones and participants."""
    plans = list(
        plans_managed_by(user)
        .filter(Q(origin__template=template) | Q(pk=template.source_plan_id))
        .order_by("start_date", "pk")
    )
    cohorts = cohorts_progress(plans, now=now)
    programme = Programme.from_json(template.content)
    blueprints = programme.milestones.milestones
    matched = [_matched(blueprints, cohort.progress.milestones) for cohort in cohorts]
    scores = survey_scores(m.pk for row in matched for m in row if m is not None)
    milestones = [
        MilestoneComparison(
            number=index + 1,
            name=blueprint.name,
            completion=[
                None if row[index] is None else cohort.completion(row[index])
                for cohort, row in zip(cohorts, matched, strict=True)
            ],
        )
        for index, blueprint in enumerate(blueprints)
    ]
    surveys = [
        SurveyComparison(
            milestone_name=blueprint.name,
            title=survey.title,
            cells=[
                _survey_cell(scores, row[index], survey.title, cohort.participant_count)
                for cohort, row in zip(cohorts, matched, strict=True)
            ],
        )
        for index, blueprint in enumerate(blueprints)
        for survey in programme.surveys.get(blueprint.key, [])
    ]
    return CohortComparison(
        template=template, cohorts=cohorts, milestones=milestones, surveys=surveys
    )


def _same(name: str) -> str:
    return " ".join(name.split()).casefold()


def _matched(blueprints: list[MilestoneBlueprint], milestones: list[Milestone]):
    """The plan's milestone for each of the template's, by name first, then by position
    for a milestone renamed on one side (unless its name belongs to another of the
    template's); None where the plan has none."""
    taken: set[int] = set()
    matched: list[Milestone | None] = [None] * len(blueprints)
    for index, blueprint in enumerate(blueprints):
        matched[index] = next(
            (m for m in milestones if m.pk not in taken and _same(m.name) == _same(blueprint.name)),
            None,
        )
        if matched[index] is not None:
            taken.add(matched[index].pk)
    names = {_same(blueprint.name) for blueprint in blueprints}
    for index in range(min(len(blueprints), len(milestones))):
        candidate = milestones[index]
        if (
            matched[index] is None
            and candidate.pk not in taken
            and _same(candidate.name) not in names
        ):
            matched[index] = candidate
            taken.add(candidate.pk)
    return matched


def _survey_cell(scores, milestone, title: str, participant_count: int) -> SurveyCell | None:
    if milestone is None:
        return None
    score = next((s for s in scores.get(milestone.pk, []) if _same(s.title) == _same(title)), None)
    return None if score is None else SurveyCell(score, participant_count)
