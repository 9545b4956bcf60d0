from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from bip.selectors import get_plan_for_participant, get_plan_for_user
from common.csv import csv_response
from milestones.selectors import get_milestone_for_participant
from milestones.uploads.forms import PostActionForm, ProgressUploadForm
from progress.completion import COMPLETION_RULE, State, plan_progress
from progress.forms import DashboardFilterForm
from progress.selectors import dashboard as build_dashboard
from progress.selectors import participant_milestone, participant_plan

ROWS_PER_PAGE = 100


# Large and free of secrets but the masked CSRF token, so worth compressing (see BREACH).
@gzip_page
def dashboard(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    progress = plan_progress(plan)
    form = DashboardFilterForm(request.GET, milestones=progress.milestones)
    board = build_dashboard(progress, **form.filters())
    if request.GET.get("format") == "csv":
        return _csv(plan, board)
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
        },
    )


def _csv(plan, board):
    header = [
        _("Participant"),
        _("Email"),
        _("Milestones complete"),
        _("Milestones expected"),
        *(milestone.name for milestone in board.milestones),
    ]
    rows = (
        [
            str(line.row.membership.user),
            line.row.membership.user.email,
            line.row.complete,
            line.row.expected,
            *(
                cell.state.label + (f" ({'; '.join(cell.missing)})" if cell.missing else "")
                for cell in line.cells
            ),
        ]
        for line in board.lines(board.rows)
    )
    return csv_response(f"{slugify(plan.name)}-progress.csv", header, rows)


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
