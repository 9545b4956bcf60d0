import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from bip import services
from bip.forms import BulkMembersForm, MemberForm, PlanForm
from bip.models import Plan
from bip.selectors import get_plan_for_user, plan_list_for_manager, plan_members
from common.views import refusal_as_message, search_term
from jobs.selectors import recent_jobs
from notifications.selectors import notification_in_scope, scope_log
from notifications.services import notification_requeue

MEMBERS_PAGE_SIZE = 100


def plan_list(request):
    plans = plan_list_for_manager(request.user)
    if not request.user.is_staff and not plans:
        raise Http404
    return render(
        request,
        "bip/plan_list.html",
        {
            "plans": [row for row in plans if not row.plan.is_archived],
            "past_plans": [row for row in plans if row.plan.is_archived],
        },
    )


def plan_create(request):
    if not request.user.is_staff:
        raise Http404
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_save(plan=form.instance)
        messages.success(
            request,
            _("“%(name)s” is created. Add its members and milestones.") % {"name": plan.name},
        )
        return redirect("bip:members", plan_pk=plan.pk)
    return render(request, "bip/plan_create.html", {"form": form})


def plan_edit(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    # The form writes what was typed onto its instance, valid or not: a copy keeps the
    # page's header (name, dates, zone) as saved when the save is refused.
    form = PlanForm(request.POST or None, instance=copy.copy(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(plan=form.instance)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("milestones:plan", plan_pk=plan.pk)
    return render(
        request, "bip/plan_edit.html", {"form": form, "plan": plan, "plan_tab": "settings"}
    )


def plan_archive(request, plan_pk):
    """Archive a finished plan, after a page that says what that does."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    if request.method == "POST":
        with refusal_as_message(request):
            services.plan_archive(plan=plan, archived_by=request.user)
            messages.success(
                request,
                _(
                    "“%(name)s” is archived. Its members find it under Past plans, with "
                    "everything recorded in it."
                )
                % {"name": plan.name},
            )
            return redirect("milestones:plan", plan_pk=plan.pk)
    return render(
        request,
        "bip/plan_archive.html",
        {"plan": plan, "plan_tab": "milestones", "plan_crumb": True},
    )


@require_POST
def plan_restore(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    services.plan_restore(plan=plan)
    messages.success(
        request,
        _("“%(name)s” is restored: it is back in the menus and can be changed again.")
        % {"name": plan.name},
    )
    return redirect("milestones:plan", plan_pk=plan.pk)


@gzip_page
def plan_members_view(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    form = MemberForm(request.POST or None, prefix="one")
    if request.method == "POST" and form.is_valid():
        row = services.membership_add(plan=plan, added_by=request.user, **form.cleaned_data)
        _report_one(request, row)
        return redirect("bip:members", plan_pk=plan.pk)
    return _members_page(request, plan, form=form, bulk_form=BulkMembersForm(prefix="bulk"))


@require_POST
def plan_members_bulk(request, plan_pk):
    """Check the list at once, then add everyone on it in the background and follow the
    import on its own page."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    bulk_form = BulkMembersForm(request.POST, request.FILES, prefix="bulk")
    if bulk_form.is_valid():
        try:
            job = services.member_import_start(
                plan=plan,
                text=bulk_form.cleaned_data["member_text"],
                role=bulk_form.cleaned_data["role"],
                started_by=request.user,
            )
        except ValidationError as refused:
            bulk_form.add_error(None, refused)
        else:
            return redirect("jobs:detail", pk=job.pk)
    return _members_page(request, plan, form=MemberForm(prefix="one"), bulk_form=bulk_form)


@require_POST
def membership_remove(request, plan_pk, pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    membership = get_object_or_404(plan.memberships.select_related("user"), pk=pk)
    with refusal_as_message(request):
        services.membership_remove(membership=membership, removed_by=request.user)
        messages.success(
            request,
            _("%(person)s is no longer a member of this plan.") % {"person": membership.user},
        )
    return redirect("bip:members", plan_pk=plan.pk)


def _members_page(request, plan: Plan, *, form, bulk_form):
    search = search_term(request.GET)
    return render(
        request,
        "bip/plan_members.html",
        {
            "plan": plan,
            "search": search,
            "members": Paginator(plan_members(plan, search=search), MEMBERS_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "form": form,
            "bulk_form": bulk_form,
            "imports": recent_jobs(scope=services.plan_scope(plan.pk), kind=services.MEMBER_IMPORT),
            "plan_tab": "members",
        },
    )


def _report_one(request, row):
    if row.outcome == "invited":
        messages.success(
            request,
            _("%(email)s is invited: they get an email to set a password.") % {"email": row.email},
        )
    elif row.outcome == "added":
        messages.success(request, _("%(email)s is added and told by email.") % {"email": row.email})
    else:
        messages.warning(
            request,
            _("%(email)s was not added: %(reason)s.")
            % {"email": row.email, "reason": row.reason_text},
        )


def plan_emails(request, plan_pk):
    """What Cairn emailed about the plan, to whom and how it went, for those who manage it."""
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    return render(
        request,
        "bip/plan_emails.html",
        {
            "plan": plan,
            "plan_tab": "emails",
            "log": scope_log(scope=services.plan_scope(plan.pk), page=request.GET.get("page")),
        },
    )


@require_POST
def plan_email_resend(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, manage=True)
    email = notification_in_scope(
        scope=services.plan_scope(plan.pk), pk=request.POST.get("notification", "")
    )
    notification_requeue(notification=email)
    messages.success(
        request, _("The email to %(email)s is on its way again.") % {"email": email.to_email}
    )
    return redirect("bip:emails", plan_pk=plan.pk)
