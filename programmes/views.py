from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bip.selectors import get_plan_for_user
from common.views import refusal_as_message
from programmes import services
from programmes.forms import (
    PlanStartForm,
    TemplateEditForm,
    TemplateMilestoneForm,
    TemplateMilestoneMoveForm,
    TemplateSaveForm,
    TemplateStartForm,
)
from programmes.selectors import (
    Programme,
    cohort_comparison,
    get_template_for_user,
    may_use_templates,
    plan_template_of,
    programme_calendar,
    programme_of_plan,
    template_milestone,
    template_milestone_rows,
    templates_visible_to,
)
from progress.completion import COMPLETION_RULE


def template_list(request):
    if not may_use_templates(request.user):
        raise Http404
    return render(
        request,
        "programmes/template_list.html",
        {"templates": list(templates_visible_to(request.user).order_by("name", "pk"))},
    )


def template_save(request, plan_pk):
    """Save a plan as a template: a platform admin or the plan's project admin."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    form = TemplateSaveForm(request.POST or None, initial={"name": plan.name})
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            template = services.template_save(
                plan=plan, created_by=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                ngettext(
                    "“%(name)s” is saved as a template with its %(count)d milestone.",
                    "“%(name)s” is saved as a template with its %(count)d milestones.",
                    template.milestone_count,
                )
                % {"name": template.name, "count": template.milestone_count},
            )
            return redirect("programmes:list")
    return render(
        request,
        "programmes/template_save.html",
        {"plan": plan, "form": form, "plan_tab": "milestones", "plan_crumb": True},
    )


def template_edit(request, pk):
    """The template's page: its name and description, and its milestones to edit."""
    template = get_template_for_user(request.user, pk)
    form = TemplateEditForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        services.template_update(template=template, **form.cleaned_data)
        messages.success(request, _("The template is saved."))
        return redirect("programmes:edit", pk=template.pk)
    if form.is_bound:
        # The headings show the stored name, not the one just refused.
        template.refresh_from_db(fields=["name"])
    return render(
        request,
        "programmes/template_edit.html",
        {
            "template": template,
            "form": form,
            "rows": template_milestone_rows(Programme.from_json(template.content)),
        },
    )


def template_milestone_edit(request, pk, key):
    template = get_template_for_user(request.user, pk)
    milestone = template_milestone(Programme.from_json(template.content), key)
    form = TemplateMilestoneForm(
        request.POST or None, initial=milestone.settings, timing=milestone.timing
    )
    if request.method == "POST" and form.is_valid():
        services.template_milestone_update(
            template=template, key=key, settings=form.settings, timing=form.cleaned_data["timing"]
        )
        messages.success(
            request,
            _("“%(name)s” is saved in the template.") % {"name": form.cleaned_data["name"]},
        )
        return redirect("programmes:edit", pk=template.pk)
    return render(
        request,
        "programmes/template_milestone_edit.html",
        {"template": template, "milestone": milestone, "form": form},
    )


@require_POST
def template_milestone_move(request, pk, key):
    template = get_template_for_user(request.user, pk)
    template_milestone(Programme.from_json(template.content), key)
    form = TemplateMilestoneMoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    services.template_milestone_move(
        template=template, key=key, direction=form.cleaned_data["direction"]
    )
    return redirect("programmes:edit", pk=template.pk)


def template_milestone_remove(request, pk, key):
    template = get_template_for_user(request.user, pk)
    milestone = template_milestone(Programme.from_json(template.content), key)
    if request.method == "POST":
        with refusal_as_message(request):
            services.template_milestone_remove(template=template, key=key)
            messages.success(
                request, _("“%(name)s” is removed from the template.") % {"name": milestone.name}
            )
        return redirect("programmes:edit", pk=template.pk)
    return render(
        request,
        "programmes/template_milestone_remove.html",
        {"template": template, "milestone": milestone},
    )


def template_delete(request, pk):
    template = get_template_for_user(request.user, pk)
    if request.method == "POST":
        services.template_delete(template=template)
        messages.success(
            request,
            _("“%(name)s” is deleted. Plans started from it keep everything.")
            % {"name": template.name},
        )
        return redirect("programmes:list")
    return render(request, "programmes/template_confirm_delete.html", {"template": template})


def cohorts(request, pk):
    """The plans that ran the template's programme, side by side."""
    template = get_template_for_user(request.user, pk)
    return render(
        request,
        "programmes/cohorts.html",
        {
            "template": template,
            "comparison": cohort_comparison(template, request.user),
            "completion_rule": COMPLETION_RULE,
        },
    )


def plan_start(request):
    """Start a plan from a template. The form sent with GET previews the calendar; the
    same form sent with POST creates the plan. Creating plans is for platform admins."""
    if not request.user.is_staff:
        raise Http404
    templates = templates_visible_to(request.user).order_by("name", "pk")
    asked = request.POST if request.method == "POST" else request.GET
    form = TemplateStartForm(
        asked if "name" in asked else None,
        templates=templates,
        initial={"template": asked.get("template")},
    )
    programme = calendar = None
    if form.is_valid():
        template = form.cleaned_data["template"]
        programme = Programme.from_json(template.content)
        created = _start_or_preview(request, form, programme, template=template)
        if created:
            return created
        calendar = _calendar(form, programme)
    return render(
        request,
        "programmes/plan_start.html",
        {"form": form, "calendar": calendar, "programme": programme},
    )


def plan_copy(request, plan_pk):
    """Copy a plan to run its programme again, with the same preview as a template."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    if not request.user.is_staff:
        raise Http404
    asked = request.POST if request.method == "POST" else request.GET
    form = PlanStartForm(
        asked if "name" in asked else None,
        initial={"name": _("%(name)s (copy)") % {"name": plan.name}, "time_zone": plan.time_zone},
    )
    programme = calendar = None
    if form.is_valid():
        programme = programme_of_plan(plan, with_trainers=True)
        created = _start_or_preview(
            request, form, programme, template=plan_template_of(plan), copied_from=plan
        )
        if created:
            return created
        calendar = _calendar(form, programme)
    return render(
        request,
        "programmes/plan_copy.html",
        {
            "plan": plan,
            "form": form,
            "calendar": calendar,
            "programme": programme,
            "plan_tab": "milestones",
            "plan_crumb": True,
        },
    )


def _calendar(form, programme):
    return programme_calendar(
        programme,
        start_date=form.cleaned_data["start_date"],
        time_zone=form.cleaned_data["time_zone"],
        skip_weekends=form.cleaned_data["skip_weekends"],
    )


def _start_or_preview(request, form, programme, *, template=None, copied_from=None):
    """On POST, create the plan and send the admin to it; on GET, nothing (the preview)."""
    if request.method != "POST":
        return None
    with refusal_as_message(request):
        plan = services.plan_start(
            programme=programme,
            name=form.cleaned_data["name"],
            start_date=form.cleaned_data["start_date"],
            time_zone=form.cleaned_data["time_zone"],
            skip_weekends=form.cleaned_data["skip_weekends"],
            created_by=request.user,
            template=template,
            copied_from=copied_from,
        )
        count = len(programme.milestones.milestones)
        messages.success(
            request,
            ngettext(
                "“%(name)s” is created with %(count)d milestone, every session tentative. Add "
                "its members, then confirm each session in its meeting details: invitations go "
                "out only for confirmed sessions.",
                "“%(name)s” is created with %(count)d milestones, every session tentative. Add "
                "its members, then confirm each session in its meeting details: invitations go "
                "out only for confirmed sessions.",
                count,
            )
            % {"name": plan.name, "count": count},
        )
        return redirect("milestones:plan", plan_pk=plan.pk)
    return None
