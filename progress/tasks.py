from celery import shared_task

from progress import services


@shared_task(ignore_result=True)
def send_nudges() -> int:
    """Hourly from beat: a participant hears once a week at most about each session."""
    return services.nudges_send()


@shared_task(ignore_result=True)
def send_plan_digests() -> int:
    """Hourly from beat: each project admin's digest goes out on the first run of their
    morning, once a day."""
    return services.plan_digests_send()
