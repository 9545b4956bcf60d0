from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bip import services
from bip.forms import BulkMembersForm, MemberForm, PlanForm
from bip.models import Plan
from bip.selectors import get_plan_for_user, plan_list_for_manager, plan_members


@login_required
def plan_list(request):
    plans = plan_list_for_manager(request.user).order_by("-start_date", "name")
    if not request.user.is_staff and not plans:
        raise Http404
    return render(request, "bip/plan_list.html", {"plans": plans})


@login_required
def plan_create(request):
    if not request.user.is_staff:
        raise Http404
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_save(plan=form.instance)
        messages.success(request, f"“{plan.name}” is created. Add its members and milestones.")
        return redirect("bip:members", plan_pk=plan.pk)
    return render(request, "bip/plan_create.html", {"form": form})


@login_required
def plan_edit(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_save(plan=form.instance)
        messages.success(request, "The plan is saved.")
        return redirect("milestones:plan", plan_pk=plan.pk)
    return render(
        request, "bip/plan_edit.html", {"form": form, "plan": plan, "plan_tab": "settings"}
    )


@login_required
def plan_members_view(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    form = MemberForm(request.POST or None, prefix="one")
    if request.method == "POST" and form.is_valid():
        row = services.membership_add(plan=plan, added_by=request.user, **form.cleaned_data)
        _report_one(request, row)
        return redirect("bip:members", plan_pk=plan.pk)
    return _members_page(request, plan, form=form, bulk_form=BulkMembersForm(prefix="bulk"))


@login_required
@require_POST
def plan_members_bulk(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    bulk_form = BulkMembersForm(request.POST, request.FILES, prefix="bulk")
    report = None
    if bulk_form.is_valid():
        report = services.memberships_bulk_add(
            plan=plan,
            text=bulk_form.member_text(),
            role=bulk_form.cleaned_data["role"],
            added_by=request.user,
        )
        bulk_form = BulkMembersForm(prefix="bulk")
    return _members_page(
        request, plan, form=MemberForm(prefix="one"), bulk_form=bulk_form, report=report
    )


@login_required
@require_POST
def membership_remove(request, plan_pk, pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    membership = get_object_or_404(plan.memberships.select_related("user"), pk=pk)
    if membership.user == request.user and not request.user.is_staff:
        messages.error(request, "You cannot remove yourself: ask another admin.")
    else:
        services.membership_remove(membership=membership)
        messages.success(request, f"{membership.user} is no longer a member of this plan.")
    return redirect("bip:members", plan_pk=plan.pk)


def _members_page(request, plan: Plan, *, form, bulk_form, report=None):
    return render(
        request,
        "bip/plan_members.html",
        {
            "plan": plan,
            "members": plan_members(plan),
            "form": form,
            "bulk_form": bulk_form,
            "report": report,
            "plan_tab": "members",
            "added": [row for row in report or [] if row.outcome != "skipped"],
            "skipped": [row for row in report or [] if row.outcome == "skipped"],
        },
    )


def _report_one(request, row):
    if row.outcome == "invited":
        messages.success(request, f"{row.email} is invited: they get an email to set a password.")
    elif row.outcome == "added":
        messages.success(request, f"{row.email} is added and told by email.")
    else:
        messages.warning(request, f"{row.email} was not added: {row.reason}.")
