import pytest

from surveys.results.selectors import survey_results, survey_rows
from tests.surveys.results.responses import on_march

pytestmark = pytest.mark.django_db


class TestAggregation:
    def test_response_rate(self, survey, three_of_four_answered, project_admin):
        results = survey_results(survey)
        assert results.response_count == 3
        assert results.participant_count == 4
        assert results.response_rate == 75

    def test_choice_counts_and_percentages(self, survey, three_of_four_answered):
        mcq = survey_results(survey).questions[0]
        assert mcq.kind == "choice"
        assert mcq.answered == 3
        assert [(bar.label, bar.count, bar.percent) for bar in mcq.bars] == [
            ("Slow", 0, 0),
            ("Right", 2, 67),
            ("Fast", 1, 33),
        ]

    def test_rating_distribution_and_average(self, survey, three_of_four_answered):
        _, rating, stars, _ = survey_results(survey).questions
        assert rating.kind == stars.kind == "rating"
        assert [(bar.label, bar.count) for bar in rating.bars] == [
            ("1", 0),
            ("2", 0),
            ("3", 1),
            ("4", 1),
        ]
        assert rating.answered == 2
        assert rating.average == 3.5
        assert [(bar.label, bar.count, bar.percent) for bar in stars.bars] == [
            ("1", 0, 0),
            ("2", 0, 0),
            ("3", 0, 0),
            ("4", 2, 67),
            ("5", 1, 33),
        ]
        assert stars.average == 4.3

    def test_text_answers_newest_first_with_names(self, survey, three_of_four_answered):
        text = survey_results(survey).questions[3]
        assert text.kind == "text"
        assert [(answer.text, answer.respondent) for answer in text.texts] == [
            ("=SUM(A1)", "Ben Ode"),
            ("Great day.", "Ana Silva"),
        ]

    def test_no_answers_yet(self, survey, survey_questions):
        results = survey_results(survey)
        assert results.response_rate == 0
        rating = results.questions[1]
        assert rating.average is None
        assert all(bar.percent == 0 for bar in rating.bars)

    def test_seven_queries_however_many_answers(
        self, survey, three_of_four_answered, django_assert_num_queries
    ):
        """Questions, options, option counts, rating counts, text answers, responses and
        participants: however many there are of each."""
        with django_assert_num_queries(7):
            survey_results(survey)


class TestRows:
    def test_one_row_per_response_oldest_first(
        self, survey, survey_questions, three_of_four_answered, django_assert_num_queries
    ):
        with django_assert_num_queries(3):
            table = survey_rows(survey)
        assert [question.text for question in table.questions] == [
            "How was the pace?",
            "Useful?",
            "Overall",
            "Anything else?",
        ]
        ana, cy, ben = table.rows
        assert (ana.name, ana.email, ana.submitted_at) == (
            "Ana Silva",
            "ana@example.com",
            on_march(1),
        )
        assert [ana.answer_to(q) for q in table.questions] == ["Right", 4, 5, "Great day."]
        assert [cy.answer_to(q) for q in table.questions] == ["Fast", "", 4, ""]
        assert ben.name == "Ben Ode"
