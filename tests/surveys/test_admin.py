"""Support staff look at surveys on the admin site; every change is made on the plan's
survey pages, so nothing here can undo what keeps answers meaningful."""

import pytest
from django.urls import NoReverseMatch, reverse

from surveys.models import Option, Question, Response, Survey
from tests.factories import AnswerFactory, McqQuestionFactory, ResponseFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_mcq(survey):
    """A multiple choice question where someone chose "Yes"."""
    question = McqQuestionFactory(survey=survey, text="Was it useful?")
    response = ResponseFactory(survey=survey)
    AnswerFactory(response=response, question=question, option=question.options.get(text="Yes"))
    return question


def admin_url(model, action, *args) -> str:
    return reverse(f"admin:surveys_{model._meta.model_name}_{action}", args=args)


def test_support_staff_see_surveys_questions_options_and_answers(
    platform_admin_client, survey, answered_mcq
):
    response = Response.objects.get()
    pages = {
        "surveys": admin_url(Survey, "changelist"),
        "survey": admin_url(Survey, "change", survey.pk),
        "questions": admin_url(Question, "changelist"),
        "question": admin_url(Question, "change", answered_mcq.pk),
        "responses": admin_url(Response, "changelist"),
        "response": admin_url(Response, "change", response.pk),
    }
    texts = {}
    for name, url in pages.items():
        page = platform_admin_client.get(url)
        assert page.status_code == 200, name
        texts[name] = visible_text(page)

    assert "Training Feedback" in texts["surveys"]
    assert "Was it useful?" in texts["survey"]
    assert "Multiple choice" in texts["questions"]
    assert all(option in texts["question"] for option in ("Yes", "Somewhat", "No"))
    assert "Was it useful?" in texts["response"]
    assert "Yes" in texts["response"]


@pytest.mark.parametrize("model", [Survey, Question, Response])
def test_nothing_can_be_added_changed_or_deleted(
    platform_admin_client, survey, answered_mcq, model
):
    obj = {Survey: survey, Question: answered_mcq, Response: Response.objects.get()}[model]
    change = platform_admin_client.get(admin_url(model, "change", obj.pk))
    assert "Save" not in visible_text(change)
    assert admin_url(model, "delete", obj.pk) not in change.text
    assert platform_admin_client.get(admin_url(model, "add")).status_code == 403
    deleting = platform_admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    assert deleting.status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_an_answered_questions_type_and_scale_cannot_change_there(
    platform_admin_client, answered_mcq
):
    response = platform_admin_client.post(
        admin_url(Question, "change", answered_mcq.pk),
        {
            "survey": answered_mcq.survey_id,
            "order": 0,
            "text": answered_mcq.text,
            "type": Question.Type.RATING,
            "required": "on",
            "scale_max": 7,
            "options-TOTAL_FORMS": 0,
            "options-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 403
    answered_mcq.refresh_from_db()
    assert (answered_mcq.type, answered_mcq.scale_max) == (Question.Type.MCQ, 5)


def test_an_answered_option_cannot_be_deleted_there(platform_admin_client, answered_mcq):
    yes = answered_mcq.options.get(text="Yes")
    page = platform_admin_client.get(admin_url(Question, "change", answered_mcq.pk))
    assert "options-0-DELETE" not in page.text
    # Options have no admin pages of their own.
    with pytest.raises(NoReverseMatch):
        admin_url(Option, "delete", yes.pk)
    assert Option.objects.filter(pk=yes.pk).exists()
