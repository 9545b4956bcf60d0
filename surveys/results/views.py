from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.csv import csv_response
from surveys.results import selectors
from surveys.selectors import get_survey_for_user


def results(request, plan_pk, milestone_pk, pk):
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    return render(
        request,
        "surveys/results.html",
        {
            "milestone": survey.milestone,
            "tab": "surveys",
            "survey": survey,
            "results": selectors.survey_results(survey),
        },
    )


def results_csv(request, plan_pk, milestone_pk, pk):
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    table = selectors.survey_rows(survey)
    return csv_response(
        f"{slugify(survey.title) or 'survey'}-results.csv",
        [
            _("Respondent"),
            _("Email"),
            _("Submitted at"),
            *(question.text for question in table.questions),
        ],
        (
            [
                row.name,
                row.email,
                timezone.localtime(row.submitted_at).isoformat(),
                *(row.answer_to(question) for question in table.questions),
            ]
            for row in table.rows
        ),
    )
