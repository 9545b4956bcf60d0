from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Participant progress")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from jobs.kinds import JobKind
        from jobs.kinds import kind_register as job_kind_register
        from jobs.services import job_csv_outcome
        from notifications.kinds import Kind, kind_register
        from progress.services import PROGRESS_CSV, progress_csv_run

        group = _("Business Improvement Plans")
        kind_register(
            Kind(
                code="survey_to_answer",
                label=_("Surveys to answer"),
                description=_(
                    "After a session, when its survey is waiting for your answers; "
                    "then once a week while it still is."
                ),
                group=group,
            ),
            Kind(
                code="follow_up_missing",
                label=_("Uploads and follow-up actions still missing"),
                description=_(
                    "After a session, when its progress upload or follow-up action "
                    "is still missing; then once a week until it is done."
                ),
                group=group,
            ),
            Kind(
                code="plan_digest",
                label=_("Morning digest of your plans"),
                description=_(
                    "For project admins: what waits in your plans (uploads to review, "
                    "attendance to validate, follow-up actions, survey answers), when anything "
                    "does."
                ),
                group=group,
            ),
        )
        job_kind_register(
            JobKind(
                code=PROGRESS_CSV,
                title=gettext_lazy("Progress CSV of %(subject)s"),
                working=gettext_lazy("Preparing your CSV…"),
                run=progress_csv_run,
                outcome=job_csv_outcome,
            ),
        )
