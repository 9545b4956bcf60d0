"""A big survey's CSV export, written in the background: the same file as the results
page's direct download, offered on the export's page when it is ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from bip.services import plan_scope
from jobs.services import job_csv_write, job_start
from surveys.results.selectors import survey_results_csv, survey_rows
from surveys.selectors import get_survey_for_user

if TYPE_CHECKING:
    from jobs.models import Job
    from surveys.models import Survey

# The kind of background job that writes a survey's results CSV (see jobs.kinds).
SURVEY_RESULTS_CSV = "survey_results_csv"


def survey_results_csv_start(*, survey: Survey, started_by) -> Job:
    milestone = survey.milestone
    return job_start(
        kind=SURVEY_RESULTS_CSV,
        started_by=started_by,
        subject=survey.title,
        link=reverse("surveys:results", args=[milestone.plan_id, milestone.pk, survey.pk]),
        scope=plan_scope(milestone.plan_id),
        params={"plan_id": milestone.plan_id, "milestone_id": milestone.pk, "survey_id": survey.pk},
    )


def survey_results_csv_run(job: Job) -> None:
    # Checked again as the file is written: someone who no longer manages the plan gets no
    # export of its answers.
    try:
        survey = get_survey_for_user(
            job.started_by,
            job.params["plan_id"],
            job.params["milestone_id"],
            job.params["survey_id"],
        )
    except Http404:
        raise ValidationError(
            _("The survey was deleted, or you no longer manage its plan.")
        ) from None
    table = survey_rows(survey)
    job_csv_write(job=job, table=survey_results_csv(survey, table), rows=len(table.rows))
