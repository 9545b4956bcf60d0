from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from milestones import attendance
from milestones.models import Attendance
from milestones.selectors import (
    get_milestone_for_participant,
    get_milestone_in_charge,
    manages_plan,
)

MARK_ALL_PRESENT = "all_present"


def _marks_from_post(post, rows, *, fill_present: bool) -> dict[int, str]:
    marks = {}
    for row in rows:
        if not row.expected:
            continue
        status = post.get(f"status-{row.participant.pk}")
        if not status and fill_present:
            status = Attendance.Status.PRESENT
        if status:
            marks[row.participant.pk] = status
    return marks


@login_required
def attendance_register(request, plan_pk, pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    manages = manages_plan(request.user, plan_pk)
    day = attendance.register_day(milestone, request.POST.get("day") or request.GET.get("day"))
    rows = attendance.attendance_register(milestone, day) if day else []
    if request.method == "POST" and day:
        fill_present = request.POST.get("action") == MARK_ALL_PRESENT
        marks = _marks_from_post(request.POST, rows, fill_present=fill_present)
        try:
            saved = attendance.attendance_register_save(
                milestone=milestone, day=day, marks=marks, marked_by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"The register for {day:%a} {day.day} {day:%b} is saved: "
                f"{saved} mark{'' if saved == 1 else 's'}, all validated.",
            )
        return redirect(f"{request.path}?day={day.isoformat()}")
    return render(
        request,
        "milestones/attendance_register.html",
        {
            "milestone": milestone,
            "tab": "attendance",
            "manages": manages,
            "day": day,
            "days": attendance.session_days(milestone),
            "rows": rows,
            "statuses": Attendance.Status.choices,
            "expected_count": sum(row.expected for row in rows),
            "awaiting_count": sum(row.awaiting_validation for row in rows),
            "mark_all_present": MARK_ALL_PRESENT,
            "opens_minutes": attendance.self_marking_opens_minutes(),
        },
    )


@login_required
@require_POST
def attendance_self_mark(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    try:
        row = attendance.attendance_self_mark(milestone=milestone, participant=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"You are marked present for {row.day:%a} {row.day.day} {row.day:%b}."
        )
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("home")
