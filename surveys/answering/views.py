from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.views import safe_next_url
from milestones.selectors import get_milestone_for_participant
from surveys.answering import selectors, services
from surveys.answering.forms import SurveyAnswerForm


def answer(request, plan_pk, milestone_pk):
    """The milestone's active survey as one form; a participant submits it once."""
    milestone = get_milestone_for_participant(request.user, plan_pk, milestone_pk)
    to_answer = selectors.get_survey_to_answer(milestone, request.user)
    survey = to_answer.survey
    form = SurveyAnswerForm(request.POST or None, questions=list(survey.questions.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(survey=survey, respondent=request.user, answers=form.answers())
        except services.AlreadyAnswered as refused:
            to_answer = replace(to_answer, answered_at=refused.submitted_at)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("Thank you for answering “%(title)s”.") % {"title": survey.title}
            )
            return redirect(safe_next_url(request, reverse("home")))
    return render(
        request,
        "surveys/answer_page.html",
        {
            "milestone": milestone,
            "participant_survey": to_answer,
            "form": form,
            "next": safe_next_url(request),
        },
    )
