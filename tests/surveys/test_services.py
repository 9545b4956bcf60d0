import pytest
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError

from surveys import services
from surveys.models import Answer, Option, Question, Response, Survey
from surveys.services import OptionEdit
from tests.factories import (
    AnswerFactory,
    McqQuestionFactory,
    MilestoneFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


def error_for(raised: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(raised.value.message_dict[field])


def edit(question: Question, **changes) -> Question:
    """Save the question with these changes and everything else as it is."""
    kwargs = {
        "type": question.type,
        "text": question.text,
        "required": question.required,
        "scale_max": question.scale_max,
        "options": [
            OptionEdit(pk=option.pk, text=option.text) for option in question.options.all()
        ],
    }
    return services.question_update(question=question, **{**kwargs, **changes})


class TestActivation:
    def test_activating_a_survey_deactivates_the_milestones_active_one(self):
        milestone = MilestoneFactory()
        first = SurveyFactory(milestone=milestone, is_active=True)
        second = SurveyFactory(milestone=milestone)

        services.survey_activate(survey=second)

        assert list(milestone.surveys.filter(is_active=True)) == [second]
        first.refresh_from_db()
        assert first.is_active is False

    def test_another_milestones_active_survey_stays_active(self):
        other = SurveyFactory(is_active=True)
        survey = SurveyFactory()

        services.survey_activate(survey=survey)

        other.refresh_from_db()
        assert other.is_active is True

    def test_activating_the_active_survey_keeps_it_active(self):
        survey = SurveyFactory(is_active=True)
        services.survey_activate(survey=survey)
        survey.refresh_from_db()
        assert survey.is_active is True

    def test_deactivating_leaves_the_milestone_without_an_active_survey(self):
        survey = SurveyFactory(is_active=True)
        services.survey_deactivate(survey=survey)
        assert not Survey.objects.filter(is_active=True).exists()


class TestMultipleChoice:
    @pytest.mark.parametrize(
        "options",
        [[], ["Only one"], ["Only one", "", "   "], ["Yes", "yes "]],
        ids=["none", "one", "one-and-blanks", "the-same-twice"],
    )
    def test_needs_two_different_options(self, options):
        survey = SurveyFactory()
        with pytest.raises(ValidationError) as raised:
            services.question_add(
                survey=survey, type=Question.Type.MCQ, text="Was it useful?", options=options
            )
        assert "options" in raised.value.message_dict
        assert not survey.questions.exists()

    def test_options_are_kept_in_order_without_blank_lines(self):
        question = services.question_add(
            survey=SurveyFactory(),
            type=Question.Type.MCQ,
            text="Was it useful?",
            options=[" Very useful ", "", "Useful", "Not useful"],
        )
        assert list(question.options.values_list("text", flat=True)) == [
            "Very useful",
            "Useful",
            "Not useful",
        ]

    def test_other_types_ignore_options(self):
        question = services.question_add(
            survey=SurveyFactory(),
            type=Question.Type.TEXT,
            text="Share your feedback in a few sentences",
            options=["Stray", "Lines"],
        )
        assert not question.options.exists()

    def test_an_edit_cannot_leave_fewer_than_two_options(self):
        question = McqQuestionFactory(options=["Yes", "No"])
        yes = question.options.get(text="Yes")
        with pytest.raises(ValidationError) as raised:
            edit(question, options=[OptionEdit(pk=yes.pk, text="Yes")])
        assert "at least two" in error_for(raised, "options")
        assert question.options.count() == 2

    def test_an_edit_cannot_borrow_another_questions_option(self):
        question = McqQuestionFactory()
        stranger = McqQuestionFactory().options.first()
        with pytest.raises(ValidationError):
            edit(
                question,
                options=[
                    *[OptionEdit(pk=o.pk, text=o.text) for o in question.options.all()],
                    OptionEdit(pk=stranger.pk, text="Taken over"),
                ],
            )
        stranger.refresh_from_db()
        assert stranger.question_id != question.pk

    def test_changing_a_multiple_choice_question_to_text_removes_its_options(self):
        question = McqQuestionFactory()
        edit(question, type=Question.Type.TEXT)
        assert not Option.objects.filter(question=question).exists()


class TestOncePerSurvey:
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
    def test_a_second_overall_question_is_refused(self, type, message):
        survey = SurveyFactory()
        services.question_add(survey=survey, type=type, text="Overall?")
        with pytest.raises(ValidationError) as raised:
            services.question_add(survey=survey, type=type, text="Overall again?")
        assert error_for(raised, "type") == message
        assert survey.questions.count() == 1

    def test_a_question_cannot_become_a_second_overall_rating(self):
        survey = SurveyFactory()
        QuestionFactory(survey=survey, type=Question.Type.OVERALL_RATING)
        text = QuestionFactory(survey=survey, type=Question.Type.TEXT)
        with pytest.raises(ValidationError) as raised:
            edit(text, type=Question.Type.OVERALL_RATING)
        assert "already has an overall star rating" in error_for(raised, "type")

    def test_the_overall_question_itself_can_be_edited(self):
        overall = QuestionFactory(type=Question.Type.OVERALL_RATING)
        edit(overall, text="How was the milestone overall?")
        overall.refresh_from_db()
        assert overall.text == "How was the milestone overall?"

    def test_each_survey_has_its_own_overall_questions(self):
        QuestionFactory(type=Question.Type.OVERALL_RATING)
        question = services.question_add(
            survey=SurveyFactory(), type=Question.Type.OVERALL_RATING, text="Overall?"
        )
        assert question.pk


class TestScale:
    @pytest.mark.parametrize("scale", [None, 0, 1, 11, 100])
    def test_a_rating_scale_goes_up_to_between_2_and_10(self, scale):
        survey = SurveyFactory()
        with pytest.raises(ValidationError) as raised:
            services.question_add(
                survey=survey,
                type=Question.Type.RATING,
                text="Rate your overall experience",
                scale_max=scale,
            )
        assert "2 to 10" in error_for(raised, "scale_max")
        assert not survey.questions.exists()

    @pytest.mark.parametrize("scale", [2, 5, 10])
    def test_a_rating_keeps_its_scale(self, scale):
        question = services.question_add(
            survey=SurveyFactory(),
            type=Question.Type.RATING,
            text="Rate your overall experience",
            scale_max=scale,
        )
        assert question.scale_max == scale

    def test_an_overall_rating_is_always_five_stars(self):
        question = services.question_add(
            survey=SurveyFactory(), type=Question.Type.OVERALL_RATING, text="Overall", scale_max=9
        )
        assert question.scale_max == Question.OVERALL_RATING_SCALE == 5

    def test_other_types_ignore_the_scale(self):
        question = services.question_add(
            survey=SurveyFactory(), type=Question.Type.TEXT, text="Anything else?", scale_max=99
        )
        assert question.scale_max == 5


class TestOrder:
    def test_new_questions_go_last(self):
        survey = SurveyFactory()
        first = services.question_add(survey=survey, type=Question.Type.TEXT, text="First")
        second = services.question_add(survey=survey, type=Question.Type.TEXT, text="Second")
        assert list(survey.questions.all()) == [first, second]

    def test_moving_a_question_up_and_down(self):
        survey = SurveyFactory()
        a, _, c = (QuestionFactory(survey=survey, order=0, text=text) for text in "abc")

        services.question_move(question=c, direction="up")
        assert [q.text for q in survey.questions.all()] == ["a", "c", "b"]

        services.question_move(question=a, direction="down")
        assert [q.text for q in survey.questions.all()] == ["c", "a", "b"]

    def test_the_first_question_cannot_go_up_nor_the_last_down(self):
        survey = SurveyFactory()
        a, b = QuestionFactory(survey=survey), QuestionFactory(survey=survey)
        services.question_move(question=a, direction="up")
        services.question_move(question=b, direction="down")
        assert list(survey.questions.all()) == [a, b]


class TestDuplicate:
    def test_copies_questions_and_options_but_no_responses(self):
        survey = SurveyFactory(title="Training Feedback", description="Why we ask", is_active=True)
        mcq = McqQuestionFactory(survey=survey, order=0, text="Useful?", required=False)
        QuestionFactory(survey=survey, order=1, type=Question.Type.RATING, scale_max=7)
        QuestionFactory(survey=survey, order=2, type=Question.Type.OVERALL_RATING)
        AnswerFactory(response__survey=survey, question=mcq, option=mcq.options.first())

        copy = services.survey_duplicate(survey=survey)

        assert copy.pk != survey.pk
        assert copy.milestone == survey.milestone
        assert copy.title == "Training Feedback (copy)"
        assert copy.description == "Why we ask"
        assert copy.is_active is False
        assert not copy.responses.exists()

        def shape(s):
            return [
                (
                    q.order,
                    q.text,
                    q.type,
                    q.required,
                    q.scale_max,
                    [o.text for o in q.options.all()],
                )
                for q in s.questions.prefetch_related("options")
            ]

        assert shape(copy) == shape(survey)
        assert not Question.objects.filter(survey=copy, pk__in=survey.questions.all()).exists()
        assert Response.objects.filter(survey=survey).count() == 1

    def test_a_long_title_still_fits(self):
        survey = SurveyFactory(title="x" * 200)
        copy = services.survey_duplicate(survey=survey)
        copy.full_clean()
        assert copy.title.endswith(" (copy)")


@pytest.fixture
def answered():
    """A survey one person has answered: an MCQ where they chose "Yes" and a rating out of 5.
    Nobody has answered its optional text question."""
    survey = SurveyFactory()
    mcq = McqQuestionFactory(survey=survey, order=0, text="Was it useful?")
    rating = QuestionFactory(
        survey=survey, order=1, type=Question.Type.RATING, scale_max=5, text="Rate the trainer"
    )
    unanswered = QuestionFactory(
        survey=survey, order=2, type=Question.Type.TEXT, required=False, text="Anything else?"
    )
    response = ResponseFactory(survey=survey)
    yes = mcq.options.get(text="Yes")
    AnswerFactory(response=response, question=mcq, option=yes, text="")
    AnswerFactory(response=response, question=rating, rating=4, text="")
    return {
        "survey": survey,
        "mcq": mcq,
        "yes": yes,
        "rating": rating,
        "unanswered": unanswered,
    }


class TestAnsweredSurveysAreRefused:
    def test_deleting_an_answered_question(self, answered):
        with pytest.raises(ValidationError) as raised:
            services.question_delete(question=answered["rating"])
        assert "1 person has answered “Rate the trainer”" in raised.value.messages[0]
        assert Question.objects.filter(pk=answered["rating"].pk).exists()

    def test_removing_an_option_someone_chose(self, answered):
        mcq = answered["mcq"]
        kept = [OptionEdit(pk=o.pk, text=o.text) for o in mcq.options.exclude(text="Yes")]
        with pytest.raises(ValidationError) as raised:
            edit(mcq, options=kept)
        assert "“Yes” was chosen in 1 answer" in error_for(raised, "options")
        assert mcq.options.filter(pk=answered["yes"].pk).exists()

    def test_changing_the_type_of_an_answered_question(self, answered):
        with pytest.raises(ValidationError) as raised:
            edit(answered["rating"], type=Question.Type.TEXT)
        assert "its type cannot change" in error_for(raised, "type")
        answered["rating"].refresh_from_db()
        assert answered["rating"].type == Question.Type.RATING

    def test_changing_the_scale_of_an_answered_rating(self, answered):
        with pytest.raises(ValidationError) as raised:
            edit(answered["rating"], scale_max=10)
        assert "the scale cannot change" in error_for(raised, "scale_max")
        answered["rating"].refresh_from_db()
        assert answered["rating"].scale_max == 5

    def test_the_database_protects_answered_questions_and_options(self, answered):
        with pytest.raises(RestrictedError):
            answered["rating"].delete()
        with pytest.raises(RestrictedError):
            answered["yes"].delete()


class TestAnsweredSurveysAllow:
    def test_a_new_title_and_description(self, answered):
        services.survey_update(survey=answered["survey"], title="Renamed", description="New")
        answered["survey"].refresh_from_db()
        assert (answered["survey"].title, answered["survey"].description) == ("Renamed", "New")

    def test_new_wording_and_required_flag(self, answered):
        edit(answered["rating"], text="Rate your trainer", required=False)
        answered["rating"].refresh_from_db()
        assert answered["rating"].text == "Rate your trainer"
        assert answered["rating"].required is False
        assert answered["rating"].answers.get().rating == 4

    def test_rewording_a_chosen_option_keeps_the_answer_on_it(self, answered):
        mcq, yes = answered["mcq"], answered["yes"]
        options = [
            OptionEdit(pk=o.pk, text="Yes, very" if o == yes else o.text) for o in mcq.options.all()
        ]
        edit(mcq, options=options)
        answer = Answer.objects.get(question=mcq)
        assert answer.option_id == yes.pk
        assert answer.option.text == "Yes, very"

    def test_adding_an_option(self, answered):
        mcq = answered["mcq"]
        options = [OptionEdit(pk=o.pk, text=o.text) for o in mcq.options.all()]
        edit(mcq, options=[*options, OptionEdit(text="Not sure")])
        assert list(mcq.options.values_list("text", flat=True)) == [
            "Yes",
            "Somewhat",
            "No",
            "Not sure",
        ]

    def test_removing_an_option_nobody_chose(self, answered):
        mcq = answered["mcq"]
        kept = [OptionEdit(pk=o.pk, text=o.text) for o in mcq.options.exclude(text="Somewhat")]
        edit(mcq, options=kept)
        assert list(mcq.options.values_list("text", flat=True)) == ["Yes", "No"]

    def test_adding_a_question(self, answered):
        question = services.question_add(
            survey=answered["survey"], type=Question.Type.OVERALL_TEXT, text="Anything to add?"
        )
        assert list(answered["survey"].questions.all())[-1] == question

    def test_deleting_a_question_nobody_answered(self, answered):
        services.question_delete(question=answered["unanswered"])
        assert not Question.objects.filter(pk=answered["unanswered"].pk).exists()

    def test_changing_an_unanswered_questions_type(self, answered):
        edit(answered["unanswered"], type=Question.Type.RATING, scale_max=7)
        answered["unanswered"].refresh_from_db()
        assert (answered["unanswered"].type, answered["unanswered"].scale_max) == ("RATING", 7)

    def test_deleting_the_survey_with_its_responses(self, answered):
        services.survey_delete(survey=answered["survey"])
        assert not Survey.objects.exists()
        assert not Question.objects.exists()
        assert not Response.objects.exists()
        assert not Answer.objects.exists()
