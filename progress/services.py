from django.db import IntegrityError, transaction

from milestones.models import Activity, ActivityView


def activity_open(*, activity: Activity, participant) -> None:
    """Record the first time a participant opens an activity; later opens change nothing."""
    try:
        with transaction.atomic():
            ActivityView.objects.get_or_create(activity=activity, participant=participant)
    except IntegrityError:
        pass  # opened twice at the same moment: the first one is recorded
