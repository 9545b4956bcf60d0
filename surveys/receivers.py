from django.db.models import Count, Q

from milestones.signals import Content
from surveys.models import Survey


def milestone_survey_contents(sender, *, milestones, **kwargs) -> dict[int, list[Content]]:
    """The surveys of each milestone for the milestone pages, "2 surveys (one active, 14
    responses)", in one query however many milestones there are."""
    counts = (
        Survey.objects.filter(milestone_id__in=[milestone.pk for milestone in milestones])
        .order_by()
        .values("milestone_id")
        .annotate(
            surveys=Count("pk", distinct=True),
            active=Count("pk", filter=Q(is_active=True), distinct=True),
            responses=Count("responses"),
        )
    )
    return {
        row["milestone_id"]: [
            Content(
                singular="survey",
                plural="surveys",
                count=row["surveys"],
                note=_note(active=row["active"], responses=row["responses"]),
                icon="fa-solid fa-square-poll-vertical",
            )
        ]
        for row in counts
    }


def _note(*, active: int, responses: int) -> str:
    parts = []
    if active:
        parts.append("one active")
    if responses:
        parts.append(f"{responses} response{'' if responses == 1 else 's'}")
    return ", ".join(parts)
