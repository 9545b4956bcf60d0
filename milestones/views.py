import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bip.selectors import get_plan_for_participant, get_plan_for_user, plans_visible_to
from common.converters import parse_id
from common.views import refusal_as_message
from files.views import ProtectedFileView
from milestones import history, services
from milestones.forms import (
    ActivityForm,
    MeetingForm,
    MilestoneForm,
    ScheduleShiftForm,
    TrainerForm,
    TrainerSelectForm,
)
from milestones.models import Activity, Milestone
from milestones.selectors import (
    get_milestone_for_user,
    manages_plan,
    milestone_activities,
    milestone_deletion_summary,
    milestone_trainer_list,
    milestones_with_same_name,
    plan_milestones,
    plan_trainers,
    schedule_shift,
    selected_trainers,
)

PHASES = {phase.value: phase for phase in Activity.Phase}
HISTORY_PAGE_SIZE = 50


def milestone_frame(user, milestone: Milestone) -> str:
    """The frame of a page that both a plan's managers and a milestone's trainers open:
    managers get the milestone's tabs, a trainer (who may open no other management page)
    its heading alone."""
    if manages_plan(user, milestone.plan_id):
        return "milestones/milestone_base.html"
    return "milestones/trainer_base.html"


def plan_detail(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    milestones = plan_milestones(plan)
    return render(
        request,
        "milestones/plan_milestones.html",
        {
            "plan": plan,
            "milestones": milestones,
            "positions": range(1, len(milestones) + 1),
            "reorderable": not plan.is_archived and len(milestones) > 1,
            "plan_tab": "milestones",
        },
    )


def plan_shift(request, plan_pk):
    """Move a postponed cohort's sessions by a number of days: the form's GET shows where
    every session would go, and confirming it (a POST) moves them."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    asked = request.POST if request.method == "POST" else request.GET
    form = ScheduleShiftForm(asked if "days" in asked else None)
    shift = None
    if form.is_valid():
        days = form.cleaned_data["days"]
        if request.method == "POST":
            with refusal_as_message(request):
                done = services.plan_schedule_shift(plan=plan, days=days)
                messages.success(request, _shift_report(done))
                return redirect("milestones:plan", plan_pk=plan.pk)
        shift = schedule_shift(plan, days=days)
    return render(
        request,
        "milestones/schedule_shift.html",
        {"plan": plan, "form": form, "shift": shift, "plan_tab": "milestones", "plan_crumb": True},
    )


def _shift_report(shift) -> str:
    moved = len(shift.moved)
    # The same words as the preview's heading and button (templates/milestones/schedule_shift.html).
    if shift.days > 0:
        distance = ngettext("%(counter)s day later", "%(counter)s days later", shift.distance) % {
            "counter": shift.distance
        }
    else:
        distance = ngettext(
            "%(counter)s day earlier", "%(counter)s days earlier", shift.distance
        ) % {"counter": shift.distance}
    report = ngettext(
        "%(count)s session moved %(distance)s.", "%(count)s sessions moved %(distance)s.", moved
    ) % {"count": moved, "distance": distance}
    if shift.confirmed_moved:
        report += " " + _("Everyone taking part in a confirmed session gets one update for it.")
    return report


def milestone_create(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    form = MilestoneForm(request.POST or None, instance=Milestone(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(milestone=form.instance)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("“%(name)s” is added to the plan. Now set its meeting details.")
                % {"name": milestone.name},
            )
            _warn_same_name(request, milestone)
            return redirect("milestones:detail", plan_pk=plan.pk, pk=milestone.pk)
    return render(
        request,
        "milestones/milestone_form.html",
        {
            "plan": plan,
            "form": form,
            "same_name": _typed_name_warning(form, Milestone(plan=plan)),
            "plan_tab": "milestones",
        },
    )


def milestone_detail(request, plan_pk, pk):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    return render(
        request,
        "milestones/milestone_detail.html",
        {"milestone": milestone, "trainers": milestone_trainer_list(milestone), "tab": "details"},
    )


def milestone_edit(request, plan_pk, pk):
    return _milestone_form_page(
        request,
        plan_pk,
        pk,
        MilestoneForm,
        "milestones/milestone_form.html",
        gettext_lazy("The milestone's details are saved."),
    )


def milestone_meeting(request, plan_pk, pk):
    return _milestone_form_page(
        request,
        plan_pk,
        pk,
        MeetingForm,
        "milestones/meeting_form.html",
        gettext_lazy("The milestone's meeting details are saved."),
    )


def _milestone_form_page(request, plan_pk, pk, form_class, template, saved_message):
    """An edit form of a milestone. It carries the history record it was opened at, so a
    save over someone else's newer change is shown that change instead of undoing it."""
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    saved = copy.copy(milestone)
    form = form_class(request.POST or None, instance=milestone)
    based_on = (
        parse_id(request.POST.get("based_on"))
        if request.method == "POST"
        else history.milestone_revision(milestone)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(
                milestone=form.instance, based_on=based_on, fields=form.Meta.fields
            )
        except history.EditConflict as refused:
            conflict, based_on = refused, refused.latest
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, saved_message)
            if "name" in form.changed_data:
                _warn_same_name(request, milestone)
            return redirect("milestones:detail", plan_pk=plan_pk, pk=pk)
    return render(
        request,
        template,
        {
            # The page's header shows what is saved, not what the form holds.
            "milestone": saved,
            "plan": milestone.plan,
            "form": form,
            "based_on": based_on or "",
            "conflict": conflict,
            "same_name": _typed_name_warning(form, saved) if form_class is MilestoneForm else "",
            "tab": "details",
        },
    )


def _typed_name_warning(form, milestone: Milestone) -> str:
    """The warning for the name in the form: the one typed, or else the one saved."""
    typed = form["name"].value()
    if typed is None:
        return _same_name_warning(milestone)
    probe = copy.copy(milestone)
    probe.name = typed
    return _same_name_warning(probe)


def _warn_same_name(request, milestone: Milestone) -> None:
    warning = _same_name_warning(milestone)
    if warning:
        messages.warning(request, warning)


def _same_name_warning(milestone: Milestone) -> str:
    """A repeated name is allowed (a second "Coaching session") but said, because
    participants then meet two milestones they cannot tell apart."""
    twins = milestones_with_same_name(milestone)
    if not twins:
        return ""
    numbers = ", ".join(str(twin.number) for twin in twins)
    return ngettext(
        "Milestone %(numbers)s of this plan is also called “%(name)s”. You can keep the name, "
        "but participants tell milestones apart by name: consider one that says which this is.",
        "Milestones %(numbers)s of this plan are also called “%(name)s”. You can keep the name, "
        "but participants tell milestones apart by name: consider one that says which this is.",
        len(twins),
    ) % {"numbers": numbers, "name": twins[0].name}


def milestone_history(request, plan_pk, pk):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    entries = Paginator(history.milestone_history(milestone), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "milestones/milestone_history.html",
        {"milestone": milestone, "entries": entries, "tab": "history"},
    )


@require_POST
def milestone_move(request, plan_pk, pk):
    """Move a milestone one place up or down (the arrows) or to a numbered position (the
    "Move to" list, or where it was dropped after dragging)."""
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    move = _asked_move(request)
    if _asked_by_script(request):
        return _moved(services.milestone_move, milestone=milestone, **move)
    with refusal_as_message(request):
        services.milestone_move(milestone=milestone, **move)
    return redirect(f"{reverse('milestones:plan', args=[plan_pk])}#milestone-{pk}")


def _asked_move(request) -> dict:
    """What a move form asks: a `direction`, up or down, or a `position` counted from 1 as
    the "Move to position" list shows it; anything else is no page at all."""
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        return {"direction": direction}
    position = parse_id(request.POST.get("position"))
    if position:
        return {"position": position - 1}
    raise Http404


def _asked_by_script(request) -> bool:
    """Whether the page's script sent the move (a row dropped after dragging) and reads the
    answer itself, rather than a form that expects the page back."""
    return request.headers.get("Accept") == "application/json"


def _moved(move, **arguments) -> JsonResponse:
    """The script's answer: the list's order as saved, which the page then shows whatever it
    guessed, or why the move was refused, nothing having moved."""
    try:
        return JsonResponse({"order": move(**arguments)})
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)


def milestone_delete(request, plan_pk, pk):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    if request.method == "POST":
        with refusal_as_message(request):
            services.milestone_delete(milestone=milestone)
            messages.success(request, _("“%(name)s” is deleted.") % {"name": milestone.name})
            return redirect("milestones:plan", plan_pk=plan_pk)
        return redirect("milestones:detail", plan_pk=plan_pk, pk=pk)
    return render(
        request,
        "milestones/milestone_confirm_delete.html",
        {
            "milestone": milestone,
            "summary": milestone_deletion_summary(milestone),
            "tab": "details",
        },
    )


def trainer_list(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    return render(
        request,
        "milestones/trainers.html",
        {"plan": plan, "trainers": plan_trainers(plan), "plan_tab": "trainers"},
    )


def trainer_form(request, plan_pk, pk=None):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    trainer = get_object_or_404(plan.trainers, pk=pk) if pk else None
    form = TrainerForm(request.POST or None, instance=trainer)
    form.instance.plan = plan
    back = parse_id(request.GET.get("milestone"))
    if request.method == "POST" and form.is_valid():
        # The milestone to go back to is read before saving, so junk in it cannot fail
        # the request once the trainer is saved.
        milestone_pk = parse_id(request.POST.get("milestone"))
        with refusal_as_message(request):
            trainer = services.trainer_save(trainer=form.instance)
            messages.success(request, _("%(name)s is saved.") % {"name": trainer.name})
            milestone = plan.milestones.filter(pk=milestone_pk).first() if milestone_pk else None
            if milestone:
                return redirect("milestones:milestone_trainers", plan_pk=plan.pk, pk=milestone.pk)
        return redirect("milestones:trainers", plan_pk=plan.pk)
    return render(
        request,
        "milestones/trainer_form.html",
        {"plan": plan, "form": form, "trainer": trainer, "back": back, "plan_tab": "trainers"},
    )


def trainer_delete(request, plan_pk, pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    trainer = get_object_or_404(plan.trainers, pk=pk)
    if request.method == "POST":
        with refusal_as_message(request):
            services.trainer_delete(trainer=trainer)
            messages.success(request, _("%(name)s is deleted.") % {"name": trainer.name})
        return redirect("milestones:trainers", plan_pk=plan.pk)
    return render(
        request,
        "milestones/trainer_confirm_delete.html",
        {
            "plan": plan,
            "trainer": trainer,
            "milestones": trainer.milestones.all(),
            "plan_tab": "trainers",
        },
    )


def milestone_trainers(request, plan_pk, pk):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    form = TrainerSelectForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            services.milestone_trainers_add(
                milestone=milestone, trainers=form.cleaned_data["trainers"]
            )
            names = ", ".join(t.name for t in form.cleaned_data["trainers"])
            messages.success(
                request, _("Selected for this milestone: %(names)s.") % {"names": names}
            )
        return redirect("milestones:milestone_trainers", plan_pk=plan_pk, pk=pk)
    return render(
        request,
        "milestones/milestone_trainers.html",
        {
            "milestone": milestone,
            "selected": selected_trainers(milestone),
            "form": form,
            "tab": "trainers",
        },
    )


@require_POST
def milestone_trainer_remove(request, plan_pk, pk, trainer_pk):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    trainer = get_object_or_404(milestone.trainers, pk=trainer_pk)
    with refusal_as_message(request):
        services.milestone_trainer_remove(milestone=milestone, trainer=trainer)
        messages.success(
            request,
            _("%(name)s no longer runs this milestone (and stays in the plan's trainers).")
            % {"name": trainer.name},
        )
    return redirect("milestones:milestone_trainers", plan_pk=plan_pk, pk=pk)


def activity_list(request, plan_pk, pk, phase):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    phase = _phase(phase)
    activities = list(milestone_activities(milestone, phase))
    return render(
        request,
        "milestones/activities.html",
        {
            "milestone": milestone,
            "phase": phase,
            "activities": activities,
            "positions": range(1, len(activities) + 1),
            "reorderable": not milestone.plan.is_archived and len(activities) > 1,
            "tab": phase.value,
        },
    )


def activity_form(request, plan_pk, pk, phase=None, activity_pk=None):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    if activity_pk:
        activity = get_object_or_404(milestone.activities, pk=activity_pk)
    else:
        activity = Activity(milestone=milestone, phase=_phase(phase))
    replaced_file = activity.file if activity.pk and activity.file else None
    # A copy, so that a refused save leaves the page's heading with the saved title.
    form = ActivityForm(request.POST or None, request.FILES or None, instance=copy.copy(activity))
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            saved = services.activity_save(activity=form.instance, replaced_file=replaced_file)
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved.title})
        return redirect("milestones:activities", plan_pk=plan_pk, pk=pk, phase=activity.phase)
    return render(
        request,
        "milestones/activity_form.html",
        {"milestone": milestone, "activity": activity, "form": form, "tab": activity.phase},
    )


@require_POST
def activity_move(request, plan_pk, pk, activity_pk):
    """Move an activity one place up or down or to a numbered position, as for milestones."""
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    activity = get_object_or_404(milestone.activities, pk=activity_pk)
    move = _asked_move(request)
    if _asked_by_script(request):
        return _moved(services.activity_move, activity=activity, **move)
    with refusal_as_message(request):
        services.activity_move(activity=activity, **move)
    url = reverse("milestones:activities", args=[plan_pk, pk, activity.phase])
    return redirect(f"{url}#activity-{activity.pk}")


def activity_delete(request, plan_pk, pk, activity_pk):
    milestone = get_milestone_for_user(request.user, plan_pk, pk)
    activity = get_object_or_404(milestone.activities, pk=activity_pk)
    if request.method == "POST":
        with refusal_as_message(request):
            services.activity_delete(activity=activity)
            messages.success(request, _("“%(name)s” is deleted.") % {"name": activity.title})
        return redirect("milestones:activities", plan_pk=plan_pk, pk=pk, phase=activity.phase)
    return render(
        request,
        "milestones/activity_confirm_delete.html",
        {"milestone": milestone, "activity": activity, "tab": activity.phase},
    )


@require_POST
def activity_open(request, plan_pk, pk):
    """A participant opens an activity's link or file; the first time is recorded, so the
    participant's pages can say what is still to review."""
    plan = get_plan_for_participant(request.user, plan_pk)
    activity = get_object_or_404(Activity.objects.filter(milestone__plan=plan), pk=pk)
    services.activity_open(activity=activity, participant=request.user)
    if activity.upload_type == Activity.UploadType.LINK:
        return redirect(activity.url)
    return redirect("milestones:activity_download", plan_pk=plan.pk, pk=activity.pk)


class ActivityDownloadView(ProtectedFileView):
    """Activity files are for the plan's members and those who manage it."""

    def get_queryset(self):
        return Activity.objects.filter(
            milestone__plan__in=plans_visible_to(self.request.user),
            milestone__plan_id=self.kwargs["plan_pk"],
        )

    def get_filename(self, obj):
        return obj.filename


def _phase(value) -> Activity.Phase:
    try:
        return PHASES[value]
    except KeyError:
        raise Http404 from None
