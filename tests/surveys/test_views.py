import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Option, Question, Survey
from tests.factories import (
    AnswerFactory,
    McqQuestionFactory,
    MilestoneFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)
from tests.pages import controls, visible_text

pytestmark = pytest.mark.django_db


def url(name, survey=None, *, milestone=None, question=None, plan=None) -> str:
    """The address of a surveys page, from the most specific object given."""
    if question is not None:
        survey = question.survey
    if survey is not None:
        milestone = survey.milestone
    if milestone is not None:
        plan = milestone.plan
    args = [plan.pk]
    if milestone is not None:
        args.append(milestone.pk)
    if survey is not None:
        args.append(survey.pk)
    if question is not None:
        args.append(question.pk)
    return reverse(f"surveys:{name}", args=args)


def add_question(client, survey, **data):
    fields = {"type": "TEXT_BASED_RESPONSE", "text": "", "required": "on", "scale_max": "5"}
    fields.update(data)
    return client.post(
        url("question_add", survey), {f"question-{key}": value for key, value in fields.items()}
    )


def errors_of(response, field) -> str:
    """The error text shown right below the field with this name."""
    match = re.search(
        rf'id="id_{re.escape(field)}_error"[^>]*>(.*?)</div>',
        response.text,
        re.S,
    )
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip() if match else ""


class TestBuildingASurvey:
    def test_create_survey_then_add_questions_then_activate(self, project_admin_client, milestone):
        page = project_admin_client.get(url("milestone", milestone=milestone))
        assert "This milestone has no survey yet." in page.text
        assert url("create", milestone=milestone) in page.text

        created = project_admin_client.post(
            url("create", milestone=milestone),
            {"title": "Training Feedback", "description": "How did the training go?"},
        )
        survey = Survey.objects.get()
        assert created.url == url("builder", survey)
        assert (survey.milestone, survey.title, survey.is_active) == (
            milestone,
            "Training Feedback",
            False,
        )

        add_question(
            project_admin_client,
            survey,
            type="MCQ",
            text="How useful was it?",
            options="Very\nSomewhat\nNot at all",
        )
        add_question(
            project_admin_client,
            survey,
            type="TEXT_BASED_RESPONSE",
            text="Share your feedback in a few sentences",
        )
        add_question(
            project_admin_client,
            survey,
            type="RATING",
            text="Rate your overall experience",
            scale_max="7",
        )
        add_question(
            project_admin_client,
            survey,
            type="OVERALL_RATING",
            text="Overall, how was it?",
            required="",
        )
        add_question(
            project_admin_client, survey, type="OVERALL_TEXT_BASED_RESPONSE", text="Anything else?"
        )

        builder = project_admin_client.get(url("builder", survey))
        texts = [q.text for q in survey.questions.all()]
        assert texts == [
            "How useful was it?",
            "Share your feedback in a few sentences",
            "Rate your overall experience",
            "Overall, how was it?",
            "Anything else?",
        ]
        positions = [builder.text.index(text) for text in texts]
        assert positions == sorted(positions)
        assert "Scale 1\N{EN DASH}7" in builder.text
        assert 'aria-label="5 stars"' in builder.text
        assert "Not at all" in builder.text
        assert survey.questions.get(type="OVERALL_RATING").required is False

        project_admin_client.post(url("activate", survey))
        survey.refresh_from_db()
        assert survey.is_active
        listing = visible_text(project_admin_client.get(url("milestone", milestone=milestone)))
        assert "Training Feedback Active 5 questions · 0 responses" in listing
        assert "Deactivate: Training Feedback" in listing

    def test_editing_title_and_description(self, project_admin_client, survey):
        project_admin_client.post(
            url("builder", survey), {"survey-title": "Renamed", "survey-description": "Why"}
        )
        survey.refresh_from_db()
        assert (survey.title, survey.description) == ("Renamed", "Why")

    def test_editing_a_question_and_its_options(self, project_admin_client, survey):
        question = McqQuestionFactory(survey=survey, text="Useful?")
        yes, somewhat, no = question.options.all()
        response = project_admin_client.post(
            url("question_edit", question=question),
            {
                "type": "MCQ",
                "text": "Was it useful?",
                "scale_max": "5",
                f"option_{yes.pk}": "Yes, very",
                f"option_{somewhat.pk}": "Somewhat",
                f"option_{no.pk}": "No",
                f"remove_{somewhat.pk}": "on",
                "options": "Not sure",
            },
        )
        assert response.status_code == 302
        question.refresh_from_db()
        assert question.text == "Was it useful?"
        assert question.required is False
        assert [(o.pk, o.text) for o in question.options.all()][:2] == [
            (yes.pk, "Yes, very"),
            (no.pk, "No"),
        ]
        assert question.options.last().text == "Not sure"

    def test_moving_a_question(self, project_admin_client, survey):
        first, second = QuestionFactory(survey=survey), QuestionFactory(survey=survey)
        project_admin_client.post(url("question_up", question=second))
        assert list(survey.questions.all()) == [second, first]
        project_admin_client.post(url("question_down", question=second))
        assert list(survey.questions.all()) == [first, second]

    def test_deleting_a_question_after_confirming(self, project_admin_client, survey):
        question = QuestionFactory(survey=survey, text="Anything else?")
        page = project_admin_client.get(url("question_delete", question=question))
        assert "Delete this question?" in page.text
        project_admin_client.post(url("question_delete", question=question))
        assert not Question.objects.exists()

    def test_making_another_survey_active(self, project_admin_client, milestone):
        first = SurveyFactory(milestone=milestone, is_active=True)
        second = SurveyFactory(milestone=milestone)
        project_admin_client.post(url("activate", second))
        assert list(Survey.objects.filter(is_active=True)) == [second]
        project_admin_client.post(url("deactivate", second))
        assert not Survey.objects.filter(is_active=True).exists()
        first.refresh_from_db()
        assert not first.is_active

    def test_duplicating_opens_the_copy(self, project_admin_client, survey):
        McqQuestionFactory(survey=survey)
        response = project_admin_client.post(url("duplicate", survey))
        copy = Survey.objects.exclude(pk=survey.pk).get()
        assert response.url == url("builder", copy)
        assert copy.title == "Training Feedback (copy)"
        assert Option.objects.filter(question__survey=copy).count() == 3

    def test_delete_page_says_what_goes_with_the_survey(self, project_admin_client, survey):
        question = QuestionFactory(survey=survey)
        for _ in range(3):
            AnswerFactory(response__survey=survey, question=question)

        text = visible_text(project_admin_client.get(url("delete", survey)))
        assert "its 1 question and their options" in text
        assert "3 responses: every answer participants gave to it" in text
        assert "Delete survey and 3 responses" in text

        project_admin_client.post(url("delete", survey))
        assert not Survey.objects.exists()


def test_plan_surveys_tab_lists_each_milestone_with_its_surveys(project_admin_client, plan):
    kick_off = MilestoneFactory(plan=plan, name="Kick-off", order=0)
    lean = MilestoneFactory(plan=plan, name="Lean Basics", order=1)
    active = SurveyFactory(milestone=lean, title="Training Feedback", is_active=True)
    fill_survey(active, questions=1, options=2, responses=2)
    SurveyFactory(milestone=lean, title="Draft survey")

    page = project_admin_client.get(url("plan", plan=plan))

    assert page.text.index("Kick-off") < page.text.index("Lean Basics")
    assert url("milestone", milestone=kick_off) in page.text
    assert url("milestone", milestone=lean) in page.text
    text = visible_text(page)
    assert "Training Feedback Active 2 questions · 2 responses" in text
    assert "Draft survey 0 questions · 0 responses" in text
    assert "Kick-off No survey yet. Create one for Kick-off" in text


class TestBadInput:
    def test_a_survey_needs_a_title(self, project_admin_client, milestone):
        response = project_admin_client.post(
            url("create", milestone=milestone), {"title": "", "description": "Kept"}
        )
        assert response.status_code == 200
        assert "This field is required." in errors_of(response, "title")
        assert controls(response, "description")[0]["value"] == "Kept"
        assert not Survey.objects.exists()

    def test_multiple_choice_with_one_option(self, project_admin_client, survey):
        response = add_question(
            project_admin_client, survey, type="MCQ", text="Was it useful?", options="Only one"
        )
        assert response.status_code == 200
        assert "at least two different options" in errors_of(response, "question-options")
        assert controls(response, "question-text")[0]["value"] == "Was it useful?"
        assert controls(response, "question-options")[0]["value"] == "Only one"
        assert not survey.questions.exists()

    def test_a_second_overall_star_rating(self, project_admin_client, survey):
        QuestionFactory(survey=survey, type="OVERALL_RATING")
        response = add_question(project_admin_client, survey, type="OVERALL_RATING", text="Again?")
        assert "This survey already has an overall star rating question." in errors_of(
            response, "question-type"
        )
        assert survey.questions.count() == 1

    def test_a_rating_scale_out_of_range(self, project_admin_client, survey):
        response = add_question(
            project_admin_client, survey, type="RATING", text="Rate it", scale_max="11"
        )
        assert "2 to 10" in errors_of(response, "question-scale_max")
        assert controls(response, "question-scale_max")[0]["value"] == "11"
        assert not survey.questions.exists()

    def test_a_question_needs_its_text(self, project_admin_client, survey):
        response = add_question(project_admin_client, survey, type="TEXT_BASED_RESPONSE", text="")
        assert "This field is required." in errors_of(response, "question-text")
        assert not survey.questions.exists()


@pytest.fixture
def answered_survey(milestone):
    survey = SurveyFactory(milestone=milestone, title="Training Feedback")
    rating = QuestionFactory(survey=survey, type="RATING", scale_max=5, text="Rate the trainer")
    for _ in range(12):
        AnswerFactory(response=ResponseFactory(survey=survey), question=rating, rating=4, text="")
    return survey


class TestAnsweredSurvey:
    def test_the_builder_explains_what_can_still_change(
        self, project_admin_client, answered_survey
    ):
        text = visible_text(project_admin_client.get(url("builder", answered_survey)))
        assert "12 responses" in text
        assert "12 people have answered this survey." in text
        assert "duplicate the survey and make the copy active" in text
        assert "Duplicate survey" in text

    def test_no_notice_before_anyone_answers(self, project_admin_client, survey):
        text = visible_text(project_admin_client.get(url("builder", survey)))
        assert "0 responses" in text
        assert "answered this survey" not in text

    def test_deleting_an_answered_question_is_refused_with_a_message(
        self, project_admin_client, answered_survey
    ):
        question = answered_survey.questions.get()
        response = project_admin_client.post(url("question_delete", question=question), follow=True)
        assert (
            "12 people have answered “Rate the trainer”, so it cannot be deleted."
            in visible_text(response)
        )
        assert Question.objects.filter(pk=question.pk).exists()

    def test_changing_an_answered_questions_scale_is_refused_next_to_the_field(
        self, project_admin_client, answered_survey
    ):
        question = answered_survey.questions.get()
        response = project_admin_client.post(
            url("question_edit", question=question),
            {"type": "RATING", "text": "Rate your trainer", "required": "on", "scale_max": "10"},
        )
        assert "the scale cannot change" in errors_of(response, "scale_max")
        question.refresh_from_db()
        assert (question.text, question.scale_max) == ("Rate the trainer", 5)

    def test_removing_a_chosen_option_is_refused_next_to_the_options(
        self, project_admin_client, survey
    ):
        question = McqQuestionFactory(survey=survey)
        yes, somewhat, no = question.options.all()
        AnswerFactory(response__survey=survey, question=question, option=yes, text="")
        data = {"type": "MCQ", "text": question.text, "required": "on"}
        data |= {f"option_{o.pk}": o.text for o in (yes, somewhat, no)}

        page = project_admin_client.get(url("question_edit", question=question))
        assert controls(page, f"remove_{yes.pk}") == []
        assert controls(page, f"remove_{no.pk}") != []
        assert "Chosen in 1 answer: it can be reworded but not removed." in visible_text(page)

        response = project_admin_client.post(
            url("question_edit", question=question), {**data, f"remove_{yes.pk}": "on"}
        )
        assert "“Yes” was chosen in 1 answer, so it cannot be removed." in errors_of(
            response, "options"
        )
        assert question.options.count() == 3

    def test_rewording_an_answered_question_is_allowed(self, project_admin_client, answered_survey):
        question = answered_survey.questions.get()
        project_admin_client.post(
            url("question_edit", question=question),
            {"type": "RATING", "text": "Rate your trainer", "scale_max": "5"},
        )
        question.refresh_from_db()
        assert (question.text, question.required) == ("Rate your trainer", False)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    target: str  # which object the address is built from: plan, milestone, survey, question
    data: tuple = ()

    def __str__(self):
        return f"{self.method} {self.name}"


ENDPOINTS = [
    Endpoint("plan", "get", "plan"),
    Endpoint("milestone", "get", "milestone"),
    Endpoint("create", "get", "milestone"),
    Endpoint("create", "post", "milestone", (("title", "Training Feedback"),)),
    Endpoint("builder", "get", "survey"),
    Endpoint("builder", "post", "survey", (("survey-title", "Renamed"),)),
    Endpoint(
        "question_add",
        "post",
        "survey",
        (("question-type", "TEXT_BASED_RESPONSE"), ("question-text", "Anything else?")),
    ),
    Endpoint("activate", "post", "survey"),
    Endpoint("deactivate", "post", "survey"),
    Endpoint("duplicate", "post", "survey"),
    Endpoint("delete", "get", "survey"),
    Endpoint("delete", "post", "survey"),
    Endpoint("question_edit", "get", "question"),
    Endpoint(
        "question_edit",
        "post",
        "question",
        (("type", "TEXT_BASED_RESPONSE"), ("text", "Reworded")),
    ),
    Endpoint("question_delete", "get", "question"),
    Endpoint("question_delete", "post", "question"),
    Endpoint("question_up", "post", "question"),
    Endpoint("question_down", "post", "question"),
]


@pytest.fixture
def survey_objects(milestone):
    survey = SurveyFactory(milestone=milestone)
    QuestionFactory(survey=survey)
    question = QuestionFactory(survey=survey)
    return {"plan": milestone.plan, "milestone": milestone, "survey": survey, "question": question}


def address(endpoint: Endpoint, survey_objects: dict) -> str:
    return (
        url(endpoint.name, **{endpoint.target: survey_objects[endpoint.target]})
        if endpoint.target != "survey"
        else url(endpoint.name, survey_objects["survey"])
    )


def call(client, endpoint: Endpoint, path: str):
    return getattr(client, endpoint.method)(path, dict(endpoint.data))


class TestPermissions:
    @pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
    @pytest.mark.parametrize("who", ["platform_admin", "project_admin"])
    def test_plan_managers_may(self, request, client, survey_objects, endpoint, who):
        client.force_login(request.getfixturevalue(who))
        response = call(client, endpoint, address(endpoint, survey_objects))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/accounts/login/" not in response.url

    @pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
    @pytest.mark.parametrize("who", ["participant", "other_plans_admin", "outsider"])
    def test_everyone_else_gets_not_found(self, request, client, survey_objects, endpoint, who):
        client.force_login(request.getfixturevalue(who))
        survey_count = Survey.objects.count()
        response = call(client, endpoint, address(endpoint, survey_objects))
        assert response.status_code == 404
        assert Survey.objects.count() == survey_count
        assert Question.objects.count() == 2

    @pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
    def test_anonymous_is_sent_to_sign_in(self, client, survey_objects, endpoint):
        path = address(endpoint, survey_objects)
        response = call(client, endpoint, path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    @pytest.mark.parametrize(
        "endpoint", [e for e in ENDPOINTS if e.target in ("survey", "question")], ids=str
    )
    def test_a_survey_of_another_milestone_is_not_found(
        self, project_admin_client, survey_objects, endpoint
    ):
        elsewhere = SurveyFactory(milestone=MilestoneFactory(plan=survey_objects["plan"]))
        foreign_question = QuestionFactory(survey=elsewhere)
        milestone = survey_objects["milestone"]
        if endpoint.target == "survey":
            args = [milestone.plan.pk, milestone.pk, elsewhere.pk]
        else:
            args = [
                milestone.plan.pk,
                milestone.pk,
                survey_objects["survey"].pk,
                foreign_question.pk,
            ]
        response = call(
            project_admin_client, endpoint, reverse(f"surveys:{endpoint.name}", args=args)
        )
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "name", ["question_add", "activate", "deactivate", "duplicate", "question_up"]
    )
    def test_state_changes_only_on_post(self, project_admin_client, survey_objects, name):
        endpoint = next(e for e in ENDPOINTS if e.name == name)
        response = project_admin_client.get(address(endpoint, survey_objects))
        assert response.status_code == 405


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def fill_survey(survey, *, questions: int, options: int, responses: int):
    for number in range(questions):
        McqQuestionFactory(survey=survey, options=[f"Option {n}" for n in range(options)])
        QuestionFactory(survey=survey, type="RATING", text=f"Rate {number}")
    rating = survey.questions.filter(type="RATING").first()
    for _ in range(responses):
        AnswerFactory(response__survey=survey, question=rating, rating=3)


class TestQueryCounts:
    def test_milestone_survey_tab(self, project_admin_client, milestone, django_assert_num_queries):
        fill_survey(SurveyFactory(milestone=milestone), questions=1, options=2, responses=1)
        path = url("milestone", milestone=milestone)
        expected = queries_for(project_admin_client, path)

        for _ in range(6):
            fill_survey(SurveyFactory(milestone=milestone), questions=3, options=4, responses=3)
        with django_assert_num_queries(expected):
            project_admin_client.get(path)

    def test_builder(self, project_admin_client, milestone, django_assert_num_queries):
        small = SurveyFactory(milestone=milestone)
        fill_survey(small, questions=1, options=2, responses=1)
        expected = queries_for(project_admin_client, url("builder", small))

        large = SurveyFactory(milestone=milestone)
        fill_survey(large, questions=8, options=5, responses=4)
        with django_assert_num_queries(expected):
            project_admin_client.get(url("builder", large))

    def test_plan_surveys_tab(
        self, project_admin_client, plan, milestone, django_assert_num_queries
    ):
        fill_survey(SurveyFactory(milestone=milestone), questions=1, options=2, responses=1)
        path = url("plan", plan=plan)
        expected = queries_for(project_admin_client, path)

        for _ in range(4):
            other = MilestoneFactory(plan=plan)
            for _ in range(3):
                fill_survey(SurveyFactory(milestone=other), questions=2, options=3, responses=2)
        with django_assert_num_queries(expected):
            project_admin_client.get(path)


def test_the_survey_list_shows_who_switched_surveys_on_and_off(
    project_admin_client, plan, milestone, survey
):
    args = [plan.pk, milestone.pk, survey.pk]
    project_admin_client.post(reverse("surveys:activate", args=args))
    project_admin_client.post(reverse("surveys:deactivate", args=args))

    page = project_admin_client.get(reverse("surveys:milestone", args=[plan.pk, milestone.pk]))
    text = visible_text(page)
    made_inactive = text.index("“Training Feedback” made inactive by Pam Admin")
    made_active = text.index("“Training Feedback” made active by Pam Admin")
    assert made_inactive < made_active  # newest first
