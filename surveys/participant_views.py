from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from milestones.selectors import get_milestone_for_participant
from surveys import answering
from surveys.answer_forms import SurveyAnswerForm


@login_required
def answer(request, plan_pk, milestone_pk):
    """The milestone's active survey as one form; a participant submits it once."""
    milestone = get_milestone_for_participant(request.user, plan_pk, milestone_pk)
    survey = answering.get_active_survey(milestone)
    questions = list(survey.questions.all())
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SurveyAnswerForm(request.POST or None, questions=questions)
    answered_at = None
    if request.method == "POST" and form.is_valid():
        try:
            answering.response_submit(
                survey=survey, respondent=request.user, answers=form.answers()
            )
        except answering.AlreadyAnswered as refused:
            answered_at = refused.submitted_at
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Thank you for answering “{survey.title}”.")
            return redirect(next_url or "home")
    if answered_at is None:
        existing = answering.response_for(survey=survey, respondent=request.user)
        answered_at = existing.submitted_at if existing else None
    return render(
        request,
        "surveys/answer_page.html",
        {
            "milestone": milestone,
            "survey": survey,
            "form": form,
            "answered_at": answered_at,
            "next": next_url,
        },
    )


def _safe_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None
