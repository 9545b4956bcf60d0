from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        from django.utils.translation import gettext_lazy

        from jobs.kinds import JobKind, kind_register
        from jobs.services import job_csv_outcome
        from milestones.signals import milestone_contents
        from surveys.receivers import milestone_survey_contents
        from surveys.results.services import SURVEY_RESULTS_CSV, survey_results_csv_run

        milestone_contents.connect(
            milestone_survey_contents, dispatch_uid="surveys.milestone_survey_contents"
        )
        kind_register(
            JobKind(
                code=SURVEY_RESULTS_CSV,
                title=gettext_lazy("Results CSV of %(subject)s"),
                working=gettext_lazy("Preparing your CSV…"),
                run=survey_results_csv_run,
                outcome=job_csv_outcome,
            ),
        )
