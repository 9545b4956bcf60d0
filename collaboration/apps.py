from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = "Client collaboration"

    def ready(self):
        from notifications.kinds import Kind, kind_register

        group = "Client projects"
        kind_register(
            Kind(
                code="project_milestone_added",
                label="Milestone added",
                description="When the consultant adds a milestone to your project.",
                group=group,
            ),
            Kind(
                code="project_milestone_changed",
                label="Milestone edited",
                description="When a milestone's due date, title or description changes, "
                "with the old and new values.",
                group=group,
            ),
            Kind(
                code="project_milestone_completed",
                label="Milestone complete",
                description="When the consultant marks a milestone complete.",
                group=group,
            ),
            Kind(
                code="project_milestone_uncompleted",
                label="Milestone no longer complete",
                description="When a completed milestone is marked as not complete again.",
                group=group,
            ),
            Kind(
                code="project_milestone_deleted",
                label="Milestone deleted",
                description="When the consultant deletes a milestone.",
                group=group,
            ),
            Kind(
                code="project_milestone_accepted",
                label="Milestone accepted",
                description="For consultants: the client accepts a milestone you delivered.",
                group=group,
            ),
            Kind(
                code="project_milestone_changes_requested",
                label="Changes asked for",
                description="For consultants: the client asks for changes to a milestone you "
                "delivered, with their comment.",
                group=group,
            ),
            Kind(
                code="project_chat_messages",
                label="Chat messages",
                description="Messages in a project's chat that you have not read a few minutes "
                "after they were sent, several in one email.",
                group=group,
            ),
            Kind(
                code="project_milestone_due_soon",
                label="Milestone due soon",
                description="A reminder shortly before an open milestone is due.",
                group=group,
            ),
            Kind(
                code="project_milestone_overdue",
                label="Milestone overdue",
                description="A reminder once an open milestone's due date has passed.",
                group=group,
            ),
            Kind(
                code="project_milestones_opened",
                label="Milestones section opened",
                description="For consultants: a project's milestones section is open, with the "
                "first steps.",
                group=group,
            ),
            Kind(
                code="project_no_milestones_reminder",
                label="No milestones yet",
                description="For consultants: reminders while an open project has no milestones.",
                group=group,
            ),
        )
