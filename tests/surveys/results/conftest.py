import pytest

from surveys.models import Question
from tests.factories import McqQuestionFactory, QuestionFactory
from tests.surveys.results.responses import participant_of, respond


@pytest.fixture
def survey_questions(survey):
    return {
        "mcq": McqQuestionFactory(
            survey=survey, order=0, text="How was the pace?", options=["Slow", "Right", "Fast"]
        ),
        "rating": QuestionFactory(
            survey=survey, order=1, type=Question.Type.RATING, scale_max=4, text="Useful?"
        ),
        "stars": QuestionFactory(
            survey=survey, order=2, type=Question.Type.OVERALL_RATING, text="Overall"
        ),
        "text": QuestionFactory(
            survey=survey, order=3, type=Question.Type.OVERALL_TEXT, text="Anything else?"
        ),
    }


@pytest.fixture
def three_of_four_answered(plan, survey, survey_questions):
    """Four participants; Ana, Ben and Cy answered, Ben with a text a spreadsheet would run."""
    questions = survey_questions
    ana = participant_of(plan, "Ana Silva", "ana@example.com")
    ben = participant_of(plan, "Ben Ode", "ben@example.com")
    cy = participant_of(plan, "Cy Park", "cy@example.com")
    participant_of(plan, "Dee Quiet", "dee@example.com")
    respond(survey, ana, questions, option="Right", rating=4, stars=5, text="Great day.", day=1)
    respond(survey, ben, questions, option="Right", rating=3, stars=4, text="=SUM(A1)", day=3)
    respond(survey, cy, questions, option="Fast", rating=None, stars=4, day=2)
    return ana, ben, cy
