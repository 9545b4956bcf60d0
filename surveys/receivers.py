from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
                singular=gettext_lazy("survey"),
                plural=gettext_lazy("surveys"),
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
        parts.append(_("one active"))
    if responses:
        parts.append(
            ngettext("%(count)s response", "%(count)s responses", responses) % {"count": responses}
        )
    return ", ".join(parts)
