from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = _("Client collaboration")

    def ready(self):
        from notifications.kinds import Kind, kind_register

        group = _("Client projects")
        kind_register(
            Kind(
                code="project_milestone_added",
                label=_("Milestone added"),
                description=_("When the consultant adds a milestone to your project."),
                group=group,
            ),
            Kind(
                code="project_milestone_changed",
                label=_("Milestone edited"),
                description=_(
                    "When a milestone's due date, title or description changes, "
                    "with the old and new values."
                ),
                group=group,
            ),
            Kind(
                code="project_milestone_completed",
                label=_("Milestone complete"),
                description=_("When the consultant marks a milestone complete."),
                group=group,
            ),
            Kind(
                code="project_milestone_uncompleted",
                label=_("Milestone no longer complete"),
                description=_("When a completed milestone is marked as not complete again."),
                group=group,
            ),
            Kind(
                code="project_milestone_deleted",
                label=_("Milestone deleted"),
                description=_("When the consultant deletes a milestone."),
                group=group,
            ),
            Kind(
                code="project_milestone_accepted",
                label=_("Milestone accepted"),
                description=_("For consultants: the client accepts a milestone you delivered."),
                group=group,
            ),
            Kind(
                code="project_milestone_changes_requested",
                label=_("Changes asked for"),
                description=_(
                    "For consultants: the client asks for changes to a milestone you "
                    "delivered, with their comment."
                ),
                group=group,
            ),
            Kind(
                code="project_chat_messages",
                label=_("Chat messages"),
                description=_(
                    "Messages in a project's chat that you have not read a few minutes "
                    "after they were sent, several in one email."
                ),
                group=group,
            ),
            Kind(
                code="project_milestone_due_soon",
                label=_("Milestone due soon"),
                description=_("A reminder shortly before an open milestone is due."),
                group=group,
            ),
            Kind(
                code="project_milestone_overdue",
                label=_("Milestone overdue"),
                description=_("A reminder once an open milestone's due date has passed."),
                group=group,
            ),
            Kind(
                code="project_milestones_opened",
                label=_("Milestones section opened"),
                description=_(
                    "For consultants: a project's milestones section is open, with the first steps."
                ),
                group=group,
            ),
            Kind(
                code="project_no_milestones_reminder",
                label=_("No milestones yet"),
                description=_(
                    "For consultants: reminders while an open project has no milestones."
                ),
                group=group,
            ),
        )
