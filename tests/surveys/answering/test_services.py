import pytest
from django.core.exceptions import ValidationError

from surveys.answering import selectors, services
from surveys.models import Answer, Response
from tests.factories import McqQuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def test_every_answer_is_saved_with_its_question(participant, survey, active_questions):
    questions = active_questions
    right = questions["mcq"].options.get(text="Right")
    response = services.response_submit(
        survey=survey,
        respondent=participant,
        answers={
            questions["mcq"].pk: right,
            questions["text"].pk: "  A daily stand-up. ",
            questions["rating"].pk: 6,
            questions["stars"].pk: 4,
            questions["feedback"].pk: "",
        },
    )
    answers = {answer.question_id: answer for answer in response.answers.all()}
    assert answers[questions["mcq"].pk].option == right
    assert answers[questions["text"].pk].text == "A daily stand-up."
    assert answers[questions["rating"].pk].rating == 6
    assert answers[questions["stars"].pk].rating == 4
    assert questions["feedback"].pk not in answers


class TestRefusals:
    def test_an_inactive_survey_takes_no_answers(self, participant, active_questions, survey):
        survey.is_active = False
        with pytest.raises(ValidationError, match="closed"):
            services.response_submit(survey=survey, respondent=participant, answers={})

    def test_only_participants_answer(self, project_admin, survey, answer_values):
        with pytest.raises(ValidationError, match="participants"):
            services.response_submit(survey=survey, respondent=project_admin, answers=answer_values)

    def test_missing_required_answers_are_keyed_by_question(
        self, participant, active_questions, survey
    ):
        with pytest.raises(ValidationError) as refused:
            services.response_submit(survey=survey, respondent=participant, answers={})
        assert set(refused.value.message_dict) == {
            str(active_questions[key].pk) for key in ("mcq", "text", "rating", "stars")
        }
        assert not Response.objects.exists()

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            ("rating", 8, "Choose a number from 1 to 7."),
            ("rating", True, "Choose a number from 1 to 7."),
            ("stars", "5", "Choose a number from 1 to 5."),
            ("text", 3, "Write your answer as text."),
        ],
    )
    def test_an_answer_must_fit_its_question(
        self, participant, survey, active_questions, answer_values, key, value, message
    ):
        answers = answer_values | {active_questions[key].pk: value}
        with pytest.raises(ValidationError) as refused:
            services.response_submit(survey=survey, respondent=participant, answers=answers)
        assert refused.value.message_dict == {str(active_questions[key].pk): [message]}
        assert not Response.objects.exists()

    def test_an_option_of_another_question_is_refused(
        self, participant, survey, active_questions, answer_values
    ):
        stranger = McqQuestionFactory().options.first()
        answers = answer_values | {active_questions["mcq"].pk: stranger}
        with pytest.raises(ValidationError, match="Choose one of the options"):
            services.response_submit(survey=survey, respondent=participant, answers=answers)


class TestAnsweringOnce:
    def test_a_second_submission_is_refused_and_changes_nothing(
        self, participant, survey, answer_values
    ):
        first = services.response_submit(
            survey=survey, respondent=participant, answers=answer_values
        )
        with pytest.raises(services.AlreadyAnswered) as refused:
            services.response_submit(survey=survey, respondent=participant, answers=answer_values)
        assert refused.value.submitted_at == first.submitted_at
        assert Response.objects.get() == first
        assert Answer.objects.count() == 4

    def test_two_submissions_at_once_leave_one_response(
        self, participant, survey, answer_values, monkeypatch
    ):
        """Both requests pass the "answered already?" check before either has saved; the
        unique constraint refuses the second."""
        ResponseFactory(survey=survey, respondent=participant)
        real_response_for = selectors.response_for
        calls = []

        def not_yet_on_first_look(**kwargs):
            calls.append(kwargs)
            return None if len(calls) == 1 else real_response_for(**kwargs)

        monkeypatch.setattr(selectors, "response_for", not_yet_on_first_look)
        with pytest.raises(services.AlreadyAnswered):
            services.response_submit(survey=survey, respondent=participant, answers=answer_values)
        assert len(calls) == 2
        assert Response.objects.count() == 1
        assert not Answer.objects.exists()
