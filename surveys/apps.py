from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        from milestones.signals import milestone_contents
        from surveys.receivers import milestone_survey_contents

        milestone_contents.connect(
            milestone_survey_contents, dispatch_uid="surveys.milestone_survey_contents"
        )
