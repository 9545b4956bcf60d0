from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.csv import csv_response
from surveys.results import selectors, services
from surveys.selectors import get_survey_for_user


def results(request, plan_pk, milestone_pk, pk):
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    results = selectors.survey_results(survey)
    return render(
        request,
        "surveys/results.html",
        {
            "milestone": survey.milestone,
            "tab": "surveys",
            "survey": survey,
            "results": results,
            # A big export is written in the background (see results_export).
            "export_in_background": results.csv_cells > settings.CSV_INSTANT_CELLS,
        },
    )


def results_csv(request, plan_pk, milestone_pk, pk):
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    return csv_response(selectors.survey_results_csv(survey, selectors.survey_rows(survey)))


@require_POST
def results_export(request, plan_pk, milestone_pk, pk):
    """Export a big survey's responses in the background, and follow it on the export's
    page until the file is ready."""
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    job = services.survey_results_csv_start(survey=survey, started_by=request.user)
    return redirect("jobs:detail", pk=job.pk)
