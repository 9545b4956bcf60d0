"""Progress uploads and follow-up actions: who may fetch them, and what the participant's
cards and the reviewer's page show."""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Q, QuerySet

from milestones.models import Milestone, PostAction, ProgressUpload
from milestones.selectors import milestones_in_charge_of


def uploads_downloadable_by(user, plan_pk) -> QuerySet[ProgressUpload]:
    """A progress upload is for the person who sent it and those who review it."""
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


@dataclass(frozen=True)
class ParticipantUploads:
    """The participant's uploads for one milestone, newest first."""

    allowed: bool
    mandatory: bool
    uploads: tuple[ProgressUpload, ...]


def participant_uploads(milestone: Milestone, user) -> ParticipantUploads:
    allowed = milestone.upload_progress != Milestone.UploadProgress.OFF
    uploads = (
        tuple(
            milestone.uploads.filter(participant=user)
            .select_related("reviewed_by")
            .order_by("-created_at", "-pk")
        )
        if allowed
        else ()
    )
    return ParticipantUploads(
        allowed=allowed,
        mandatory=milestone.upload_progress == Milestone.UploadProgress.MANDATORY,
        uploads=uploads,
    )


@dataclass(frozen=True)
class ParticipantPostAction:
    """The participant's follow-up action for one milestone, where one is required."""

    required: bool
    post_action: PostAction | None

    @property
    def editable(self) -> bool:
        """It can be written or changed until a reviewer validates it."""
        return self.required and (self.post_action is None or not self.post_action.validated_at)


def participant_post_action(milestone: Milestone, user) -> ParticipantPostAction:
    post_action = (
        PostAction.objects.filter(milestone=milestone, participant=user)
        .select_related("validated_by")
        .first()
        if milestone.post_action_required
        else None
    )
    return ParticipantPostAction(required=milestone.post_action_required, post_action=post_action)


# What a reviewer sees


@dataclass(frozen=True)
class ParticipantUploadsGroup:
    participant: object
    uploads: tuple[ProgressUpload, ...]


def milestone_uploads_by_participant(milestone: Milestone) -> list[ParticipantUploadsGroup]:
    """Every participant's uploads for the milestone, newest first, one group per person
    (people ordered by name); one query however many there are."""
    uploads = milestone.uploads.select_related("participant", "reviewed_by").order_by(
        "participant__display_name",
        "participant__email",
        "participant_id",
        "-created_at",
        "-pk",
    )
    return [
        ParticipantUploadsGroup(participant=rows[0].participant, uploads=rows)
        for rows in (tuple(group) for _, group in groupby(uploads, key=lambda u: u.participant_id))
    ]


def milestone_post_actions(milestone: Milestone) -> QuerySet[PostAction]:
    return milestone.post_actions.select_related("participant", "validated_by").order_by(
        "participant__display_name", "participant__email", "pk"
    )


# For progress


def upload_facts(
    *, milestone_ids: Iterable[int], participant_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], str]:
    """(milestone id, participant id) → "accepted" when one of their uploads is accepted,
    else "awaiting" when one awaits review; people with neither are absent. One query."""
    rows = ProgressUpload.objects.filter(
        milestone_id__in=list(milestone_ids),
        status__in=[ProgressUpload.Status.ACCEPTED, ProgressUpload.Status.SUBMITTED],
    )
    if participant_ids is not None:
        rows = rows.filter(participant_id__in=list(participant_ids))
    facts: dict[tuple[int, int], str] = {}
    for milestone_id, participant_id, status in (
        rows.order_by().values_list("milestone_id", "participant_id", "status").distinct()
    ):
        accepted = status == ProgressUpload.Status.ACCEPTED
        if accepted or (milestone_id, participant_id) not in facts:
            facts[milestone_id, participant_id] = "accepted" if accepted else "awaiting"
    return facts


def post_actions_sent(
    *, milestone_ids: Iterable[int], participant_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], bool]:
    """(milestone id, participant id) → whether that follow-up action is validated, for
    every action sent; one query."""
    rows = PostAction.objects.filter(milestone_id__in=list(milestone_ids))
    if participant_ids is not None:
        rows = rows.filter(participant_id__in=list(participant_ids))
    return {
        (milestone_id, participant_id): validated_at is not None
        for milestone_id, participant_id, validated_at in rows.order_by().values_list(
            "milestone_id", "participant_id", "validated_at"
        )
    }


@dataclass(frozen=True)
class ReviewQueue:
    """What waits for a reviewer on one milestone."""

    uploads: int = 0
    post_actions: int = 0

    def __bool__(self) -> bool:
        return bool(self.uploads or self.post_actions)


def review_queues(milestone_ids: Iterable[int]) -> dict[int, ReviewQueue]:
    """Milestone id → uploads awaiting review and follow-up actions awaiting validation, for
    the milestones with any; two queries."""
    ids = list(milestone_ids)
    uploads = dict(
        ProgressUpload.objects.filter(milestone_id__in=ids, status=ProgressUpload.Status.SUBMITTED)
        .order_by()
        .values_list("milestone_id")
        .annotate(n=Count("pk"))
    )
    actions = dict(
        PostAction.objects.filter(milestone_id__in=ids, validated_at__isnull=True)
        .order_by()
        .values_list("milestone_id")
        .annotate(n=Count("pk"))
    )
    return {
        pk: ReviewQueue(uploads=uploads.get(pk, 0), post_actions=actions.get(pk, 0))
        for pk in uploads.keys() | actions.keys()
    }
