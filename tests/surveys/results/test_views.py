import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Question
from tests.factories import McqQuestionFactory, MilestoneFactory, QuestionFactory
from tests.pages import visible_text
from tests.surveys.results.responses import on_march, participant_of, respond

pytestmark = pytest.mark.django_db


def results_url(survey, name="results"):
    milestone = survey.milestone
    return reverse(f"surveys:{name}", args=[milestone.plan_id, milestone.pk, survey.pk])


class TestResultsPage:
    def test_shows_the_figures(self, project_admin_client, survey, three_of_four_answered):
        page = project_admin_client.get(results_url(survey))
        assert page.status_code == 200
        text = visible_text(page)
        assert "3 of 4 participants answered" in text
        assert "75%" in text
        assert "Right 2 · 67%" in text
        assert "Fast 1 · 33%" in text
        assert "3.5 average out of 4" in text
        assert "4.3 average out of 5" in text
        assert text.index("=SUM(A1)") < text.index("Great day.")
        assert "=SUM(A1) Ben Ode" in text
        # Inline styles would break the content security policy.
        assert "style=" not in page.text

    def test_links_to_the_download_and_the_builder(self, project_admin_client, survey):
        page = project_admin_client.get(results_url(survey))
        assert results_url(survey, "results_csv") in page.text
        assert results_url(survey, "builder") in page.text

    def test_the_survey_list_links_to_results(self, project_admin_client, survey):
        page = project_admin_client.get(
            reverse("surveys:milestone", args=[survey.milestone.plan_id, survey.milestone_id])
        )
        assert results_url(survey) in page.text

    def test_query_count_does_not_grow(self, project_admin_client, plan, survey, survey_questions):
        def count_queries(url):
            with CaptureQueriesContext(connection) as queries:
                assert project_admin_client.get(url).status_code == 200
            return len(queries)

        page, export = (
            count_queries(results_url(survey)),
            count_queries(results_url(survey, "results_csv")),
        )
        for n in range(5):
            person = participant_of(plan, f"Person {n}", f"p{n}@example.com")
            respond(
                survey, person, survey_questions, option="Slow", rating=2, stars=3, text=f"Note {n}"
            )
        McqQuestionFactory(survey=survey, order=9)
        QuestionFactory(survey=survey, order=10, type=Question.Type.TEXT)
        assert count_queries(results_url(survey)) == page
        assert count_queries(results_url(survey, "results_csv")) == export


class TestCsv:
    def test_one_row_per_response(self, project_admin_client, survey, three_of_four_answered):
        response = project_admin_client.get(results_url(survey, "results_csv"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="training-feedback-results.csv"' in response["Content-Disposition"]
        # The byte order mark tells spreadsheet apps the file is UTF-8.
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "Respondent",
            "Email",
            "Submitted at",
            "How was the pace?",
            "Useful?",
            "Overall",
            "Anything else?",
        ]
        assert len(rows) == 4
        ana, cy, ben = rows[1:]
        assert ana[:2] == ["Ana Silva", "ana@example.com"]
        assert datetime.datetime.fromisoformat(ana[2]) == on_march(1)
        assert ana[3:] == ["Right", "4", "5", "Great day."]
        assert cy[3:] == ["Fast", "", "4", ""]
        # A spreadsheet would run this as a formula.
        assert ben[6] == "'=SUM(A1)"

    def test_a_question_that_looks_like_a_formula_is_written_as_text(
        self, project_admin_client, survey
    ):
        QuestionFactory(survey=survey, type=Question.Type.TEXT, text="@Everyone: anything else?")
        response = project_admin_client.get(results_url(survey, "results_csv"))
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header[3] == "'@Everyone: anything else?"


class TestAccess:
    @pytest.mark.parametrize("name", ["results", "results_csv"])
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("platform_admin", 200),
            ("project_admin", 200),
            ("participant", 404),
            ("other_plans_admin", 404),
            ("outsider", 404),
        ],
    )
    def test_permission_matrix(self, client, request, survey, survey_questions, name, who, status):
        client.force_login(request.getfixturevalue(who))
        assert client.get(results_url(survey, name)).status_code == status

    @pytest.mark.parametrize("name", ["results", "results_csv"])
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, survey, name):
        response = client.get(results_url(survey, name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    def test_a_survey_of_another_milestone_is_not_found(self, project_admin_client, survey, plan):
        other = MilestoneFactory(plan=plan)
        url = reverse("surveys:results", args=[plan.pk, other.pk, survey.pk])
        assert project_admin_client.get(url).status_code == 404
