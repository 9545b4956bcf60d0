from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from surveys.models import Option, Question, Response, Survey

if TYPE_CHECKING:
    from milestones.models import Milestone


@dataclass(frozen=True)
class ParticipantSurvey:
    """A milestone's active survey as one participant sees it: nothing to answer, to
    answer, or answered on a given day."""

    survey: Survey | None
    answered_at: datetime.datetime | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def answer_url(self) -> str | None:
        if self.survey is None:
            return None
        milestone = self.survey.milestone
        return reverse("surveys:answer", args=[milestone.plan_id, milestone.pk])


def participant_survey(milestone: Milestone, user) -> ParticipantSurvey:
    """What a participant's milestone page shows about the survey, in one query."""
    survey = _active_survey(milestone, user).first()
    return ParticipantSurvey(survey, survey.answered_at if survey else None)


def get_survey_to_answer(milestone: Milestone, user) -> ParticipantSurvey:
    """The active survey with its questions and options in order, and whether this person
    has answered it; 404 when the milestone has no active survey."""
    questions = Question.objects.order_by("order", "pk").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
    )
    survey = (
        _active_survey(milestone, user)
        .prefetch_related(Prefetch("questions", queryset=questions))
        .first()
    )
    if survey is None:
        raise Http404("This milestone has no survey to answer.")
    return ParticipantSurvey(survey, survey.answered_at)


def response_for(*, survey: Survey, respondent) -> Response | None:
    return Response.objects.filter(survey=survey, respondent=respondent).order_by().first()


def _active_survey(milestone: Milestone, user) -> QuerySet[Survey]:
    answered_at = Response.objects.filter(survey=OuterRef("pk"), respondent=user).values(
        "submitted_at"
    )[:1]
    return (
        Survey.objects.filter(milestone=milestone, is_active=True)
        .order_by()
        .select_related("milestone")
        .annotate(answered_at=Subquery(answered_at))
    )
