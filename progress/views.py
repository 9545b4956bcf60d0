import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from bip.selectors import get_plan_for_participant, get_plan_for_user
from milestones.attendance import participant_attendance
from milestones.models import Activity
from milestones.uploads import participant_post_action, participant_uploads
from progress import services
from progress.completion import State, plan_progress
from progress.participant import (
    milestone_activities_for,
    participant_plan,
    waiting_items,
)
from surveys.answering import participant_survey

ROWS_PER_PAGE = 100


@login_required
def dashboard(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    progress = plan_progress(plan)
    columns = list(range(len(progress.milestones)))
    milestone_pk = request.GET.get("milestone", "")
    chosen = [i for i, m in enumerate(progress.milestones) if str(m.pk) == milestone_pk]
    if chosen:
        columns = chosen
    status = request.GET.get("status", "")
    rows = progress.rows
    if status in State.__members__.values():
        rows = [row for row in rows if any(row.cells[i].state == status for i in columns)]

    if request.GET.get("format") == "csv":
        return _csv(plan, progress, rows, columns)

    totals = progress.milestone_totals()
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "progress/dashboard.html",
        {
            "plan": plan,
            "plan_tab": "progress",
            "milestones": [progress.milestones[i] for i in columns],
            "totals": [totals[i] for i in columns],
            "rows": [(row, [row.cells[i] for i in columns]) for row in page],
            "page": page,
            "participant_count": len(progress.rows),
            "shown_count": len(rows),
            "all_milestones": progress.milestones,
            "states": list(State),
            "chosen_milestone": milestone_pk,
            "chosen_status": status,
            "query": request.GET.copy(),
        },
    )


def _csv(plan, progress, rows, columns) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(plan.name)}-progress.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Participant", "Email", "Milestones complete", "Milestones expected"]
        + [progress.milestones[i].name for i in columns]
    )
    for row in rows:
        cells = [row.cells[i] for i in columns]
        writer.writerow(
            [str(row.membership.user), row.membership.user.email, row.complete, row.expected]
            + [
                cell.state.label + (f" ({'; '.join(cell.missing)})" if cell.missing else "")
                for cell in cells
            ]
        )
    return response


@login_required
def my_plan(request, plan_pk):
    plan = get_plan_for_participant(request.user, plan_pk)
    overview = participant_plan(plan, request.user)
    return render(
        request,
        "progress/my_plan.html",
        {"overview": overview, "waiting": waiting_items(overview, request.user), "plan": plan},
    )


@login_required
def my_milestone(request, plan_pk, pk):
    plan = get_plan_for_participant(request.user, plan_pk)
    milestone = get_object_or_404(
        plan.milestones.select_related("plan").prefetch_related("trainers"), pk=pk
    )
    cell = plan_progress(plan, participant=request.user).cell_for(milestone)
    return render(
        request,
        "progress/my_milestone.html",
        {
            "plan": plan,
            "milestone": milestone,
            "cell": cell,
            "activities": milestone_activities_for(milestone, request.user),
            "attendance": participant_attendance(milestone, request.user),
            **participant_uploads(milestone, request.user),
            **participant_post_action(milestone, request.user),
            "participant_survey": participant_survey(milestone, request.user),
        },
    )


@login_required
def activity_open(request, plan_pk, pk):
    """Open an activity's link or file, recording that the participant looked at it."""
    plan = get_plan_for_participant(request.user, plan_pk)
    activity = get_object_or_404(Activity.objects.filter(milestone__plan=plan), pk=pk)
    services.activity_open(activity=activity, participant=request.user)
    if activity.upload_type == Activity.UploadType.LINK:
        return redirect(activity.url)
    return redirect("milestones:activity_download", plan_pk=plan.pk, pk=activity.pk)
