import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.selectors import (
    active_survey_answers,
    active_surveys,
    plan_surveys,
    survey_builder,
    survey_contents,
)
from tests.factories import (
    AnswerFactory,
    McqQuestionFactory,
    MilestoneFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def only_query(call):
    """Run `call` and return what it returned and the SQL of its one query."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    assert len(queries) == 1
    return result, queries[0]["sql"]


@pytest.fixture
def three_milestones(plan):
    """Lean Basics has an active survey (and an old one), Kick-off only an inactive draft,
    Wrap-up none."""
    lean = MilestoneFactory(plan=plan, name="Lean Basics")
    kick_off = MilestoneFactory(plan=plan, name="Kick-off")
    wrap_up = MilestoneFactory(plan=plan, name="Wrap-up")
    return {
        "lean": lean,
        "kick_off": kick_off,
        "wrap_up": wrap_up,
        "active": SurveyFactory(milestone=lean, is_active=True),
        "old": SurveyFactory(milestone=lean),
        "draft": SurveyFactory(milestone=kick_off),
    }


class TestActiveSurveys:
    def test_each_milestone_with_its_active_survey_in_one_query(self, three_milestones):
        m = three_milestones
        ids = [m["lean"].pk, m["kick_off"].pk, m["wrap_up"].pk]
        found, sql = only_query(lambda: active_surveys(ids))
        assert found == {m["lean"].pk: m["active"].pk}
        # A default ordering would join the milestone (and its plan) just to sort.
        assert "JOIN" not in sql

    def test_only_the_milestones_asked_about(self, three_milestones):
        SurveyFactory(is_active=True)
        assert active_surveys([three_milestones["lean"].pk]) == {
            three_milestones["lean"].pk: three_milestones["active"].pk
        }

    def test_no_milestones_no_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert active_surveys([]) == {}


class TestActiveSurveyAnswers:
    @pytest.fixture
    def respondents(self, three_milestones):
        """Ana answered Lean Basics' active survey, Ben its old one and Kick-off's draft."""
        m = three_milestones
        ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")
        ResponseFactory(survey=m["active"], respondent=ana)
        ResponseFactory(survey=m["old"], respondent=ben)
        ResponseFactory(survey=m["draft"], respondent=ben)
        return ana, ben

    def test_who_answered_each_milestones_active_survey_in_one_query(
        self, three_milestones, respondents
    ):
        m = three_milestones
        ana, _ = respondents
        ids = [m["lean"].pk, m["kick_off"].pk, m["wrap_up"].pk]
        pairs, sql = only_query(lambda: active_survey_answers(milestone_ids=ids))
        assert pairs == {(m["lean"].pk, ana.pk)}
        # Only the survey is joined: for its milestone and whether it is active.
        assert sql.count("JOIN") == 1

    def test_only_the_people_asked_about(self, three_milestones, respondents):
        m = three_milestones
        ana, ben = respondents
        ids = [m["lean"].pk, m["kick_off"].pk]
        assert active_survey_answers(milestone_ids=ids, respondent_ids=[ben.pk]) == set()
        assert active_survey_answers(milestone_ids=ids, respondent_ids=[ana.pk, ben.pk]) == {
            (m["lean"].pk, ana.pk)
        }

    def test_a_newly_activated_survey_starts_without_answers(self, three_milestones, respondents):
        m = three_milestones
        m["active"].is_active = False
        m["active"].save()
        m["old"].is_active = True
        m["old"].save()
        _, ben = respondents
        assert active_survey_answers(milestone_ids=[m["lean"].pk]) == {(m["lean"].pk, ben.pk)}


class TestPages:
    def test_plan_surveys_lists_every_milestone_in_order_with_its_surveys(
        self, plan, three_milestones, django_assert_num_queries
    ):
        m = three_milestones
        with django_assert_num_queries(2):
            rows = plan_surveys(plan)
        assert [(row.milestone, row.surveys) for row in rows] == [
            (m["lean"], [m["active"], m["old"]]),
            (m["kick_off"], [m["draft"]]),
            (m["wrap_up"], []),
        ]

    def test_the_builder_counts_answers_per_question_and_option(self, survey):
        question = McqQuestionFactory(survey=survey)
        QuestionFactory(survey=survey)
        yes = question.options.get(text="Yes")
        for _ in range(2):
            AnswerFactory(response__survey=survey, question=question, option=yes)
        builder = survey_builder(survey)
        assert builder.response_count == 2
        assert [q.answer_count for q in builder.questions] == [2, 0]
        assert [(o.text, o.answer_count) for o in builder.questions[0].options.all()] == [
            ("Yes", 2),
            ("Somewhat", 0),
            ("No", 0),
        ]

    def test_what_deleting_a_survey_takes_with_it(self, survey):
        question = QuestionFactory(survey=survey)
        QuestionFactory(survey=survey)
        for _ in range(3):
            AnswerFactory(response__survey=survey, question=question)
        contents = survey_contents(survey)
        assert (contents.question_count, contents.response_count) == (2, 3)
