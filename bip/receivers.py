from django.db.models import QuerySet

from bip.selectors import participant_ids, plan_scopes_managed_by


def plan_participants(sender, **kwargs) -> QuerySet:
    return participant_ids()


def plans_looked_after(sender, *, user, **kwargs) -> QuerySet:
    """A plan's imports and exports are for everyone who manages the plan."""
    return plan_scopes_managed_by(user)
