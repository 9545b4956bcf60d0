import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bip.models import PlanMembership
from surveys import answering
from surveys.models import Answer, Question, Response
from tests.factories import MilestoneFactory, PlanMembershipFactory, UserFactory
from tests.surveys.factories import McqQuestionFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(survey):
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
def participant_client(client, participant):
    client.force_login(participant)
    return client


def full_answers(questions) -> dict[str, str]:
    return {
        f"q{questions['mcq'].pk}": str(questions["mcq"].options.get(text="Right").pk),
        f"q{questions['text'].pk}": "A daily stand-up.",
        f"q{questions['rating'].pk}": "6",
        f"q{questions['stars'].pk}": "4",
        f"q{questions['feedback'].pk}": "Well paced.",
    }


class TestAnswerPage:
    def test_each_question_type_gets_its_input(self, participant_client, answer_url, questions):
        page = participant_client.get(answer_url)
        assert page.status_code == 200
        html = page.text
        mcq, rating, stars = questions["mcq"], questions["rating"], questions["stars"]
        for option in mcq.options.all():
            assert f'type="radio" name="q{mcq.pk}" value="{option.pk}"' in html
            assert option.text in html
        assert f'<textarea name="q{questions["text"].pk}"' in html
        assert f'<textarea name="q{questions["feedback"].pk}"' in html
        for value in range(1, 8):
            assert f'type="radio" name="q{rating.pk}" value="{value}" class="btn-check"' in html
        assert f'name="q{rating.pk}" value="8"' not in html
        for value in range(1, 6):
            assert (
                f'type="radio" name="q{stars.pk}" value="{value}" class="cairn-star-input"' in html
            )
        assert '<span class="visually-hidden">1 star</span>' in html
        assert '<span class="visually-hidden">5 stars</span>' in html
        assert "style=" not in html

    def test_answers_are_saved_and_the_participant_thanked(
        self, participant_client, participant, answer_url, questions
    ):
        response = participant_client.post(answer_url, full_answers(questions), follow=True)
        assert response.redirect_chain == [(reverse("home"), 302)]
        assert "Thank you for answering" in response.text
        saved = Response.objects.get(respondent=participant)
        answers = {answer.question_id: answer for answer in saved.answers.all()}
        assert answers[questions["mcq"].pk].option.text == "Right"
        assert answers[questions["text"].pk].text == "A daily stand-up."
        assert answers[questions["rating"].pk].rating == 6
        assert answers[questions["stars"].pk].rating == 4
        assert answers[questions["feedback"].pk].text == "Well paced."

    def test_a_safe_next_address_is_followed_and_another_site_is_not(
        self, participant_client, answer_url, questions, participant
    ):
        data = full_answers(questions) | {"next": "/plans/"}
        assert participant_client.post(answer_url, data).url == "/plans/"
        Response.objects.all().delete()
        data["next"] = "https://evil.example/phish"
        assert participant_client.post(answer_url, data).url == reverse("home")

    def test_required_questions_are_enforced_and_what_was_typed_is_kept(
        self, participant_client, answer_url, questions
    ):
        data = full_answers(questions)
        del data[f"q{questions['mcq'].pk}"]
        data[f"q{questions['stars'].pk}"] = ""
        data[f"q{questions['text'].pk}"] = "   "
        page = participant_client.post(answer_url, data)
        assert page.status_code == 200
        assert not Response.objects.exists()
        for key in ("mcq", "stars", "text"):
            pk = questions[key].pk
            assert (
                f'id="q{pk}-error" class="text-danger small mt-2" data-testid="question-error">'
                in page.text
            )
        assert page.text.count("Please answer this question.") == 3
        rating = questions["rating"].pk
        assert f'name="q{rating}" value="6" class="btn-check" id="id_q{rating}_5" checked' in (
            page.text
        )
        assert "Well paced.</textarea>" in page.text

    def test_an_optional_question_may_be_left_blank(
        self, participant_client, participant, answer_url, questions
    ):
        data = full_answers(questions)
        data[f"q{questions['feedback'].pk}"] = ""
        assert participant_client.post(answer_url, data).status_code == 302
        saved = Response.objects.get(respondent=participant)
        assert not saved.answers.filter(question=questions["feedback"]).exists()
        assert saved.answers.count() == 4

    def test_a_rating_outside_the_scale_is_refused(self, participant_client, answer_url, questions):
        data = full_answers(questions) | {f"q{questions['rating'].pk}": "8"}
        page = participant_client.post(answer_url, data)
        assert page.status_code == 200
        assert "Select a valid choice" in page.text
        assert not Response.objects.exists()

    def test_an_option_of_another_question_is_refused(
        self, participant_client, answer_url, questions
    ):
        other = McqQuestionFactory()
        data = full_answers(questions) | {f"q{questions['mcq'].pk}": str(other.options.first().pk)}
        assert participant_client.post(answer_url, data).status_code == 200
        assert not Response.objects.exists()


class TestAnsweringOnce:
    def test_a_second_submission_is_refused_and_changes_nothing(
        self, participant_client, participant, answer_url, questions
    ):
        participant_client.post(answer_url, full_answers(questions))
        first = Response.objects.get(respondent=participant)
        data = full_answers(questions) | {f"q{questions['text'].pk}": "Something else"}
        page = participant_client.post(answer_url, data)
        assert page.status_code == 200
        assert "You have already answered this survey on" in page.text
        assert Response.objects.get() == first
        assert Answer.objects.filter(text="Something else").count() == 0

    def test_the_page_says_so_once_answered(
        self, participant_client, participant, answer_url, questions, survey
    ):
        ResponseFactory(
            survey=survey,
            respondent=participant,
            submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10)),
        )
        page = participant_client.get(answer_url)
        assert "You have already answered this survey on 4 March 2026." in page.text
        assert '<form method="post" novalidate>' not in page.text

    def test_two_submissions_at_once_leave_one_response(
        self, participant, questions, survey, monkeypatch
    ):
        """Both requests pass the "answered already?" check before either has saved; the
        unique constraint refuses the second."""
        ResponseFactory(survey=survey, respondent=participant)
        real_response_for = answering.response_for
        calls = []

        def not_yet_on_first_look(**kwargs):
            calls.append(kwargs)
            return None if len(calls) == 1 else real_response_for(**kwargs)

        monkeypatch.setattr(answering, "response_for", not_yet_on_first_look)
        answers = {questions["stars"].pk: 5}
        for key in ("mcq", "text", "rating"):
            questions[key].required = False
            questions[key].save()
        with pytest.raises(answering.AlreadyAnswered):
            answering.response_submit(survey=survey, respondent=participant, answers=answers)
        assert len(calls) == 2
        assert Response.objects.count() == 1
        assert not Answer.objects.exists()

    def test_the_race_is_refused_politely_in_the_page(
        self, participant_client, participant, answer_url, questions, survey, monkeypatch
    ):
        ResponseFactory(survey=survey, respondent=participant)
        monkeypatch.setattr(answering, "response_for", _none_then_real(answering.response_for))
        page = participant_client.post(answer_url, full_answers(questions))
        assert page.status_code == 200
        assert "You have already answered this survey on" in page.text
        assert Response.objects.count() == 1


def _none_then_real(real):
    seen = []

    def lookup(**kwargs):
        seen.append(1)
        return None if len(seen) == 1 else real(**kwargs)

    return lookup


class TestResponseSubmitRules:
    def test_an_inactive_survey_takes_no_answers(self, participant, questions, survey):
        survey.is_active = False
        with pytest.raises(ValidationError, match="closed"):
            answering.response_submit(survey=survey, respondent=participant, answers={})

    def test_only_participants_answer(self, project_admin, questions, survey):
        with pytest.raises(ValidationError, match="participants"):
            answering.response_submit(
                survey=survey, respondent=project_admin, answers=full_answers_values(questions)
            )

    def test_missing_required_answers_are_keyed_by_question(self, participant, questions, survey):
        with pytest.raises(ValidationError) as refused:
            answering.response_submit(survey=survey, respondent=participant, answers={})
        assert set(refused.value.message_dict) == {
            str(questions[key].pk) for key in ("mcq", "text", "rating", "stars")
        }
        assert not Response.objects.exists()


def full_answers_values(questions):
    return {
        questions["mcq"].pk: questions["mcq"].options.first(),
        questions["text"].pk: "Yes",
        questions["rating"].pk: 3,
        questions["stars"].pk: 5,
    }


class TestAccess:
    def test_an_inactive_survey_is_not_found(self, participant_client, answer_url, survey):
        QuestionFactory(survey=survey)
        assert participant_client.get(answer_url).status_code == 404

    def test_a_milestone_without_a_survey_is_not_found(self, participant_client, milestone):
        other = MilestoneFactory(plan=milestone.plan)
        url = reverse("surveys:answer", args=[other.plan_id, other.pk])
        assert participant_client.get(url).status_code == 404

    @pytest.mark.parametrize(
        "who", ["project_admin", "other_plans_admin", "outsider", "other_participant", "staff"]
    )
    def test_only_the_plans_participants_may_answer(
        self, client, request, who, answer_url, questions
    ):
        if who == "other_participant":
            user = PlanMembershipFactory(role=PlanMembership.Role.PARTICIPANT).user
        elif who == "staff":
            user = UserFactory(is_staff=True)
        else:
            user = request.getfixturevalue(who)
        client.force_login(user)
        assert client.get(answer_url).status_code == 404
        assert client.post(answer_url, full_answers(questions)).status_code == 404
        assert not Response.objects.exists()

    def test_a_milestone_of_another_plan_is_not_found(self, participant_client, questions):
        elsewhere = MilestoneFactory()
        url = reverse("surveys:answer", args=[elsewhere.plan_id, elsewhere.pk])
        assert participant_client.get(url).status_code == 404

    def test_the_plan_in_the_address_must_be_the_milestones(
        self, client, participant, milestone, questions
    ):
        other = PlanMembershipFactory(user=participant, role=PlanMembership.Role.PARTICIPANT)
        client.force_login(participant)
        url = reverse("surveys:answer", args=[other.plan_id, milestone.pk])
        assert client.get(url).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, answer_url, questions):
        response = client.get(answer_url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


class TestParticipantSurveyCard:
    def test_no_active_survey(self, milestone, participant, survey):
        card = answering.participant_survey(milestone, participant)
        assert card == {"survey": None, "answered": False, "answered_at": None, "answer_url": None}

    def test_to_answer_then_answered(
        self, milestone, participant, questions, survey, answer_url, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            card = answering.participant_survey(milestone, participant)
        assert card["survey"] == survey
        assert card["answered"] is False
        assert card["answer_url"] == answer_url
        response = ResponseFactory(survey=survey, respondent=participant)
        card = answering.participant_survey(milestone, participant)
        assert card["answered"] is True
        assert card["answered_at"] == response.submitted_at

    def test_the_partial(self, rf, milestone, participant, questions, survey):
        from django.template.loader import render_to_string

        request = rf.get("/plans/1/milestones/2/")
        request.user = participant
        html = render_to_string(
            "surveys/_participant_survey.html",
            {"participant_survey": answering.participant_survey(milestone, participant)},
            request=request,
        )
        assert f"Survey: {survey.title}" in html
        assert "Answer the survey" in html
        assert "?next=/plans/1/milestones/2/" in html
        ResponseFactory(
            survey=survey,
            respondent=participant,
            submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10)),
        )
        html = render_to_string(
            "surveys/_participant_survey.html",
            {"participant_survey": answering.participant_survey(milestone, participant)},
            request=request,
        )
        assert "You answered on 4 March 2026. Thank you." in html
        assert "Answer the survey" not in html
        survey.is_active = False
        survey.save()
        html = render_to_string(
            "surveys/_participant_survey.html",
            {"participant_survey": answering.participant_survey(milestone, participant)},
            request=request,
        )
        assert html.strip() == ""
