import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bip.selectors import get_plan_for_user
from common.views import refusal_as_message
from milestones.selectors import get_milestone_for_user
from surveys import selectors, services
from surveys.forms import QuestionEditForm, QuestionForm, SurveyForm
from surveys.models import Survey


def plan_surveys(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    return render(
        request,
        "surveys/plan_surveys.html",
        {
            "plan": plan,
            "plan_tab": "surveys",
            "plan_crumb": True,
            "plan_surveys": selectors.plan_surveys(plan),
        },
    )


def milestone_surveys(request, plan_pk, milestone_pk):
    milestone = get_milestone_for_user(request.user, plan_pk, milestone_pk, manage=True)
    return render(
        request,
        "surveys/milestone_surveys.html",
        {
            "milestone": milestone,
            "tab": "surveys",
            "surveys": selectors.milestone_surveys(milestone),
            "activation_history": selectors.survey_activation_history(milestone),
        },
    )


def survey_create(request, plan_pk, milestone_pk):
    milestone = get_milestone_for_user(request.user, plan_pk, milestone_pk, manage=True)
    form = SurveyForm(request.POST or None, instance=Survey(milestone=milestone))
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(milestone=milestone, **form.cleaned_data)
        messages.success(
            request,
            _("“%(title)s” is created. Now add its questions.") % {"title": survey.title},
        )
        return redirect(_builder_url(survey))
    return render(
        request,
        "surveys/survey_create.html",
        {"milestone": milestone, "tab": "surveys", "form": form},
    )


def survey_builder(request, plan_pk, milestone_pk, survey_pk):
    """The survey's details and questions. A POST here saves the title and description."""
    survey = selectors.get_survey_for_user(request.user, plan_pk, milestone_pk, survey_pk)
    # The form works on a copy, so the page heading keeps the saved title while the form
    # shows what was typed.
    form = SurveyForm(request.POST or None, instance=copy.copy(survey), prefix="survey")
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=form.instance, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The survey's title and description are saved."))
            return redirect(_builder_url(survey))
    return _builder_page(request, survey, survey_form=form)


@require_POST
def question_add(request, plan_pk, milestone_pk, survey_pk):
    survey = selectors.get_survey_for_user(request.user, plan_pk, milestone_pk, survey_pk)
    form = QuestionForm(request.POST, prefix="question")
    if form.is_valid() and _apply(form, services.question_add, survey=survey):
        messages.success(request, _("The question is added."))
        return redirect(f"{_builder_url(survey)}#add-question")
    return _builder_page(request, survey, question_form=form)


def question_edit(request, plan_pk, milestone_pk, survey_pk, pk):
    question = selectors.get_question_for_user(request.user, plan_pk, milestone_pk, survey_pk, pk)
    options = list(selectors.question_options(question))
    form = QuestionEditForm(request.POST or None, question=question, options=options)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, services.question_update, question=question)
    ):
        messages.success(request, _("The question is saved."))
        return redirect(f"{_builder_url(question.survey)}#question-{question.pk}")
    return render(
        request,
        "surveys/question_edit.html",
        {
            "milestone": question.survey.milestone,
            "tab": "surveys",
            "survey": question.survey,
            "question": question,
            "form": form,
        },
    )


def question_delete(request, plan_pk, milestone_pk, survey_pk, pk):
    question = selectors.get_question_for_user(request.user, plan_pk, milestone_pk, survey_pk, pk)
    survey = question.survey
    if request.method == "POST":
        with refusal_as_message(request):
            services.question_delete(question=question)
            messages.success(request, _("“%(text)s” is deleted.") % {"text": question.text})
        return redirect(_builder_url(survey))
    return render(
        request,
        "surveys/question_delete.html",
        {"milestone": survey.milestone, "tab": "surveys", "survey": survey, "question": question},
    )


@require_POST
def question_move(request, plan_pk, milestone_pk, survey_pk, pk, direction):
    question = selectors.get_question_for_user(request.user, plan_pk, milestone_pk, survey_pk, pk)
    services.question_move(question=question, direction=direction)
    return redirect(f"{_builder_url(question.survey)}#question-{question.pk}")


@require_POST
def survey_activate(request, plan_pk, milestone_pk, survey_pk):
    survey = selectors.get_survey_for_user(request.user, plan_pk, milestone_pk, survey_pk)
    services.survey_activate(survey=survey, by=request.user)
    messages.success(
        request,
        _("“%(title)s” is now the survey participants answer.") % {"title": survey.title},
    )
    return redirect("surveys:milestone", plan_pk=plan_pk, milestone_pk=milestone_pk)


@require_POST
def survey_deactivate(request, plan_pk, milestone_pk, survey_pk):
    survey = selectors.get_survey_for_user(request.user, plan_pk, milestone_pk, survey_pk)
    services.survey_deactivate(survey=survey, by=request.user)
    messages.success(
        request,
        _("“%(title)s” is no longer active: participants have no survey to answer.")
        % {"title": survey.title},
    )
    return redirect("surveys:milestone", plan_pk=plan_pk, milestone_pk=milestone_pk)


@require_POST
def survey_duplicate(request, plan_pk, milestone_pk, survey_pk):
    survey = selectors.get_survey_for_user(request.user, plan_pk, milestone_pk, survey_pk)
    duplicate = services.survey_duplicate(survey=survey)
    messages.success(
        request,
        _("“%(title)s” is ready to edit. It is not active yet.") % {"title": duplicate.title},
    )
    return redirect(_builder_url(duplicate))


def survey_delete(request, plan_pk, milestone_pk, survey_pk):
    survey = selectors.get_survey_for_user(request.user, plan_pk, milestone_pk, survey_pk)
    if request.method == "POST":
        services.survey_delete(survey=survey)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": survey.title})
        return redirect("surveys:milestone", plan_pk=plan_pk, milestone_pk=milestone_pk)
    return render(
        request,
        "surveys/survey_delete.html",
        {
            "milestone": survey.milestone,
            "tab": "surveys",
            "survey": survey,
            "contents": selectors.survey_contents(survey),
        },
    )


def _apply(form, service, **kwargs) -> bool:
    """Call the service with the form's data; a rule it refuses shows next to its field."""
    try:
        service(**kwargs, **form.service_kwargs())
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _builder_page(request, survey: Survey, *, survey_form=None, question_form=None):
    return render(
        request,
        "surveys/survey_builder.html",
        {
            "milestone": survey.milestone,
            "tab": "surveys",
            "survey": survey,
            "builder": selectors.survey_builder(survey),
            "survey_form": survey_form or SurveyForm(instance=survey, prefix="survey"),
            "question_form": question_form or QuestionForm(prefix="question"),
        },
    )


def _builder_url(survey: Survey) -> str:
    milestone = survey.milestone
    return reverse("surveys:builder", args=[milestone.plan_id, milestone.pk, survey.pk])
