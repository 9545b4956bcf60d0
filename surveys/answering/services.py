import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bip.selectors import plan_participants
from surveys.answering import selectors
from surveys.models import Answer, Option, Question, Response, Survey

AnswerValue = Option | int | str | None


class AlreadyAnswered(Exception):
    """The person has a response to this survey already; a survey is answered once."""

    def __init__(self, submitted_at: datetime.datetime):
        super().__init__(f"Already answered on {submitted_at:%Y-%m-%d}")
        self.submitted_at = submitted_at


@transaction.atomic
def response_submit(*, survey: Survey, respondent, answers: Mapping[int, AnswerValue]) -> Response:
    """Record a participant's answers, all or nothing. `answers` maps a question's id to
    the chosen Option (multiple choice), the rating (an int) or the text; a question left
    out, None or blank is unanswered, which only an optional question may be.

    Raises AlreadyAnswered when the person has answered this survey before, and
    ValidationError (keyed by question id) when an answer does not fit its question."""
    if not survey.is_active:
        raise ValidationError(_("This survey is closed: it no longer takes answers."))
    if not plan_participants(survey.milestone.plan_id).filter(user=respondent).exists():
        raise ValidationError(_("Only the plan's participants answer its surveys."))
    existing = selectors.response_for(survey=survey, respondent=respondent)
    if existing is not None:
        raise AlreadyAnswered(existing.submitted_at)

    rows = _answer_rows(list(survey.questions.all()), answers)
    try:
        # A savepoint of its own, so that the lookup below still runs after the insert fails.
        with transaction.atomic():
            response = Response.objects.create(survey=survey, respondent=respondent)
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # Two submissions at once (a double click, two tabs) both pass the check above;
        # the one-response constraint lets one in and the other lands here.
        existing = selectors.response_for(survey=survey, respondent=respondent)
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
                errors[str(question.pk)] = _("Please answer this question.")
            continue
        answer = Answer(question=question)
        if question.type == Question.Type.MCQ:
            if not isinstance(value, Option) or value.question_id != question.pk:
                errors[str(question.pk)] = _("Choose one of the options.")
                continue
            answer.option = value
        elif question.is_rating:
            if isinstance(value, bool) or not isinstance(value, int) or value not in question.scale:
                errors[str(question.pk)] = _("Choose a number from 1 to %(max)s.") % {
                    "max": question.scale_max
                }
                continue
            answer.rating = value
        else:
            if not isinstance(value, str):
                errors[str(question.pk)] = _("Write your answer as text.")
                continue
            answer.text = value
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    return rows
