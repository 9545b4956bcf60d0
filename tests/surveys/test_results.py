import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bip.models import PlanMembership
from surveys.models import Answer, Question
from surveys.results import survey_results
from tests.factories import PlanMembershipFactory, UserFactory
from tests.surveys.factories import McqQuestionFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour))


@pytest.fixture
def questions(survey):
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


def participant_of(plan, name, email):
    return PlanMembershipFactory(
        plan=plan,
        role=PlanMembership.Role.PARTICIPANT,
        user=UserFactory(display_name=name, email=email),
    ).user


def respond(survey, person, questions, *, option, rating, stars, text="", day=1):
    response = ResponseFactory(survey=survey, respondent=person, submitted_at=at(day))
    rows = [
        Answer(
            response=response,
            question=questions["mcq"],
            option=questions["mcq"].options.get(text=option),
        ),
        Answer(response=response, question=questions["stars"], rating=stars),
    ]
    if rating is not None:
        rows.append(Answer(response=response, question=questions["rating"], rating=rating))
    if text:
        rows.append(Answer(response=response, question=questions["text"], text=text))
    Answer.objects.bulk_create(rows)
    return response


@pytest.fixture
def answered(plan, survey, questions):
    """Four participants; three answered."""
    ana = participant_of(plan, "Ana Silva", "ana@example.com")
    ben = participant_of(plan, "Ben Ode", "ben@example.com")
    cy = participant_of(plan, "Cy Park", "cy@example.com")
    participant_of(plan, "Dee Quiet", "dee@example.com")
    respond(survey, ana, questions, option="Right", rating=4, stars=5, text="Great day.", day=1)
    respond(survey, ben, questions, option="Right", rating=3, stars=4, text="=SUM(A1)", day=3)
    respond(survey, cy, questions, option="Fast", rating=None, stars=4, day=2)
    return ana, ben, cy


def results_url(survey, name="results"):
    milestone = survey.milestone
    return reverse(f"surveys:{name}", args=[milestone.plan_id, milestone.pk, survey.pk])


class TestAggregation:
    def test_response_rate(self, survey, answered, project_admin):
        results = survey_results(survey)
        assert results.response_count == 3
        assert results.participant_count == 4
        assert results.response_rate == 75

    def test_choice_counts_and_percentages(self, survey, answered):
        mcq = survey_results(survey).questions[0]
        assert mcq.kind == "choice"
        assert mcq.answered == 3
        assert [(bar.label, bar.count, bar.percent) for bar in mcq.bars] == [
            ("Slow", 0, 0),
            ("Right", 2, 67),
            ("Fast", 1, 33),
        ]

    def test_rating_distribution_and_average(self, survey, answered):
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

    def test_text_answers_newest_first_with_names(self, survey, answered):
        text = survey_results(survey).questions[3]
        assert text.kind == "text"
        assert [(answer.text, answer.respondent) for answer in text.texts] == [
            ("=SUM(A1)", "Ben Ode"),
            ("Great day.", "Ana Silva"),
        ]

    def test_no_answers_yet(self, survey, questions):
        results = survey_results(survey)
        assert results.response_rate == 0
        rating = results.questions[1]
        assert rating.average is None
        assert all(bar.percent == 0 for bar in rating.bars)


class TestResultsPage:
    def test_shows_the_figures(self, admin_client, survey, answered):
        page = admin_client.get(results_url(survey))
        assert page.status_code == 200
        html = page.text
        assert "<strong>3</strong> of 4 participants answered" in html
        assert "75%" in html
        assert '<progress class="cairn-bar" max="3" value="2" aria-hidden="true">' in html
        assert "<strong>2</strong> · 67%" in html
        assert '<div class="cairn-average">3.5</div>' in html
        assert '<div class="cairn-average">4.3</div>' in html
        assert html.index("=SUM(A1)") < html.index("Great day.")
        assert "Ben Ode" in html
        assert "style=" not in html

    def test_the_survey_list_links_to_results(self, admin_client, survey):
        page = admin_client.get(
            reverse("surveys:milestone", args=[survey.milestone.plan_id, survey.milestone_id])
        )
        assert results_url(survey) in page.text

    def test_query_count_does_not_grow(self, admin_client, plan, survey, questions):
        def count_queries(url):
            with CaptureQueriesContext(connection) as queries:
                assert admin_client.get(url).status_code == 200
            return len(queries)

        page, export = (
            count_queries(results_url(survey)),
            count_queries(results_url(survey, "results_csv")),
        )
        for n in range(5):
            person = participant_of(plan, f"Person {n}", f"p{n}@example.com")
            respond(survey, person, questions, option="Slow", rating=2, stars=3, text=f"Note {n}")
        McqQuestionFactory(survey=survey, order=9)
        QuestionFactory(survey=survey, order=10, type=Question.Type.TEXT)
        assert count_queries(results_url(survey)) == page
        assert count_queries(results_url(survey, "results_csv")) == export

    def test_aggregation_takes_seven_queries(
        self, plan, survey, answered, django_assert_num_queries
    ):
        """Questions, options, option counts, rating counts, text answers, responses and
        participants: however many there are of each."""
        with django_assert_num_queries(7):
            survey_results(survey)


class TestCsv:
    def test_one_row_per_response(self, admin_client, survey, answered):
        response = admin_client.get(results_url(survey, "results_csv"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="training-feedback-results.csv"' in response["Content-Disposition"]
        content = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content)))
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
        assert datetime.datetime.fromisoformat(ana[2]) == at(1)
        assert ana[3:] == ["Right", "4", "5", "Great day."]
        assert cy[3:] == ["Fast", "", "4", ""]
        # A spreadsheet would run this as a formula.
        assert ben[6] == "'=SUM(A1)"


class TestAccess:
    @pytest.mark.parametrize("name", ["results", "results_csv"])
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("staff_user", 200),
            ("project_admin", 200),
            ("participant", 404),
            ("other_plans_admin", 404),
            ("outsider", 404),
        ],
    )
    def test_permission_matrix(self, client, request, survey, questions, name, who, status):
        client.force_login(request.getfixturevalue(who))
        assert client.get(results_url(survey, name)).status_code == status

    @pytest.mark.parametrize("name", ["results", "results_csv"])
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, survey, name):
        response = client.get(results_url(survey, name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_a_survey_of_another_milestone_is_not_found(self, admin_client, survey, plan):
        from tests.factories import MilestoneFactory

        other = MilestoneFactory(plan=plan)
        url = reverse("surveys:results", args=[plan.pk, other.pk, survey.pk])
        assert admin_client.get(url).status_code == 404
