"""A participant answering their milestone's active survey: what they may answer, and the
one time they submit it."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse

from bip.models import PlanMembership
from milestones.models import Milestone
from surveys.models import Answer, Option, Question, Response, Survey

AnswerValue = Option | int | str | None


class AlreadyAnswered(Exception):
    """The person has a response to this survey already; a survey is answered once."""

    def __init__(self, submitted_at: datetime.datetime):
        super().__init__(f"Already answered on {submitted_at:%Y-%m-%d}")
        self.submitted_at = submitted_at


def get_active_survey(milestone: Milestone) -> Survey:
    """The survey participants answer for this milestone, with its questions and options
    in order; 404 when none is active."""
    questions = Question.objects.order_by("order", "pk").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
    )
    return get_object_or_404(
        Survey.objects.filter(milestone=milestone, is_active=True).prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )


def response_for(*, survey: Survey, respondent) -> Response | None:
    return Response.objects.filter(survey=survey, respondent=respondent).first()


def participant_survey(milestone: Milestone, user) -> dict[str, Any]:
    """What a participant's milestone page shows about the survey, in one query.

    Keys: `survey` (the active Survey or None), `answered` (bool), `answered_at` (when
    they submitted, or None) and `answer_url` (the answer page, or None without a survey).
    """
    survey = (
        Survey.objects.filter(milestone=milestone, is_active=True)
        .annotate(
            answered_at=Subquery(
                Response.objects.filter(survey=OuterRef("pk"), respondent=user).values(
                    "submitted_at"
                )[:1]
            )
        )
        .first()
    )
    if survey is None:
        return {"survey": None, "answered": False, "answered_at": None, "answer_url": None}
    return {
        "survey": survey,
        "answered": survey.answered_at is not None,
        "answered_at": survey.answered_at,
        "answer_url": reverse("surveys:answer", args=[milestone.plan_id, milestone.pk]),
    }


def response_submit(*, survey: Survey, respondent, answers: Mapping[int, AnswerValue]) -> Response:
    """Record a participant's answers, all or nothing. `answers` maps a question's id to
    the chosen Option (multiple choice), the rating (an int) or the text; a question left
    out, None or blank is unanswered, which only an optional question may be.

    Raises AlreadyAnswered when the person has answered this survey before, and
    ValidationError (keyed by question id) when an answer does not fit its question."""
    if not survey.is_active:
        raise ValidationError("This survey is closed: it no longer takes answers.")
    if not PlanMembership.objects.filter(
        plan__milestones__surveys=survey,
        user=respondent,
        role=PlanMembership.Role.PARTICIPANT,
    ).exists():
        raise ValidationError("Only the plan's participants answer its surveys.")
    existing = response_for(survey=survey, respondent=respondent)
    if existing is not None:
        raise AlreadyAnswered(existing.submitted_at)

    rows = _answer_rows(list(survey.questions.all()), answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, respondent=respondent)
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # Two submissions at once (a double click, two tabs) both pass the check above;
        # the one-response constraint lets one in and the other lands here.
        existing = response_for(survey=survey, respondent=respondent)
        if existing is None:
            raise
        raise AlreadyAnswered(existing.submitted_at) from None
    return response


def _answer_rows(questions: list[Question], answers: Mapping[int, AnswerValue]) -> list[Answer]:
    errors: dict[str, str] = {}
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if question.required:
                errors[str(question.pk)] = "Please answer this question."
            continue
        answer = Answer(question=question)
        if question.type == Question.Type.MCQ:
            if not isinstance(value, Option) or value.question_id != question.pk:
                errors[str(question.pk)] = "Choose one of the options."
                continue
            answer.option = value
        elif question.is_rating:
            if isinstance(value, bool) or not isinstance(value, int) or value not in question.scale:
                errors[str(question.pk)] = f"Choose a number from 1 to {question.scale_max}."
                continue
            answer.rating = value
        else:
            if not isinstance(value, str):
                errors[str(question.pk)] = "Write your answer as text."
                continue
            answer.text = value
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    return rows
