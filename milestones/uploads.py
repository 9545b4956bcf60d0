"""Progress uploads and post-session actions: who may send, review and fetch them, and the
rules each change follows."""

from itertools import groupby

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from files.storage import delete_files_on_commit
from milestones.models import Milestone, PostAction, ProgressUpload
from milestones.selectors import milestones_in_charge_of
from milestones.upload_forms import PostActionForm, ProgressUploadForm

# Lookups


def uploads_downloadable_by(user, plan_pk) -> QuerySet[ProgressUpload]:
    return ProgressUpload.objects.filter(milestone__plan_id=plan_pk).filter(
        Q(participant=user) | Q(milestone__in=milestones_in_charge_of(user))
    )


def post_actions_downloadable_by(user, plan_pk) -> QuerySet[PostAction]:
    return (
        PostAction.objects.filter(milestone__plan_id=plan_pk)
        .exclude(file="")
        .filter(Q(participant=user) | Q(milestone__in=milestones_in_charge_of(user)))
    )


# What a participant sees


def upload_requirement_met(milestone: Milestone, user) -> bool:
    """Only a mandatory upload is a requirement, and only an accepted one meets it."""
    if milestone.upload_progress != Milestone.UploadProgress.MANDATORY:
        return True
    return milestone.uploads.filter(
        participant=user, status=ProgressUpload.Status.ACCEPTED
    ).exists()


def participant_uploads(milestone: Milestone, user, *, form=None) -> dict:
    """Context for milestones/_participant_uploads.html on the participant's milestone page."""
    allowed = milestone.upload_progress != Milestone.UploadProgress.OFF
    uploads = (
        list(
            milestone.uploads.filter(participant=user)
            .select_related("reviewed_by")
            .order_by("-created_at", "-pk")
        )
        if allowed
        else []
    )
    for upload in uploads:
        upload.download_url = reverse(
            "milestones:upload_download", args=[milestone.plan_id, upload.pk]
        )
        upload.delete_url = reverse(
            "milestones:upload_delete", args=[milestone.plan_id, milestone.pk, upload.pk]
        )
        upload.deletable = upload.status != ProgressUpload.Status.ACCEPTED
    mandatory = milestone.upload_progress == Milestone.UploadProgress.MANDATORY
    return {
        "uploads": uploads,
        "upload_allowed": allowed,
        "upload_mandatory": mandatory,
        "upload_requirement_met": not mandatory
        or any(u.status == ProgressUpload.Status.ACCEPTED for u in uploads),
        "upload_form": form or ProgressUploadForm(),
        "upload_create_url": reverse(
            "milestones:upload_create", args=[milestone.plan_id, milestone.pk]
        ),
    }


def participant_post_action(milestone: Milestone, user, *, form=None) -> dict:
    """Context for milestones/_participant_post_action.html on the participant's page."""
    required = milestone.post_action_required
    post_action = (
        PostAction.objects.filter(milestone=milestone, participant=user)
        .select_related("validated_by")
        .first()
        if required
        else None
    )
    if post_action is not None and post_action.file:
        post_action.download_url = reverse(
            "milestones:post_action_download", args=[milestone.plan_id, post_action.pk]
        )
    editable = required and (post_action is None or post_action.validated_at is None)
    return {
        "post_action": post_action,
        "post_action_required": required,
        "post_action_editable": editable,
        "post_action_form": form or PostActionForm(instance=post_action),
        "post_action_save_url": reverse(
            "milestones:post_action_save", args=[milestone.plan_id, milestone.pk]
        ),
    }


# What a reviewer sees


def milestone_uploads_by_participant(milestone: Milestone) -> list[dict]:
    """Every participant's uploads for the milestone, newest first, one group per person
    (people ordered by name); two queries however many there are."""
    uploads = milestone.uploads.select_related("participant", "reviewed_by").order_by(
        "participant__display_name",
        "participant__email",
        "participant_id",
        "-created_at",
        "-pk",
    )
    return [
        {"participant": rows[0].participant, "uploads": rows}
        for rows in (list(group) for _, group in groupby(uploads, key=lambda u: u.participant_id))
    ]


def milestone_post_actions(milestone: Milestone) -> QuerySet[PostAction]:
    return milestone.post_actions.select_related("participant", "validated_by").order_by(
        "participant__display_name", "participant__email", "pk"
    )


# Changes


@transaction.atomic
def upload_create(
    *, milestone: Milestone, participant: User, file: File, note: str = ""
) -> ProgressUpload:
    if milestone.upload_progress == Milestone.UploadProgress.OFF:
        raise ValidationError("This milestone takes no progress uploads.")
    upload = ProgressUpload(milestone=milestone, participant=participant, file=file, note=note)
    # The upload was checked by its form; reading it again here would gain nothing.
    upload.full_clean(exclude=["file"])
    upload.save()
    return upload


@transaction.atomic
def upload_delete(*, upload: ProgressUpload, participant: User) -> None:
    """A participant takes back one of their own uploads, as long as nobody accepted it."""
    upload = ProgressUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.participant_id != participant.pk:
        raise ValidationError("Only the person who sent an upload can delete it.")
    if upload.status == ProgressUpload.Status.ACCEPTED:
        raise ValidationError("An accepted upload stays on record and cannot be deleted.")
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
        raise ValidationError({"comment": "Say what should change."})
    return _upload_review(
        upload=upload,
        reviewer=reviewer,
        status=ProgressUpload.Status.CHANGES_REQUESTED,
        comment=comment,
    )


def _upload_review(*, upload, reviewer, status, comment="") -> ProgressUpload:
    # Locked so that two reviewers clicking at once, or the participant deleting it
    # meanwhile, cannot both win.
    upload = ProgressUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ProgressUpload.Status.SUBMITTED:
        raise ValidationError(f"This upload was already reviewed ({upload.get_status_display()}).")
    upload.status = status
    upload.review_comment = comment
    upload.reviewed_by = reviewer
    upload.reviewed_at = timezone.now()
    upload.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
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
        raise ValidationError("This milestone asks for no follow-up action.")
    post_action = (
        PostAction.objects.select_for_update()
        .filter(milestone=milestone, participant=participant)
        .first()
    )
    now = timezone.now()
    if post_action is None:
        post_action = PostAction(milestone=milestone, participant=participant, submitted_at=now)
    elif post_action.validated_at is not None:
        raise ValidationError("Your follow-up action is validated and can no longer change.")
    replaced = post_action.file if post_action.file and (file or remove_file) else None
    post_action.text = text
    if file:
        post_action.file = file
    elif remove_file:
        post_action.file = ""
    post_action.updated_at = now
    post_action.full_clean(exclude=["file"])
    post_action.save()
    if replaced:
        delete_files_on_commit([replaced])
    return post_action


@transaction.atomic
def post_action_validate(*, post_action: PostAction, validator: User) -> PostAction:
    post_action = PostAction.objects.select_for_update().get(pk=post_action.pk)
    if post_action.validated_at is not None:
        raise ValidationError("This follow-up action is already validated.")
    post_action.validated_by = validator
    post_action.validated_at = timezone.now()
    post_action.save(update_fields=["validated_by", "validated_at"])
    return post_action
