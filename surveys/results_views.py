import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from surveys import results as survey_results
from surveys.selectors import get_survey_for_user

# A spreadsheet treats a cell starting with one of these as a formula; a participant's text
# answer must never run as one on an admin's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@login_required
def results(request, plan_pk, milestone_pk, pk):
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    return render(
        request,
        "surveys/results.html",
        {
            "milestone": survey.milestone,
            "tab": "surveys",
            "survey": survey,
            "results": survey_results.survey_results(survey),
        },
    )


@login_required
def results_csv(request, plan_pk, milestone_pk, pk):
    survey = get_survey_for_user(request.user, plan_pk, milestone_pk, pk)
    questions, rows = survey_results.survey_rows(survey)
    filename = f"{slugify(survey.title) or 'survey'}-results.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte order mark makes Excel read the file as UTF-8 rather than the local code page.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["Respondent", "Email", "Submitted at", *(_cell(question.text) for question in questions)]
    )
    for row in rows:
        writer.writerow(
            [
                _cell(row["name"]),
                _cell(row["email"]),
                timezone.localtime(row["submitted_at"]).isoformat(),
                *(_cell(row["answers"].get(question.pk, "")) for question in questions),
            ]
        )
    return response


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
