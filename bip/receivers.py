from django.db.models import QuerySet

from bip.selectors import participant_ids


def plan_participants(sender, **kwargs) -> QuerySet:
    return participant_ids()
