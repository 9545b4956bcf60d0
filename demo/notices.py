"""The emails the demo plan sends when it is loaded, so a first `make run` prints a few of
them: the invitation to the coming confirmed session, the nudges after the sessions held,
and the morning digests. Sessions held before the demo existed count as announced long
ago, so editing one later sends its update. Running it again sends nothing twice."""

from django.utils import timezone

from milestones.models import Milestone
from milestones.notices.services import review_digests_send, session_announce
from progress.services import nudges_send, plan_digests_send


def send_demo_emails(plans) -> None:
    now = timezone.now()
    confirmed = Milestone.objects.filter(
        plan__in=plans, schedule=Milestone.Schedule.CONFIRMED, announced__isnull=True
    ).select_related("plan")
    for milestone in confirmed:
        details = milestone.session_details()
        if details is None:
            continue
        if milestone.session_ended(now):
            Milestone.objects.filter(pk=milestone.pk).update(announced=details.to_json())
        else:
            Milestone.objects.filter(pk=milestone.pk).update(announce_after=now)
            session_announce(milestone_id=milestone.pk, now=now)
    nudges_send(now=now)
    plan_digests_send(now=now)
    review_digests_send(now=now)
