import pytest
from django.urls import reverse

from surveys.models import Question
from tests.factories import McqQuestionFactory, QuestionFactory


@pytest.fixture
def active_questions(survey):
    """The milestone's active survey, one question of each type; only the last is optional."""
    survey.is_active = True
    survey.save()
    return {
        "mcq": McqQuestionFactory(
            survey=survey, order=0, text="How was the pace?", options=["Slow", "Right", "Fast"]
        ),
        "text": QuestionFactory(
            survey=survey, order=1, type=Question.Type.TEXT, text="What will you apply first?"
        ),
        "rating": QuestionFactory(
            survey=survey,
            order=2,
            type=Question.Type.RATING,
            scale_max=7,
            text="How useful were the exercises?",
        ),
        "stars": QuestionFactory(
            survey=survey,
            order=3,
            type=Question.Type.OVERALL_RATING,
            text="Rate your overall experience",
        ),
        "feedback": QuestionFactory(
            survey=survey,
            order=4,
            type=Question.Type.OVERALL_TEXT,
            required=False,
            text="Anything else?",
        ),
    }


@pytest.fixture
def answer_url(milestone):
    return reverse("surveys:answer", args=[milestone.plan_id, milestone.pk])


@pytest.fixture
def form_answers(active_questions) -> dict[str, str]:
    """Every question answered, as the answer page posts it."""
    questions = active_questions
    return {
        f"q{questions['mcq'].pk}": str(questions["mcq"].options.get(text="Right").pk),
        f"q{questions['text'].pk}": "A daily stand-up.",
        f"q{questions['rating'].pk}": "6",
        f"q{questions['stars'].pk}": "4",
        f"q{questions['feedback'].pk}": "Well paced.",
    }


@pytest.fixture
def answer_values(active_questions) -> dict:
    """The required questions answered, as `response_submit` takes them."""
    questions = active_questions
    return {
        questions["mcq"].pk: questions["mcq"].options.first(),
        questions["text"].pk: "Yes",
        questions["rating"].pk: 3,
        questions["stars"].pk: 5,
    }
