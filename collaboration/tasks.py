from celery import shared_task

from collaboration import services


@shared_task(ignore_result=True)
def send_project_reminders() -> dict[str, int]:
    """Hourly from beat. Each service claims what it sends with a unique key, so two runs at
    once, or a run repeated after a crash, send nothing twice."""
    return {
        "no_milestones": services.project_no_milestones_reminders_send(),
        "due_soon": services.project_milestone_due_soon_reminders_send(),
        "overdue": services.project_milestone_overdue_reminders_send(),
    }
