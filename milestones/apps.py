from django.apps import AppConfig
from django.utils.translation import gettext_lazy

GROUP = gettext_lazy("Business Improvement Plans")


class MilestonesConfig(AppConfig):
    name = "milestones"

    def ready(self):
        from bip.signals import member_joined
        from milestones.calendar.views import calendar_feed_section_register
        from milestones.receivers import invite_new_participant
        from notifications.kinds import Kind, kind_register

        kind_register(
            Kind(
                code="session_invitation",
                label=gettext_lazy("Session invitations and changes"),
                description=gettext_lazy(
                    "A calendar invite when a session you take part in or run is "
                    "confirmed, an update when its time, link or place changes, and its "
                    "cancellation."
                ),
                group=GROUP,
            ),
            Kind(
                code="session_reminder",
                label=gettext_lazy("Session reminders"),
                description=gettext_lazy(
                    "The day before and an hour before each session day, with the "
                    "link or the place."
                ),
                group=GROUP,
            ),
            Kind(
                code="activity_to_review",
                label=gettext_lazy("Material to review"),
                description=gettext_lazy(
                    "When a pre-session activity is added to a session ahead of you."
                ),
                group=GROUP,
            ),
            Kind(
                code="upload_reviewed",
                label=gettext_lazy("Your uploads reviewed"),
                description=gettext_lazy(
                    "When a reviewer accepts a progress upload of yours or sends it "
                    "back with a comment."
                ),
                group=GROUP,
            ),
            Kind(
                code="trainer_assignment",
                label=gettext_lazy("Sessions you run"),
                description=gettext_lazy(
                    "When you are put on a milestone to run its session, or taken off it."
                ),
                group=GROUP,
            ),
            Kind(
                code="uploads_to_review",
                label=gettext_lazy("Uploads to review"),
                description=gettext_lazy(
                    "A morning summary of the uploads and follow-up actions waiting "
                    "for your review in the sessions you run, when there are any."
                ),
                group=GROUP,
            ),
        )
        calendar_feed_section_register()
        member_joined.connect(invite_new_participant, dispatch_uid="milestones-invite-newcomer")
