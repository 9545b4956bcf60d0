from django.db.models import FETCH_PEERS, Count, Q, QuerySet

from bip.models import PlanMembership


def memberships_for_user(user) -> QuerySet[PlanMembership]:
    """The plans a person belongs to, each with its participant count."""
    return (
        PlanMembership.objects.filter(user=user)
        .select_related("plan")
        .annotate(
            participant_count=Count(
                "plan__memberships",
                filter=Q(plan__memberships__role=PlanMembership.Role.PARTICIPANT),
            )
        )
        .order_by("plan__start_date", "plan__name")
        # A relation a page reaches for later is then loaded for every row at once.
        .fetch_mode(FETCH_PEERS)
    )
