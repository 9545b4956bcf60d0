"""Reads of the surveys app: the admins' survey pages, and what other apps ask about
surveys (`active_surveys`, `active_survey_answers`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from milestones.selectors import get_milestone_for_user, milestones_of_plans
from surveys.models import Answer, Option, Question, Response, Survey

if TYPE_CHECKING:
    from bip.models import Plan
    from milestones.models import Milestone


def get_survey_for_user(user, plan_pk, milestone_pk, pk) -> Survey:
    """A survey of a milestone this person manages; 404 for anyone else, and for a survey
    of another milestone."""
    milestone = get_milestone_for_user(user, plan_pk, milestone_pk, manage=True)
    return get_object_or_404(milestone.surveys.all(), pk=pk)


def get_question_for_user(user, plan_pk, milestone_pk, survey_pk, pk) -> Question:
    """A question of such a survey, with how many people answered it."""
    survey = get_survey_for_user(user, plan_pk, milestone_pk, survey_pk)
    return get_object_or_404(
        survey.questions.annotate(answer_count=_count(Answer, "question")), pk=pk
    )


def milestone_surveys(milestone: Milestone) -> QuerySet[Survey]:
    """The survey list: the active survey first, then the others oldest first, each with
    its question and response counts."""
    return (
        _surveys_with_counts()
        .filter(milestone=milestone)
        .order_by("-is_active", "created_at", "pk")
    )


@dataclass(frozen=True)
class ActivationChange:
    at: datetime.datetime
    by: str
    title: str
    active: bool


# The newest switches shown under the survey list.
ACTIVATION_HISTORY_LIMIT = 20


def survey_activation_history(milestone: Milestone) -> list[ActivationChange]:
    """Who made which of the milestone's surveys active or inactive, and when, newest first."""
    records = list(
        Survey.history.filter(milestone_id=milestone.pk)
        .select_related("history_user")
        .order_by("history_id")
    )
    changes, active = [], {}
    for record in records:
        was = active.get(record.id, False)
        active[record.id] = record.is_active
        if record.history_type == "~" and record.is_active != was:
            changes.append(
                ActivationChange(
                    at=record.history_date,
                    by=str(record.history_user) if record.history_user_id else "Cairn",
                    title=record.title,
                    active=record.is_active,
                )
            )
    return changes[::-1][:ACTIVATION_HISTORY_LIMIT]


@dataclass(frozen=True)
class MilestoneSurveys:
    milestone: Milestone
    surveys: list[Survey]


def plan_surveys(plan: Plan) -> list[MilestoneSurveys]:
    """Every milestone of the plan in order with its surveys (as in the survey list), in
    two queries."""
    milestones = milestones_of_plans([plan.pk])
    by_milestone: dict[int, list[Survey]] = defaultdict(list)
    for survey in (
        _surveys_with_counts()
        .filter(milestone_id__in=[milestone.pk for milestone in milestones])
        .order_by("-is_active", "created_at", "pk")
    ):
        by_milestone[survey.milestone_id].append(survey)
    return [
        MilestoneSurveys(milestone, by_milestone.get(milestone.pk, [])) for milestone in milestones
    ]


@dataclass(frozen=True)
class SurveyBuilder:
    """The survey builder: the survey, its questions in order (each question and option
    with its `answer_count`, since what has answers is locked) and how many answered."""

    survey: Survey
    questions: list[Question]
    response_count: int


def survey_builder(survey: Survey) -> SurveyBuilder:
    questions = (
        survey.questions.order_by("order", "pk")
        .annotate(answer_count=_count(Answer, "question"))
        .prefetch_related(
            Prefetch(
                "options",
                queryset=Option.objects.order_by("order", "pk").annotate(
                    answer_count=_count(Answer, "option")
                ),
            )
        )
    )
    return SurveyBuilder(survey, list(questions), survey.responses.count())


@dataclass(frozen=True)
class SurveyContents:
    """What deleting a survey deletes with it."""

    survey: Survey
    question_count: int
    response_count: int


def survey_contents(survey: Survey) -> SurveyContents:
    counts = _surveys_with_counts().filter(pk=survey.pk).values("question_count", "response_count")
    return SurveyContents(survey, **counts.get())


def question_options(question: Question) -> QuerySet[Option]:
    """The question's options in order, each with how often it was chosen."""
    return question.options.order_by("order", "pk").annotate(answer_count=_count(Answer, "option"))


def active_surveys(milestone_ids: Iterable[int]) -> dict[int, int]:
    """Milestone id → id of its active survey, for these milestones; a milestone without an
    active survey is absent. One query."""
    return dict(
        Survey.objects.filter(milestone_id__in=milestone_ids, is_active=True)
        .order_by()
        .values_list("milestone_id", "pk")
    )


def active_survey_answers(
    *, milestone_ids: Iterable[int], respondent_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """The (milestone id, respondent id) pairs where the person answered the milestone's
    active survey; an answer to a survey that is no longer active does not count. Everyone's
    answers when `respondent_ids` is None. One query."""
    responses = Response.objects.filter(
        survey__milestone_id__in=milestone_ids, survey__is_active=True
    )
    if respondent_ids is not None:
        responses = responses.filter(respondent_id__in=respondent_ids)
    return set(responses.order_by().values_list("survey__milestone_id", "respondent_id"))


def _count(model, field: str) -> Coalesce:
    """Count rows of `model` pointing at the outer row through `field`. A subquery per
    count keeps two counts from multiplying each other the way two joins would."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _surveys_with_counts() -> QuerySet[Survey]:
    return Survey.objects.annotate(
        question_count=_count(Question, "survey"), response_count=_count(Response, "survey")
    )


def responses_since(milestone_ids: Iterable[int], since: datetime.datetime) -> dict[int, int]:
    """Milestone id → how many answers to its surveys came in since `since`; one query."""
    return dict(
        Response.objects.filter(
            survey__milestone_id__in=list(milestone_ids), submitted_at__gte=since
        )
        .order_by()
        .values_list("survey__milestone_id")
        .annotate(n=Count("pk"))
    )


def active_survey_titles(milestone_ids: Iterable[int]) -> dict[int, str]:
    """Milestone id → the title of its active survey, for those with one; one query."""
    return dict(
        Survey.objects.filter(milestone_id__in=list(milestone_ids), is_active=True)
        .order_by()
        .values_list("milestone_id", "title")
    )


# Running a programme again: a milestone's surveys as a blueprint (never their answers)


@dataclass(frozen=True)
class QuestionBlueprint:
    text: str
    type: str
    required: bool = True
    scale_max: int = 5
    options: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {**self.__dict__, "options": list(self.options)}

    @classmethod
    def from_json(cls, data: dict) -> QuestionBlueprint:
        return cls(
            text=data["text"],
            type=data["type"],
            required=bool(data.get("required", True)),
            scale_max=int(data.get("scale_max", 5)),
            options=tuple(data.get("options", ())),
        )


@dataclass(frozen=True)
class SurveyBlueprint:
    title: str
    description: str = ""
    is_active: bool = False
    questions: tuple[QuestionBlueprint, ...] = ()

    def to_json(self) -> dict:
        return {**self.__dict__, "questions": [q.to_json() for q in self.questions]}

    @classmethod
    def from_json(cls, data: dict) -> SurveyBlueprint:
        return cls(
            title=data["title"],
            description=data.get("description", ""),
            is_active=bool(data.get("is_active", False)),
            questions=tuple(QuestionBlueprint.from_json(q) for q in data.get("questions", ())),
        )


def survey_blueprints(milestone_ids: Iterable[int]) -> dict[int, list[SurveyBlueprint]]:
    """The surveys of these milestones with their questions and options, by milestone id, in
    the order the survey list shows them; three queries however many there are."""
    surveys = (
        Survey.objects.filter(milestone_id__in=list(milestone_ids))
        .order_by("milestone_id", "-is_active", "created_at", "pk")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
                ),
            )
        )
    )
    blueprints: dict[int, list[SurveyBlueprint]] = defaultdict(list)
    for survey in surveys:
        blueprints[survey.milestone_id].append(
            SurveyBlueprint(
                title=survey.title,
                description=survey.description,
                is_active=survey.is_active,
                questions=tuple(
                    QuestionBlueprint(
                        text=question.text,
                        type=question.type,
                        required=question.required,
                        scale_max=question.scale_max,
                        options=tuple(option.text for option in question.options.all()),
                    )
                    for question in survey.questions.all()
                ),
            )
        )
    return blueprints


# Comparing runs of one programme


@dataclass(frozen=True)
class SurveyScore:
    """A survey's responses and the average of its rating answers, every rating put on the
    five-star scale of the overall rating so that surveys with different scales compare."""

    survey_id: int
    milestone_id: int
    title: str
    response_count: int
    rating_count: int
    rating_average: float | None

    def response_rate(self, participant_count: int) -> int | None:
        """Percent of the participants who answered; capped at 100, as on the results page,
        because people who answered and then left the plan still count."""
        if not participant_count:
            return None
        return min(100, round(self.response_count * 100 / participant_count))


def survey_scores(milestone_ids: Iterable[int]) -> dict[int, list[SurveyScore]]:
    """Milestone id → its surveys with their response counts and rating averages, in the
    order the Survey List shows them; two queries however many there are."""
    ids = list(milestone_ids)
    stars = Question.OVERALL_RATING_SCALE
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    for survey_id, scale_max, total, n in (
        Answer.objects.filter(question__survey__milestone_id__in=ids, rating__isnull=False)
        .order_by()
        .values_list("question__survey_id", "question__scale_max")
        .annotate(total=Sum("rating"), n=Count("pk"))
    ):
        # 1 to N onto 1 to 5, which is linear, so it applies to the sum as well as to each
        # rating: a 7 of 7 is a five-star answer and a 1 of 7 a one-star one.
        sums[survey_id][0] += n + (total - n) * (stars - 1) / max(scale_max - 1, 1)
        sums[survey_id][1] += n
    scores: dict[int, list[SurveyScore]] = defaultdict(list)
    for survey in (
        Survey.objects.filter(milestone_id__in=ids)
        .annotate(response_count=_count(Response, "survey"))
        .order_by("milestone_id", "-is_active", "created_at", "pk")
    ):
        total, n = sums.get(survey.pk, (0.0, 0))
        scores[survey.milestone_id].append(
            SurveyScore(
                survey_id=survey.pk,
                milestone_id=survey.milestone_id,
                title=survey.title,
                response_count=survey.response_count,
                rating_count=n,
                rating_average=round(total / n, 1) if n else None,
            )
        )
    return scores
