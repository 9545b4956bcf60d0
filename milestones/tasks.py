from celery import shared_task

from milestones.notices import services


@shared_task(ignore_result=True)
def announce_session(milestone_id: int) -> None:
    services.session_announce(milestone_id=milestone_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def fan_out_announcement(announcement_id: int) -> int:
    return services.announcement_fan_out(announcement_id=announcement_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def announce_activity(activity_id: int) -> int:
    return services.activity_announce(activity_id=activity_id)


@shared_task(ignore_result=True)
def send_session_reminders() -> int:
    """Every five minutes from beat; each reminder is claimed once, so overlapping runs are
    harmless."""
    return services.session_reminders_send()


@shared_task(ignore_result=True)
def announce_settled_sessions() -> int:
    """Every minute from beat: announces sessions whose own task was lost (a broker restart,
    a countdown beyond the broker's visibility timeout)."""
    return services.settled_sessions_announce()


@shared_task(ignore_result=True)
def send_review_digests() -> int:
    """Hourly from beat: each trainer's summary goes out on the first run of their morning."""
    return services.review_digests_send()
