from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from common.views import refusal_as_message, safe_next_url, search_term
from milestones.attendance import selectors, services
from milestones.attendance.forms import RegisterFormSet
from milestones.models import Attendance
from milestones.selectors import get_milestone_for_participant, get_milestone_in_charge
from milestones.views import milestone_frame

MARK_ALL_PRESENT = "all_present"
REGISTER_PAGE_SIZE = 100


@gzip_page
def attendance_register(request, plan_pk, pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    data = request.POST if request.method == "POST" else request.GET
    day = selectors.register_day(milestone, data.get("day"))
    rows = selectors.attendance_register(milestone, day) if day else []
    search = search_term(data)
    shown = selectors.register_rows_matching(rows, search)
    # A cohort of hundreds is filled in a page at a time; each page saves on its own.
    page = Paginator(shown, REGISTER_PAGE_SIZE).get_page(data.get("page"))
    formset = RegisterFormSet(request.POST or None, rows=list(page.object_list))
    if request.method == "POST" and day:
        if formset.is_valid():
            marks = formset.marks(fill_present=request.POST.get("action") == MARK_ALL_PRESENT)
            with refusal_as_message(request):
                saved = services.attendance_register_save(
                    milestone=milestone, day=day, marks=marks, marked_by=request.user
                )
                messages.success(
                    request,
                    ngettext(
                        "The register for %(day)s is saved: %(count)s mark, all validated.",
                        "The register for %(day)s is saved: %(count)s marks, all validated.",
                        saved,
                    )
                    % {"day": formats.date_format(day, "SHORT_WEEKDAY_FORMAT"), "count": saved},
                )
        else:
            messages.error(request, _("Choose present, absent or excused for each participant."))
        query = urlencode(
            {"day": f"{day:%Y-%m-%d}", **({"q": search} if search else {}), "page": page.number}
        )
        return redirect(f"{reverse('milestones:attendance', args=[plan_pk, pk])}?{query}")
    return render(
        request,
        "milestones/attendance_register.html",
        {
            "frame": milestone_frame(request.user, milestone),
            "milestone": milestone,
            "tab": "attendance",
            "day": day,
            "days": selectors.session_dates(milestone),
            "rows": rows,
            "page": page,
            "search": search,
            "formset": formset,
            "statuses": Attendance.Status,
            "expected_count": sum(row.expected for row in rows),
            "awaiting_count": sum(row.awaiting_validation for row in rows),
            "mark_all_present": MARK_ALL_PRESENT,
            "opens_minutes": selectors.self_marking_opens_minutes(),
        },
    )


@require_POST
def attendance_self_mark(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    with refusal_as_message(request):
        row = services.attendance_self_mark(milestone=milestone, participant=request.user)
        messages.success(
            request,
            _("You are marked present for %(day)s.")
            % {"day": formats.date_format(row.day, "SHORT_WEEKDAY_FORMAT")},
        )
    return redirect(safe_next_url(request, reverse("home")))
