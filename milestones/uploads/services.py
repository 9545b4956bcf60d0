"""Progress uploads and follow-up actions: sending, reviewing and validating them. Each
change locks its row, so two reviewers (or a reviewer and the participant) never both win."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bip.services import plan_scope
from files.storage import delete_files_on_commit
from milestones.models import Milestone, PostAction, ProgressUpload
from notifications.emails import absolute_url
from notifications.services import notification_create

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def upload_create(
    *, milestone: Milestone, participant: User, file: File, note: str = ""
) -> ProgressUpload:
    if milestone.upload_progress == Milestone.UploadProgress.OFF:
        raise ValidationError(_("This milestone takes no progress uploads."))
    upload = ProgressUpload(milestone=milestone, participant=participant, file=file, note=note)
    upload.full_clean()
    upload.save()
    return upload


@transaction.atomic
def upload_delete(*, upload: ProgressUpload, participant: User) -> None:
    """A participant takes back one of their own uploads, as long as nobody accepted it."""
    upload = ProgressUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.participant_id != participant.pk:
        raise ValidationError(_("Only the person who sent an upload can delete it."))
    if upload.status == ProgressUpload.Status.ACCEPTED:
        raise ValidationError(_("An accepted upload stays on record and cannot be deleted."))
    upload.delete()
    delete_files_on_commit([upload.file])


@transaction.atomic
def upload_accept(*, upload: ProgressUpload, reviewer: User) -> ProgressUpload:
    return _upload_review(upload=upload, reviewer=reviewer, status=ProgressUpload.Status.ACCEPTED)


@transaction.atomic
def upload_request_changes(
    *, upload: ProgressUpload, reviewer: User, comment: str
) -> ProgressUpload:
    """Send an upload back with a comment; the participant answers with a new upload."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    return _upload_review(
        upload=upload,
        reviewer=reviewer,
        status=ProgressUpload.Status.CHANGES_REQUESTED,
        comment=comment,
    )


def _upload_review(*, upload, reviewer, status, comment="") -> ProgressUpload:
    # Locked so that two reviewers clicking at once, or the participant deleting it
    # meanwhile, cannot both win.
    upload = (
        ProgressUpload.objects.select_for_update(of=("self",))
        .select_related("milestone", "participant")
        .get(pk=upload.pk)
    )
    if upload.status != ProgressUpload.Status.SUBMITTED:
        raise ValidationError(
            _("This upload was already reviewed (%(status)s).")
            % {"status": upload.get_status_display()}
        )
    upload.status = status
    upload.review_comment = comment
    upload.reviewed_by = reviewer
    upload.reviewed_at = timezone.now()
    upload._history_user = reviewer  # the history names the reviewer, whoever calls this
    upload.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    milestone = upload.milestone
    notification_create(
        recipient=upload.participant,
        kind="upload_reviewed",
        context={
            "accepted": status == ProgressUpload.Status.ACCEPTED,
            "filename": upload.filename,
            "comment": comment,
            "reviewer": str(reviewer),
            "milestone_name": milestone.name,
            "mandatory": milestone.upload_is_mandatory,
            "page_url": absolute_url(
                reverse("progress:my_milestone", args=[milestone.plan_id, milestone.pk])
            ),
        },
        # An upload is reviewed once: a second review is refused above.
        idempotency_key=f"upload-reviewed:{upload.pk}",
        subject_object=upload,
        scope=plan_scope(milestone.plan_id),
    )
    return upload


@transaction.atomic
def post_action_save(
    *,
    milestone: Milestone,
    participant: User,
    text: str,
    file: File | None = None,
    remove_file: bool = False,
) -> PostAction:
    """Create or update a participant's follow-up action. `file` replaces the attached file,
    `remove_file` drops it; either way the old file leaves storage after the commit."""
    if not milestone.post_action_required:
        raise ValidationError(_("This milestone asks for no follow-up action."))
    post_action = (
        PostAction.objects.select_for_update()
        .filter(milestone=milestone, participant=participant)
        .first()
    )
    now = timezone.now()
    if post_action is None:
        post_action = PostAction(milestone=milestone, participant=participant, submitted_at=now)
    elif post_action.validated_at is not None:
        raise ValidationError(_("Your follow-up action is validated and can no longer change."))
    replaced = post_action.file if post_action.file and (file or remove_file) else None
    post_action.text = text
    if file:
        post_action.file = file
    elif remove_file:
        post_action.file = ""
    post_action.updated_at = now
    post_action.full_clean()
    post_action.save()
    if replaced:
        delete_files_on_commit([replaced])
    return post_action


@transaction.atomic
def post_action_validate(*, post_action: PostAction, validator: User) -> PostAction:
    post_action = PostAction.objects.select_for_update().get(pk=post_action.pk)
    if post_action.validated_at is not None:
        raise ValidationError(_("This follow-up action is already validated."))
    post_action.validated_by = validator
    post_action.validated_at = timezone.now()
    post_action.save(update_fields=["validated_by", "validated_at"])
    return post_action
