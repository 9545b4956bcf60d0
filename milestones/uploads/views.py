from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from common.views import refusal_as_message, safe_next_url
from files.views import ProtectedFileView
from milestones.models import Milestone, ProgressUpload
from milestones.selectors import get_milestone_for_participant, get_milestone_in_charge
from milestones.uploads import selectors, services
from milestones.uploads.forms import PostActionForm, ProgressUploadForm, ReviewCommentForm
from milestones.views import milestone_frame

if TYPE_CHECKING:
    from accounts.models import User

# Participant side: the forms live on the participant's milestone page, so every answer
# goes back to where the form was posted from.


@require_POST
def upload_create(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    if milestone.upload_progress == Milestone.UploadProgress.OFF:
        raise Http404
    form = ProgressUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, milestone, form, _("Your progress upload"))
    with refusal_as_message(request):
        services.upload_create(
            milestone=milestone,
            participant=request.user,
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Your upload is sent for review."))
    return _back(request)


@require_POST
def upload_delete(request, plan_pk, pk, upload_pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    upload = get_object_or_404(milestone.uploads, pk=upload_pk, participant=request.user)
    with refusal_as_message(request):
        services.upload_delete(upload=upload, participant=request.user)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": upload.filename})
    return _back(request)


@require_POST
def post_action_save(request, plan_pk, pk):
    milestone = get_milestone_for_participant(request.user, plan_pk, pk)
    if not milestone.post_action_required:
        raise Http404
    current = selectors.participant_post_action(milestone, request.user)
    if not current.editable:
        messages.error(request, _("Your follow-up action is validated and can no longer change."))
        return _back(request)
    form = PostActionForm(request.POST, request.FILES, instance=current.post_action)
    if not form.is_valid():
        return _form_page(request, milestone, form, _("Your follow-up action"))
    file = form.cleaned_data["file"]
    with refusal_as_message(request):
        services.post_action_save(
            milestone=milestone,
            participant=request.user,
            text=form.cleaned_data["text"],
            file=file if isinstance(file, UploadedFile) else None,
            remove_file=file is False,
        )
        messages.success(request, _("Your follow-up action is saved."))
    return _back(request)


def _back(request):
    return redirect(safe_next_url(request, reverse("home")))


def _form_page(request, milestone, form, heading):
    return render(
        request,
        "milestones/upload_form_page.html",
        {
            "milestone": milestone,
            "form": form,
            "heading": heading,
            "action": request.path,
            "next": safe_next_url(request, reverse("home")),
        },
    )


# Review side

# Hundreds of participants are reviewed a page at a time.
REVIEW_PAGE_SIZE = 25
ACTIONS_PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewItem:
    """An upload on the review page, with its comment box while it awaits review."""

    upload: ProgressUpload
    comment_form: ReviewCommentForm | None


@dataclass(frozen=True)
class ReviewGroup:
    participant: User
    items: list[ReviewItem]


@gzip_page
def uploads_review(request, plan_pk, pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    return _review_page(request, milestone)


@require_POST
def upload_accept(request, plan_pk, pk, upload_pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    upload = get_object_or_404(milestone.uploads.select_related("participant"), pk=upload_pk)
    with refusal_as_message(request):
        services.upload_accept(upload=upload, reviewer=request.user)
        messages.success(
            request,
            _("%(name)s's upload “%(file)s” is accepted.")
            % {"name": upload.participant, "file": upload.filename},
        )
    return _back_to_review(request, plan_pk, pk)


@require_POST
def upload_request_changes(request, plan_pk, pk, upload_pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    upload = get_object_or_404(milestone.uploads.select_related("participant"), pk=upload_pk)
    form = _comment_form(upload, request.POST)
    if not form.is_valid():
        return _review_page(request, milestone, refused=form)
    with refusal_as_message(request):
        services.upload_request_changes(
            upload=upload, reviewer=request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(
            request, _("%(name)s is asked for changes.") % {"name": upload.participant}
        )
    return _back_to_review(request, plan_pk, pk)


@require_POST
def post_action_validate(request, plan_pk, pk, post_action_pk):
    milestone = get_milestone_in_charge(request.user, plan_pk, pk)
    post_action = get_object_or_404(
        milestone.post_actions.select_related("participant"), pk=post_action_pk
    )
    with refusal_as_message(request):
        services.post_action_validate(post_action=post_action, validator=request.user)
        messages.success(
            request,
            _("%(name)s's follow-up action is validated.") % {"name": post_action.participant},
        )
    return _back_to_review(request, plan_pk, pk)


def _review_page(request, milestone, *, refused: ReviewCommentForm | None = None):
    """The review page, a page of participants at a time, optionally only what waits for a
    review; `refused` is a comment form sent back with its errors, which opens where it was
    written.

    A refused comment is shown at the address it was posted to, so the page's own address
    (its filter and page numbers) comes from the `next` it carried.
    """
    review_path = reverse("milestones:uploads_review", args=[milestone.plan_id, milestone.pk])
    here = safe_next_url(request, review_path) if refused is not None else request.get_full_path()
    params = QueryDict(urlsplit(here).query)
    waiting = params.get("show") == "waiting"
    groups = selectors.milestone_uploads_by_participant(milestone)
    if waiting:
        groups = [group for group in groups if any(u.awaits_review for u in group.uploads)]
    page = Paginator(groups, REVIEW_PAGE_SIZE).get_page(params.get("page"))
    post_actions = selectors.milestone_post_actions(milestone)
    if waiting:
        post_actions = post_actions.filter(validated_at__isnull=True)
    actions = Paginator(post_actions, ACTIONS_PAGE_SIZE).get_page(params.get("actions"))
    return render(
        request,
        "milestones/uploads_review.html",
        {
            "frame": milestone_frame(request.user, milestone),
            "milestone": milestone,
            "here": here,
            "review_path": review_path,
            "params": params,
            "waiting": waiting,
            "page": page,
            "groups": [
                ReviewGroup(
                    participant=group.participant,
                    items=[
                        ReviewItem(upload, _comment_box(upload, refused))
                        for upload in group.uploads
                    ],
                )
                for group in page.object_list
            ],
            "actions": actions,
            "commented_pk": refused.upload_pk if refused is not None else None,
            "tab": "uploads",
        },
    )


def _back_to_review(request, plan_pk, pk):
    return redirect(
        safe_next_url(request, reverse("milestones:uploads_review", args=[plan_pk, pk]))
    )


def _comment_box(upload, refused: ReviewCommentForm | None) -> ReviewCommentForm | None:
    if refused is not None and refused.upload_pk == upload.pk:
        return refused
    if upload.status == ProgressUpload.Status.SUBMITTED:
        return _comment_form(upload)
    return None


def _comment_form(upload, data=None) -> ReviewCommentForm:
    # Each upload on the page has its own comment box, and each label its own field.
    return ReviewCommentForm(data, upload_pk=upload.pk, auto_id=f"upload-{upload.pk}-%s")


# Downloads


class UploadDownloadView(ProtectedFileView):
    def get_queryset(self):
        return selectors.uploads_downloadable_by(self.request.user, self.kwargs["plan_pk"])

    def get_filename(self, obj):
        return obj.filename


class PostActionDownloadView(ProtectedFileView):
    def get_queryset(self):
        return selectors.post_actions_downloadable_by(self.request.user, self.kwargs["plan_pk"])
