import datetime

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from surveys.answering.selectors import (
    ParticipantSurvey,
    get_survey_to_answer,
    participant_survey,
)
from tests.factories import ResponseFactory, SurveyFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

MARCH_4 = timezone.make_aware(datetime.datetime(2026, 3, 4, 10))


class TestParticipantSurvey:
    def test_nothing_to_answer_without_an_active_survey(self, milestone, participant, survey):
        assert participant_survey(milestone, participant) == ParticipantSurvey(None, None)
        card = participant_survey(milestone, participant)
        assert (card.answered, card.answer_url) == (False, None)

    def test_to_answer_then_answered_in_one_query(
        self,
        milestone,
        participant,
        active_questions,
        survey,
        answer_url,
        django_assert_num_queries,
    ):
        with django_assert_num_queries(1):
            card = participant_survey(milestone, participant)
            assert card.answer_url == answer_url
        assert card.survey == survey
        assert card.answered is False

        response = ResponseFactory(survey=survey, respondent=participant)
        card = participant_survey(milestone, participant)
        assert card.answered is True
        assert card.answered_at == response.submitted_at

    def test_someone_elses_answer_does_not_count(self, milestone, participant, active_questions):
        ResponseFactory(survey=active_questions["mcq"].survey)
        assert participant_survey(milestone, participant).answered is False

    def test_an_inactive_survey_of_the_milestone_is_not_the_one(
        self, milestone, participant, active_questions, survey
    ):
        ResponseFactory(survey=SurveyFactory(milestone=milestone), respondent=participant)
        card = participant_survey(milestone, participant)
        assert card.survey == survey
        assert card.answered is False


class TestTheCard:
    def render(self, rf, milestone, participant) -> str:
        request = rf.get("/plans/1/milestones/2/")
        request.user = participant
        return render_to_string(
            "surveys/_participant_survey.html",
            {"participant_survey": participant_survey(milestone, participant)},
            request=request,
        )

    def test_invites_to_answer_and_comes_back(
        self, rf, milestone, participant, active_questions, survey, answer_url
    ):
        milestone.starts_at = timezone.now() - datetime.timedelta(hours=2)
        milestone.ends_at = milestone.starts_at + datetime.timedelta(hours=1)
        milestone.save()
        html = self.render(rf, milestone, participant)
        assert "Survey: Training Feedback" in visible_text(html)
        assert "Answer the survey" in visible_text(html)
        assert f"{answer_url}?next=/plans/1/milestones/2/" in html

    def test_thanks_once_answered(self, rf, milestone, participant, active_questions, survey):
        ResponseFactory(survey=survey, respondent=participant, submitted_at=MARCH_4)
        text = visible_text(self.render(rf, milestone, participant))
        assert "You answered on 4 March 2026. Thank you." in text
        assert "Answer the survey" not in text

    def test_says_when_it_opens_before_the_session(
        self, rf, milestone, participant, active_questions, survey
    ):
        text = visible_text(self.render(rf, milestone, participant))
        assert "Opens once the session is scheduled." in text
        assert "Answer the survey" not in text
        milestone.starts_at = timezone.now() + datetime.timedelta(days=2)
        milestone.ends_at = milestone.starts_at + datetime.timedelta(hours=1)
        milestone.save()
        survey.milestone.refresh_from_db()
        text = visible_text(self.render(rf, milestone, participant))
        assert "Opens when the session starts" in text and "Answer the survey" not in text

    def test_shows_nothing_without_an_active_survey(self, rf, milestone, participant, survey):
        assert self.render(rf, milestone, participant).strip() == ""


class TestSurveyToAnswer:
    def test_questions_and_options_in_order_in_three_queries(
        self, milestone, participant, active_questions, django_assert_num_queries
    ):
        with django_assert_num_queries(3):
            card = get_survey_to_answer(milestone, participant)
            questions = list(card.survey.questions.all())
            options = [option.text for option in questions[0].options.all()]
        assert questions == list(active_questions.values())
        assert options == ["Slow", "Right", "Fast"]
        assert card.answered is False

    def test_no_active_survey_is_not_found(self, milestone, participant, survey):
        with pytest.raises(Http404):
            get_survey_to_answer(milestone, participant)
