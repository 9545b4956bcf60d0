import datetime
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bip.models import PlanMembership
from surveys.answering import selectors
from surveys.models import Answer, Response
from tests.factories import (
    McqQuestionFactory,
    MilestoneFactory,
    PlanMembershipFactory,
    QuestionFactory,
    ResponseFactory,
    UserFactory,
)
from tests.pages import UNFOLLOWABLE_NEXTS, controls, visible_text

pytestmark = pytest.mark.django_db


class TestAnswerPage:
    def test_each_question_type_gets_its_input(
        self, participant_client, answer_url, active_questions
    ):
        page = participant_client.get(answer_url)
        assert page.status_code == 200
        mcq, rating, stars = (active_questions[key] for key in ("mcq", "rating", "stars"))

        def offered(question):
            return [
                (control["tag"], control.get("type"), control.get("value"))
                for control in controls(page, f"q{question.pk}")
            ]

        assert offered(mcq) == [("input", "radio", str(o.pk)) for o in mcq.options.all()]
        assert offered(active_questions["text"]) == [("textarea", None, "")]
        assert offered(active_questions["feedback"]) == [("textarea", None, "")]
        assert offered(rating) == [("input", "radio", str(n)) for n in range(1, 8)]
        assert offered(stars) == [("input", "radio", str(n)) for n in range(1, 6)]
        text = visible_text(page)
        for wording in ("Slow", "Right", "Fast", "1 out of 7", "7 out of 7", "1 star", "5 stars"):
            assert wording in text
        # Inline styles would break the content security policy.
        assert "style=" not in page.text

    def test_answers_are_saved_and_the_participant_thanked(
        self, participant_client, participant, answer_url, form_answers
    ):
        response = participant_client.post(answer_url, form_answers, follow=True)
        assert response.redirect_chain == [(reverse("home"), 302)]
        assert "Thank you for answering “Training Feedback”." in visible_text(response)
        saved = Response.objects.get(respondent=participant)
        assert sorted(
            str(answer.option or answer.rating or answer.text) for answer in saved.answers.all()
        ) == ["4", "6", "A daily stand-up.", "Right", "Well paced."]

    def test_a_safe_next_address_is_followed_and_another_site_is_not(
        self, participant_client, answer_url, form_answers
    ):
        data = form_answers | {"next": "/plans/"}
        assert participant_client.post(answer_url, data).url == "/plans/"
        for next_ in UNFOLLOWABLE_NEXTS:
            Response.objects.all().delete()
            data["next"] = next_
            assert participant_client.post(answer_url, data).url == reverse("home")
            assert Response.objects.count() == 1

    def test_the_way_back_leads_where_the_participant_came_from(
        self, participant_client, answer_url, active_questions
    ):
        page = participant_client.get(f"{answer_url}?next=/plans/")
        assert controls(page, "next")[0]["value"] == "/plans/"

    def test_required_questions_are_pointed_out_and_what_was_typed_is_kept(
        self, participant_client, answer_url, active_questions, form_answers
    ):
        questions = active_questions
        data = form_answers
        del data[f"q{questions['mcq'].pk}"]
        data[f"q{questions['stars'].pk}"] = ""
        data[f"q{questions['text'].pk}"] = "   "
        page = participant_client.post(answer_url, data)
        assert page.status_code == 200
        assert not Response.objects.exists()

        text = visible_text(page)
        assert "Some answers are missing or need a change" in text
        assert text.count("Please answer this question.") == 3
        # Each message shows under its own question.
        starts = [text.index(question.text) for question in questions.values()]
        below = [text[a:b] for a, b in pairwise([*starts, len(text)])]
        assert ["Please answer this question." in part for part in below] == [
            True,
            True,
            False,
            True,
            False,
        ]
        chosen = [
            c["value"] for c in controls(page, f"q{questions['rating'].pk}") if "checked" in c
        ]
        assert chosen == ["6"]
        assert controls(page, f"q{questions['feedback'].pk}")[0]["value"] == "Well paced."

    def test_an_optional_question_may_be_left_blank(
        self, participant_client, participant, answer_url, active_questions, form_answers
    ):
        data = form_answers | {f"q{active_questions['feedback'].pk}": ""}
        assert participant_client.post(answer_url, data).status_code == 302
        saved = Response.objects.get(respondent=participant)
        assert not saved.answers.filter(question=active_questions["feedback"]).exists()
        assert saved.answers.count() == 4

    def test_a_rating_outside_the_scale_is_refused(
        self, participant_client, answer_url, active_questions, form_answers
    ):
        data = form_answers | {f"q{active_questions['rating'].pk}": "8"}
        page = participant_client.post(answer_url, data)
        assert page.status_code == 200
        assert "Select a valid choice" in visible_text(page)
        assert not Response.objects.exists()

    def test_an_option_of_another_question_is_refused(
        self, participant_client, answer_url, active_questions, form_answers
    ):
        other = McqQuestionFactory()
        data = form_answers | {f"q{active_questions['mcq'].pk}": str(other.options.first().pk)}
        assert participant_client.post(answer_url, data).status_code == 200
        assert not Response.objects.exists()


class TestAnsweringOnce:
    def test_a_second_submission_is_refused_and_changes_nothing(
        self, participant_client, participant, answer_url, active_questions, form_answers
    ):
        participant_client.post(answer_url, form_answers)
        first = Response.objects.get(respondent=participant)
        data = form_answers | {f"q{active_questions['text'].pk}": "Something else"}
        page = participant_client.post(answer_url, data)
        assert page.status_code == 200
        assert "You have already answered this survey on" in visible_text(page)
        assert Response.objects.get() == first
        assert not Answer.objects.filter(text="Something else").exists()

    def test_the_page_says_so_once_answered(
        self, participant_client, participant, answer_url, active_questions, survey
    ):
        ResponseFactory(
            survey=survey,
            respondent=participant,
            submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10)),
        )
        text = visible_text(participant_client.get(answer_url))
        assert "You have already answered this survey on 4 March 2026." in text
        assert "Submit answers" not in text

    def test_the_race_is_refused_politely_in_the_page(
        self, participant_client, participant, answer_url, survey, form_answers, monkeypatch
    ):
        """A submission that slipped past the page's own look (another tab saved first)."""
        real_response_for = selectors.response_for
        seen = []

        def not_yet_on_first_look(**kwargs):
            seen.append(kwargs)
            return None if len(seen) == 1 else real_response_for(**kwargs)

        monkeypatch.setattr(selectors, "response_for", not_yet_on_first_look)
        ResponseFactory(survey=survey, respondent=participant)
        page = participant_client.post(answer_url, form_answers)
        assert page.status_code == 200
        assert "You have already answered this survey on" in visible_text(page)
        assert len(seen) == 2
        assert Response.objects.count() == 1


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
        self, client, request, who, answer_url, form_answers
    ):
        if who == "other_participant":
            user = PlanMembershipFactory(role=PlanMembership.Role.PARTICIPANT).user
        elif who == "staff":
            user = UserFactory(is_staff=True)
        else:
            user = request.getfixturevalue(who)
        client.force_login(user)
        assert client.get(answer_url).status_code == 404
        assert client.post(answer_url, form_answers).status_code == 404
        assert not Response.objects.exists()

    def test_a_milestone_of_another_plan_is_not_found(self, participant_client, active_questions):
        elsewhere = MilestoneFactory()
        url = reverse("surveys:answer", args=[elsewhere.plan_id, elsewhere.pk])
        assert participant_client.get(url).status_code == 404

    def test_the_plan_in_the_address_must_be_the_milestones(
        self, client, participant, milestone, active_questions
    ):
        other = PlanMembershipFactory(user=participant, role=PlanMembership.Role.PARTICIPANT)
        client.force_login(participant)
        url = reverse("surveys:answer", args=[other.plan_id, milestone.pk])
        assert client.get(url).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, answer_url, active_questions):
        response = client.get(answer_url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_answer_page_takes_a_fixed_number_of_queries(
    participant_client, answer_url, survey, active_questions
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert participant_client.get(answer_url).status_code == 200
        return len(queries)

    expected = count()
    for n in range(4):
        McqQuestionFactory(survey=survey, order=10 + n, options=["A", "B", "C", "D"])
    assert count() == expected
