from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from files.views import ProtectedFileView
from milestones import uploads
from milestones.models import Milestone
from milestones.selectors import (
    get_milestone_for_participant,
    get_milestone_in_charge,
    manages_plan,
)
from milestones.upload_forms import PostActionForm, ProgressUploadForm, ReviewCommentForm

# Participant side: the forms live on the participant's milestone page, so every answer
# goes back to where the form was posted from.


@login_required
@require_POST
def upload_create(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    if milestone.upload_progress == Milestone.UploadProgress.OFF:
        raise Http404
    form = ProgressUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, milestone, form, "Your progress upload")
    uploads.upload_create(
        milestone=milestone,
        participant=request.user,
        file=form.cleaned_data["file"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, "Your upload is sent for review.")
    return _back(request)


@login_required
@require_POST
def upload_delete(request, plan_pk, pk, upload_pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    upload = get_object_or_404(milestone.uploads, pk=upload_pk, participant=request.user)
    try:
        uploads.upload_delete(upload=upload, participant=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{upload.filename}” is deleted.")
    return _back(request)


@login_required
@require_POST
def post_action_save(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    if not milestone.post_action_required:
        raise Http404
    context = uploads.participant_post_action(milestone, request.user)
    if not context["post_action_editable"]:
        messages.error(request, "Your follow-up action is validated and can no longer change.")
        return _back(request)
    form = PostActionForm(request.POST, request.FILES, instance=context["post_action"])
    if not form.is_valid():
        return _form_page(request, milestone, form, "Your follow-up action")
    file = form.cleaned_data["file"]
    try:
        uploads.post_action_save(
            milestone=milestone,
            participant=request.user,
            text=form.cleaned_data["text"],
            file=file if isinstance(file, UploadedFile) else None,
            remove_file=file is False,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your follow-up action is saved.")
    return _back(request)


def _next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _back(request):
    return redirect(_next(request))


def _form_page(request, milestone, form, heading):
    return render(
        request,
        "milestones/upload_form_page.html",
        {
            "milestone": milestone,
            "form": form,
            "heading": heading,
            "action": request.path,
            "next": _next(request),
        },
    )


# Review side


@login_required
def uploads_review(request, plan_pk, pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    return _review_page(request, milestone)


@login_required
@require_POST
def upload_accept(request, plan_pk, pk, upload_pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    upload = get_object_or_404(milestone.uploads.select_related("participant"), pk=upload_pk)
    try:
        uploads.upload_accept(upload=upload, reviewer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{upload.participant}'s upload “{upload.filename}” is accepted.")
    return redirect("milestones:uploads_review", plan_pk=plan_pk, pk=pk)


@login_required
@require_POST
def upload_request_changes(request, plan_pk, pk, upload_pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    upload = get_object_or_404(milestone.uploads.select_related("participant"), pk=upload_pk)
    form = _comment_form(upload, request.POST)
    if not form.is_valid():
        return _review_page(request, milestone, comment_form=form, commented_pk=upload.pk)
    try:
        uploads.upload_request_changes(
            upload=upload, reviewer=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{upload.participant} is asked for changes.")
    return redirect("milestones:uploads_review", plan_pk=plan_pk, pk=pk)


@login_required
@require_POST
def post_action_validate(request, plan_pk, pk, post_action_pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    post_action = get_object_or_404(
        milestone.post_actions.select_related("participant"), pk=post_action_pk
    )
    try:
        uploads.post_action_validate(post_action=post_action, validator=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{post_action.participant}'s follow-up action is validated.")
    return redirect("milestones:uploads_review", plan_pk=plan_pk, pk=pk)


def _review_page(request, milestone, *, comment_form=None, commented_pk=None):
    groups = uploads.milestone_uploads_by_participant(milestone)
    for group in groups:
        for upload in group["uploads"]:
            if upload.pk == commented_pk:
                upload.comment_form = comment_form
            elif upload.status == upload.Status.SUBMITTED:
                upload.comment_form = _comment_form(upload)
    # A trainer reviews here without managing the plan, so they get a page without the
    # management tabs they could not open.
    manages = manages_plan(request.user, milestone.plan_id)
    return render(
        request,
        "milestones/uploads_review.html",
        {
            "milestone": milestone,
            "frame": "milestones/milestone_base.html" if manages else "base.html",
            "manages": manages,
            "groups": groups,
            "post_actions": uploads.milestone_post_actions(milestone),
            "commented_pk": commented_pk,
            "tab": "uploads",
        },
    )


def _comment_form(upload, data=None):
    # Each upload on the page has its own comment box, and each label its own field.
    return ReviewCommentForm(data, auto_id=f"upload-{upload.pk}-%s")


# Downloads


class UploadDownloadView(ProtectedFileView):
    """A progress upload is for the person who sent it and those who review it."""

    def get_queryset(self):
        return uploads.uploads_downloadable_by(self.request.user, self.kwargs["plan_pk"])

    def get_filename(self, obj):
        return obj.filename


class PostActionDownloadView(ProtectedFileView):
    def get_queryset(self):
        return uploads.post_actions_downloadable_by(self.request.user, self.kwargs["plan_pk"])
