from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from bip.selectors import get_plan_for_participant, get_plan_for_user
from common.csv import csv_response
from milestones.selectors import get_milestone_for_participant
from milestones.uploads.forms import PostActionForm, ProgressUploadForm
from progress import services
from progress.completion import COMPLETION_RULE, State, plan_progress
from progress.forms import DashboardFilterForm
from progress.selectors import dashboard as build_dashboard
from progress.selectors import dashboard_csv, participant_milestone, participant_plan

ROWS_PER_PAGE = 100


# Large and free of secrets but the masked CSRF token, so worth compressing (see BREACH).
@gzip_page
def dashboard(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    progress = plan_progress(plan)
    form = DashboardFilterForm(request.GET, milestones=progress.milestones)
    board = build_dashboard(progress, **form.filters())
    if request.GET.get("format") == "csv":
        return csv_response(dashboard_csv(plan, board))
    page = Paginator(board.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "progress/dashboard.html",
        {
            "plan": plan,
            "plan_tab": "progress",
            "form": form,
            "board": board,
            "lines": board.lines(page.object_list),
            "page": page,
            "states": list(State),
            "completion_rule": COMPLETION_RULE,
            # A big export is written in the background (see dashboard_export).
            "export_in_background": board.csv_cells > settings.CSV_INSTANT_CELLS,
        },
    )


@require_POST
def dashboard_export(request, plan_pk):
    """Export a big plan's progress in the background, with the dashboard's filters, and
    follow it on the export's page until the file is ready."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    job = services.progress_csv_start(
        plan=plan,
        # As typed into the query string: the export reads them with the dashboard's form,
        # which ignores a filter that does not fit the plan. NUL bytes no database text holds.
        filters={
            name: request.POST.get(name, "").replace("\x00", "")[:64]
            for name in DashboardFilterForm.base_fields
        },
        started_by=request.user,
    )
    return redirect("jobs:detail", pk=job.pk)


def my_plan(request, plan_pk):
    plan = get_plan_for_participant(request.user, plan_pk)
    return render(
        request,
        "progress/my_plan.html",
        {
            "plan": plan,
            "overview": participant_plan(plan, request.user),
            "completion_rule": COMPLETION_RULE,
        },
    )


def my_milestone(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    plan = milestone.plan
    page = participant_milestone(plan, milestone, request.user)
    return render(
        request,
        "progress/my_milestone.html",
        {
            "page": page,
            "plan": plan,
            "milestone": milestone,
            "upload_form": ProgressUploadForm(),
            "post_action_form": PostActionForm(instance=page.follow_up.post_action),
            "completion_rule": COMPLETION_RULE,
        },
    )
