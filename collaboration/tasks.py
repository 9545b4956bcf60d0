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


@shared_task(ignore_result=True)
def announce_milestone(milestone_id: int) -> None:
    services.project_milestone_announce(milestone_id=milestone_id)


@shared_task(ignore_result=True)
def announce_settled_milestones() -> int:
    """Every minute from beat: announces the milestones whose own task was lost."""
    return services.project_milestones_settled_announce()


@shared_task(ignore_result=True)
def send_chat_emails() -> int:
    """Every minute from beat, and when a conversation is due to go quiet."""
    return services.chat_emails_send()
