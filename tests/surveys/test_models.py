"""The rules a question keeps whatever saves it: the builder's services, the admin site, a
command or any model form."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from surveys.models import Question
from tests.factories import AnswerFactory, McqQuestionFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def refusal(question: Question) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    return refused.value.message_dict


@pytest.fixture
def answered_rating():
    """A rating out of 5 that two people have answered."""
    question = QuestionFactory(type=Question.Type.RATING, scale_max=5, text="Rate the trainer")
    for rating in (3, 4):
        AnswerFactory(response__survey=question.survey, question=question, rating=rating, text="")
    return question


class TestAnAnsweredQuestion:
    def test_keeps_its_type(self, answered_rating):
        answered_rating.type = Question.Type.TEXT
        assert refusal(answered_rating) == {
            "type": [
                "2 people have answered this question, so its type cannot change. To ask it "
                "differently, duplicate the survey and make the copy active."
            ]
        }

    def test_keeps_its_scale(self, answered_rating):
        answered_rating.scale_max = 10
        assert refusal(answered_rating) == {
            "scale_max": [
                "2 people have answered this question on a scale of 1 to 5, so the scale "
                "cannot change."
            ]
        }

    def test_keeps_its_type_when_it_is_multiple_choice(self):
        question = McqQuestionFactory()
        AnswerFactory(
            response__survey=question.survey, question=question, option=question.options.first()
        )
        question.type = Question.Type.TEXT
        assert "1 person has answered this question" in refusal(question)["type"][0]

    def test_may_be_reworded_and_made_optional(self, answered_rating):
        answered_rating.text = "Rate your trainer"
        answered_rating.required = False
        answered_rating.full_clean()

    def test_is_refused_by_a_model_form_too(self, answered_rating):
        """What the admin site or any other form built on the model would show."""
        form = modelform_factory(Question, fields=["survey", "text", "type", "scale_max"])(
            {
                "survey": answered_rating.survey_id,
                "text": answered_rating.text,
                "type": Question.Type.RATING,
                "scale_max": 7,
            },
            instance=answered_rating,
        )
        assert not form.is_valid()
        assert "so the scale cannot change" in form.errors["scale_max"][0]
        answered_rating.refresh_from_db()
        assert answered_rating.scale_max == 5


class TestAnUnansweredQuestion:
    def test_may_change_its_type_and_scale(self):
        question = QuestionFactory(type=Question.Type.TEXT)
        question.type = Question.Type.RATING
        question.scale_max = 7
        question.full_clean()

    def test_answers_to_other_questions_do_not_lock_it(self, answered_rating):
        question = QuestionFactory(survey=answered_rating.survey, type=Question.Type.RATING)
        question.scale_max = 9
        question.full_clean()


class TestOverallQuestions:
    @pytest.mark.parametrize(
        ("type", "message"),
        [
            (
                Question.Type.OVERALL_RATING,
                "This survey already has an overall star rating question.",
            ),
            (
                Question.Type.OVERALL_TEXT,
                "This survey already has an overall text feedback question.",
            ),
        ],
    )
    def test_one_of_each_per_survey(self, type, message):
        survey = SurveyFactory()
        QuestionFactory(survey=survey, type=type)
        assert refusal(QuestionFactory.build(survey=survey, type=type)) == {"type": [message]}
        QuestionFactory.build(survey=SurveyFactory(), type=type).full_clean()

    def test_the_overall_question_itself_may_be_saved_again(self):
        question = QuestionFactory(type=Question.Type.OVERALL_RATING)
        question.text = "How was the milestone overall?"
        question.full_clean()

    def test_an_overall_rating_is_out_of_five_stars(self):
        question = QuestionFactory.build(
            survey=SurveyFactory(), type=Question.Type.OVERALL_RATING, scale_max=7
        )
        assert refusal(question) == {"scale_max": ["An overall star rating is out of 5."]}
