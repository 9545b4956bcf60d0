"""Every figure comes from a handful of grouped queries over the whole survey, so a page
costs the same however many questions and responses there are."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bip.selectors import plan_participants
from common.csv import CsvTable
from surveys.models import Answer, Option, Question, Survey


@dataclass(frozen=True)
class Bar:
    """One option or rating value: how many chose it, out of everyone who answered."""

    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.count * 100 / self.total) if self.total else 0


@dataclass(frozen=True)
class TextAnswer:
    text: str
    respondent: str
    submitted_at: datetime.datetime


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.question.type == Question.Type.MCQ:
            return "choice"
        return "rating" if self.question.is_rating else "text"


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    response_count: int
    participant_count: int
    questions: list[QuestionResult]

    @property
    def csv_cells(self) -> int:
        """How big its CSV export is: a row per response, three columns and the
        questions'."""
        return self.response_count * (3 + len(self.questions))

    @property
    def response_rate(self) -> int:
        """Percent of the plan's participants who answered. People who answered and have
        since left the plan still count as responses, so it is capped at 100."""
        if not self.participant_count:
            return 0
        return min(100, round(self.response_count * 100 / self.participant_count))


def survey_results(survey: Survey) -> SurveyResults:
    questions = list(
        survey.questions.order_by("order", "pk").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
        )
    )
    answers = Answer.objects.filter(question__survey=survey).order_by()
    option_counts = dict(
        answers.filter(option__isnull=False).values_list("option").annotate(n=Count("pk"))
    )
    rating_counts: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, rating, n in (
        answers.filter(rating__isnull=False)
        .values_list("question", "rating")
        .annotate(n=Count("pk"))
    ):
        rating_counts[question_id][rating] = n
    texts: dict[int, list[TextAnswer]] = defaultdict(list)
    for question_id, text, name, email, submitted_at in (
        answers.exclude(text="")
        .order_by("-response__submitted_at", "-pk")
        .values_list(
            "question",
            "text",
            "response__respondent__display_name",
            "response__respondent__email",
            "response__submitted_at",
        )
    ):
        texts[question_id].append(TextAnswer(text, name or email, submitted_at))

    results = []
    for question in questions:
        result = QuestionResult(question)
        if question.type == Question.Type.MCQ:
            counts = [
                (option.text, option_counts.get(option.pk, 0)) for option in question.options.all()
            ]
            result.answered = sum(n for _, n in counts)
            result.bars = [Bar(label, n, result.answered) for label, n in counts]
        elif question.is_rating:
            counts = rating_counts.get(question.pk, {})
            result.answered = sum(counts.values())
            result.bars = [
                Bar(str(value), counts.get(value, 0), result.answered) for value in question.scale
            ]
            if result.answered:
                total = sum(value * n for value, n in counts.items())
                result.average = round(total / result.answered, 1)
        else:
            result.texts = texts.get(question.pk, [])
            result.answered = len(result.texts)
        results.append(result)

    return SurveyResults(
        survey=survey,
        response_count=survey.responses.count(),
        participant_count=plan_participants(survey.milestone.plan_id).count(),
        questions=results,
    )


@dataclass(frozen=True)
class ResponseRow:
    """One response: who answered, when, and the answer to each question by question id
    (the option's text, the rating or the text)."""

    name: str
    email: str
    submitted_at: datetime.datetime
    answers: dict[int, str | int]

    def answer_to(self, question: Question) -> str | int:
        return self.answers.get(question.pk, "")


@dataclass(frozen=True)
class ResponseTable:
    questions: list[Question]
    rows: list[ResponseRow]


def survey_rows(survey: Survey) -> ResponseTable:
    """The survey's questions in order, and one row per response, oldest first."""
    questions = list(survey.questions.order_by("order", "pk"))
    by_response: dict[int, dict[int, str | int]] = defaultdict(dict)
    for response_id, question_id, option_text, rating, text in (
        Answer.objects.filter(response__survey=survey)
        .order_by()
        .values_list("response", "question", "option__text", "rating", "text")
    ):
        value = option_text if option_text is not None else rating
        by_response[response_id][question_id] = text if value is None else value
    rows = [
        ResponseRow(
            name=name,
            email=email,
            submitted_at=submitted_at,
            answers=by_response.get(pk, {}),
        )
        for pk, name, email, submitted_at in survey.responses.order_by(
            "submitted_at", "pk"
        ).values_list("pk", "respondent__display_name", "respondent__email", "submitted_at")
    ]
    return ResponseTable(questions, rows)


def survey_results_csv(survey: Survey, table: ResponseTable) -> CsvTable:
    """The responses as a CSV: a row per response, a column per question, times in the
    current time zone."""
    return CsvTable(
        f"{slugify(survey.title) or 'survey'}-results.csv",
        [
            _("Respondent"),
            _("Email"),
            _("Submitted at"),
            *(question.text for question in table.questions),
        ],
        (
            [
                row.name,
                row.email,
                timezone.localtime(row.submitted_at).isoformat(),
                *(row.answer_to(question) for question in table.questions),
            ]
            for row in table.rows
        ),
    )
