import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboration import services
from collaboration.forms import (
    ChangesRequestForm,
    ChatMessageForm,
    DeliverableForm,
    MilestoneForm,
    MilestonePaymentForm,
    PaymentForm,
    ProjectForm,
)
from collaboration.selectors import (
    PROJECT_STATES,
    deliverables_downloadable_by,
    get_project_for_admin,
    get_project_for_user,
    people_to_choose,
    project_changed_since,
    project_milestone_history,
    project_page,
    project_rows,
)
from collaboration.selectors import project_list as project_list_for
from common.converters import parse_id
from common.views import refusal_as_message, search_term
from files.views import ProtectedFileView

PAGE = "collaboration/project_detail.html"
PROJECTS_PER_PAGE = 50
# htmx answers: the regions of the project page that a request changed, swapped in place.
MILESTONES_CHANGED = f"{PAGE}#milestones-changed"
CHAT_CHANGED = f"{PAGE}#chat-changed"


def project_list(request):
    state = request.GET.get("state", "")
    if state not in PROJECT_STATES:
        state = ""
    term = search_term(request.GET)
    today = timezone.localdate()
    projects = project_list_for(request.user, today=today, state=state, term=term)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "collaboration/project_list.html",
        {
            "page_obj": page,
            "projects": project_rows(page.object_list),
            "states": PROJECT_STATES,
            "state": state,
            "term": term,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def project_new(request):
    if not request.user.is_staff:
        raise Http404("No such page.")
    form = ProjectForm(request.POST or None)
    if form.is_valid():
        project = services.project_create(created_by=request.user, **form.cleaned_data)
        messages.success(request, _("“%(project)s” is created.") % {"project": project})
        return redirect("collaboration:project", project.pk)
    return render(request, "collaboration/project_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = get_project_for_admin(request.user, pk)
    # The form writes its input onto its instance: a copy keeps the page's heading as saved.
    form = ProjectForm(request.POST or None, instance=copy.copy(project))
    if form.is_valid():
        try:
            services.project_update(project=project, **form.cleaned_data)
        except ValidationError as error:
            # The form checked the same rules, but against the project as this page read it;
            # someone may have opened its milestones since.
            form.add_error(None, error)
        else:
            messages.success(request, _("The project's details are saved."))
            return redirect("collaboration:project", project.pk)
    return render(request, "collaboration/project_form.html", {"form": form, "project": project})


# The project form's people pickers, by the field each fills: the matches come back as that
# field's listbox, with the ids its combobox points at.
PICKERS = ("consultant", "client")


@require_GET
def people_search(request):
    matches = people_to_choose(
        request.user,
        search=search_term(request.GET),
        everyone=request.GET.get("everyone") == "1",
    )
    role = request.GET.get("role")
    if role not in PICKERS:
        return HttpResponseBadRequest("Search for a consultant or a client.")
    return render(
        request,
        "collaboration/_people_matches.html",
        {"matches": matches, "listbox_id": f"id_{role}-matches"},
    )


def project_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    return _project_page(request, project, before=parse_id(request.GET.get("before")))


@require_POST
def milestone_undo(request, pk, milestone_pk):
    """Take back a milestone's changes before the client is emailed about them."""
    project = get_project_for_user(request.user, pk, manage=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    undone = milestone
    with refusal_as_message(request):
        undone = services.project_milestone_undo(milestone=milestone, actor=request.user)
        if undone is None:
            messages.success(
                request,
                _("“%(milestone)s” is withdrawn; %(client)s was never told of it.")
                % {"milestone": milestone, "client": project.client},
            )
        else:
            messages.success(
                request,
                _("Undone: “%(milestone)s” is back as %(client)s last heard of it.")
                % {"milestone": undone, "client": project.client},
            )
    if undone is None:
        return redirect(reverse("collaboration:project", args=[project.pk]) + "#milestones")
    return _back_to(project, undone)


@require_http_methods(["GET", "POST"])
def payment_record(request, pk):
    project = get_project_for_admin(request.user, pk)
    form = PaymentForm(request.POST or None, instance=copy.copy(project))
    if form.is_valid():
        services.project_payment_record(
            project=project,
            amount=form.cleaned_data["payment_amount"],
            received_on=form.cleaned_data["payment_received_on"],
            reference=form.cleaned_data["payment_reference"],
            recorded_by=request.user,
        )
        messages.success(request, _("The initial payment is recorded."))
        return redirect("collaboration:project", project.pk)
    return render(request, "collaboration/payment_form.html", {"form": form, "project": project})


@require_POST
def milestones_open(request, pk):
    project = get_project_for_admin(request.user, pk)
    with refusal_as_message(request):
        services.project_milestones_open(project=project, opened_by=request.user)
        messages.success(request, _("The milestones section is open."))
    return redirect("collaboration:project", project.pk)


@require_http_methods(["GET", "POST"])
def milestone_add(request, pk):
    project = get_project_for_user(request.user, pk, manage=True)
    if not project.milestones_open:
        messages.error(request, _("The milestones section of this project is not open yet."))
        return redirect("collaboration:project", project.pk)
    form = MilestoneForm(request.POST or None, currency=project.currency)
    if form.is_valid():
        milestone = services.project_milestone_create(
            project=project, actor=request.user, **form.cleaned_data
        )
        added = _("“%(milestone)s” is added.") % {"milestone": milestone}
        messages.success(request, f"{added} {_emailed_soon(project)}")
        return _back_to(project, milestone)
    return render(request, "collaboration/milestone_form.html", {"form": form, "project": project})


@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk, milestone_pk):
    project = get_project_for_user(request.user, pk, manage=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    form = MilestoneForm(
        request.POST or None, instance=copy.copy(milestone), currency=project.currency
    )
    if form.is_valid():
        try:
            saved = services.project_milestone_update(
                milestone=milestone, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            # Checked against the saved row: its payment may have been recorded since.
            form.add_error(None, error)
        else:
            if saved.version == milestone.version:
                messages.info(request, _("Nothing changed, so nobody is emailed."))
            else:
                saved_text = _("“%(milestone)s” is saved.") % {"milestone": saved}
                messages.success(request, f"{saved_text} {_emailed_soon(project)}")
            return _back_to(project, saved)
    return render(
        request,
        "collaboration/milestone_form.html",
        {
            "form": form,
            "project": project,
            "milestone": milestone,
            "history": project_milestone_history(milestone),
        },
    )


@require_http_methods(["GET", "POST"])
def milestone_delete(request, pk, milestone_pk):
    project = get_project_for_user(request.user, pk, manage=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    if request.method == "POST":
        services.project_milestone_delete(milestone=milestone, actor=request.user)
        messages.success(request, _("“%(milestone)s” is deleted.") % {"milestone": milestone})
        return redirect(reverse("collaboration:project", args=[project.pk]) + "#milestones")
    return render(
        request,
        "collaboration/milestone_delete.html",
        {"project": project, "milestone": milestone},
    )


@require_POST
def milestone_completion(request, pk, milestone_pk):
    """The milestone's checkbox: a plain form post, or an htmx request that gets the
    milestones and the chat back (the chat tells of the change)."""
    project = get_project_for_user(request.user, pk, manage=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    completed = request.POST.get("completed")
    if completed not in ("0", "1"):
        return HttpResponseBadRequest("completed must be 0 or 1")
    change = (
        services.project_milestone_complete
        if completed == "1"
        else services.project_milestone_uncomplete
    )
    change(milestone=milestone, actor=request.user)
    if request.htmx:
        return _project_page(request, project, template=MILESTONES_CHANGED)
    return _back_to(project, milestone)


@require_http_methods(["GET", "POST"])
def deliverable_add(request, pk, milestone_pk):
    project = get_project_for_user(request.user, pk, manage=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    form = DeliverableForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        deliverable = services.deliverable_add(
            milestone=milestone,
            actor=request.user,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
        messages.success(
            request,
            _("“%(deliverable)s” is added to “%(milestone)s”.")
            % {"deliverable": deliverable, "milestone": milestone},
        )
        return _back_to(project, milestone)
    return render(
        request,
        "collaboration/deliverable_form.html",
        {"form": form, "project": project, "milestone": milestone},
    )


@require_POST
def deliverable_remove(request, pk, milestone_pk, deliverable_pk):
    project = get_project_for_user(request.user, pk, manage=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    deliverable = get_object_or_404(milestone.deliverables, pk=deliverable_pk)
    services.deliverable_remove(deliverable=deliverable, actor=request.user)
    messages.success(
        request,
        _("“%(deliverable)s” is removed from “%(milestone)s”.")
        % {"deliverable": deliverable, "milestone": milestone},
    )
    return _back_to(project, milestone)


class DeliverableDownloadView(ProtectedFileView):
    def get_queryset(self):
        return deliverables_downloadable_by(self.request.user, self.kwargs["project_pk"])

    def get_filename(self, obj):
        return obj.filename or None


@require_http_methods(["GET", "POST"])
def milestone_payment(request, pk, milestone_pk):
    """A platform admin records the client's payment for one milestone."""
    project = get_project_for_admin(request.user, pk)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    if milestone.amount is None or milestone.paid_on is not None:
        messages.info(
            request,
            (
                _("“%(milestone)s” has no amount to pay.")
                if milestone.amount is None
                else _("The payment for “%(milestone)s” is already recorded.")
            )
            % {"milestone": milestone},
        )
        return _back_to(project, milestone)
    form = MilestonePaymentForm(
        request.POST or None,
        instance=copy.copy(milestone),
        initial={"paid_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            services.project_milestone_payment_record(
                milestone=milestone,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["payment_reference"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The payment for “%(milestone)s” is recorded.") % {"milestone": milestone},
            )
            return _back_to(project, milestone)
    return render(
        request,
        "collaboration/milestone_payment_form.html",
        {"form": form, "project": project, "milestone": milestone},
    )


@require_POST
def milestone_accept(request, pk, milestone_pk):
    project, milestone = _clients_milestone(request, pk, milestone_pk)
    with refusal_as_message(request):
        services.project_milestone_accept(milestone=milestone, actor=request.user)
        messages.success(
            request,
            _("“%(milestone)s” is accepted and %(consultant)s is told so.")
            % {"milestone": milestone, "consultant": project.consultant},
        )
    return _back_to(project, milestone)


@require_http_methods(["GET", "POST"])
def milestone_changes(request, pk, milestone_pk):
    project, milestone = _clients_milestone(request, pk, milestone_pk)
    form = ChangesRequestForm(request.POST or None)
    if form.is_valid():
        try:
            services.project_milestone_changes_request(
                milestone=milestone, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(consultant)s is asked for the changes to “%(milestone)s”.")
                % {"consultant": project.consultant, "milestone": milestone},
            )
            return _back_to(project, milestone)
    return render(
        request,
        "collaboration/changes_form.html",
        {"form": form, "project": project, "milestone": milestone},
    )


def _clients_milestone(request, pk, milestone_pk):
    """The project and milestone for the client's own actions; 404 for anyone else."""
    project = get_project_for_user(request.user, pk)
    if request.user.pk != project.client_id or not project.acceptance_required:
        raise Http404("No such page.")
    return project, get_object_or_404(project.milestones, pk=milestone_pk)


@require_GET
def project_updates(request, pk):
    """What an open project page polls: nothing (204) until the chat has a line after the
    one the page last saw, then the milestones and the chat to swap in."""
    project = get_project_for_user(request.user, pk)
    if not project_changed_since(project, parse_id(request.GET.get("after")) or 0):
        return HttpResponse(status=204)
    return _project_page(request, project, template=MILESTONES_CHANGED, reading=True)


@require_POST
def chat_post(request, pk):
    project = get_project_for_user(request.user, pk)
    form = ChatMessageForm(request.POST)
    if form.is_valid():
        services.chat_message_post(
            project=project, author=request.user, body=form.cleaned_data["body"]
        )
        if request.htmx:
            return _project_page(request, project, template=CHAT_CHANGED)
        shown = "?show=messages" if _people_only(request) else ""
        return redirect(reverse("collaboration:project", args=[project.pk]) + shown + "#chat")
    if request.htmx:
        # 422 rather than 400: the page's script swaps in a refused form to show why, and
        # treats every other error status as a failure.
        return _project_page(request, project, chat_form=form, template=CHAT_CHANGED, status=422)
    return _project_page(request, project, chat_form=form, status=400)


def _people_only(request) -> bool:
    """Whether the chat shows people's messages only ("Messages only"): from the address, or
    from the form posted while that filter was on."""
    return (request.POST.get("show") or request.GET.get("show")) == "messages"


def _emailed_soon(project) -> str:
    minutes = max(round(settings.COLLABORATION_SETTLING_SECONDS / 60), 1)
    return ngettext(
        "%(client)s is emailed about it in %(minutes)s minute if you leave it as it is; "
        "until then you can undo it.",
        "%(client)s is emailed about it in %(minutes)s minutes if you leave it as it is; "
        "until then you can undo it.",
        minutes,
    ) % {"client": project.client, "minutes": minutes}


def _project_page(
    request, project, *, before=None, chat_form=None, template=PAGE, status=200, reading=None
):
    """The project page, or the regions of it that `template` names. A page showing the
    newest messages counts them as read (`reading` says otherwise for a region that does
    not show them)."""
    today = timezone.localdate()
    page = project_page(
        project,
        user=request.user,
        today=today,
        before=before,
        people_only=_people_only(request),
    )
    if reading if reading is not None else (template == PAGE and before is None):
        services.chat_mark_read(project=project, user=request.user, up_to=page.chat.latest_id)
    context = {
        "page": page,
        "poll_seconds": settings.COLLABORATION_POLL_SECONDS,
        "chat_form": chat_form or ChatMessageForm(),
    }
    if request.user.is_staff and project.awaiting_payment:
        context["payment_form"] = PaymentForm(
            instance=copy.copy(project), initial={"payment_received_on": today}
        )
    return render(request, template, context, status=status)


def _back_to(project, milestone):
    return redirect(
        reverse("collaboration:project", args=[project.pk]) + f"#milestone-{milestone.pk}"
    )
