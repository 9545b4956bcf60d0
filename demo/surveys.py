from bip.models import Plan
from surveys.models import Answer, Option, Question, Response, Survey


def load_surveys(plans: list[Plan], people) -> None:
    for plan in plans:
        workshop = plan.milestones.filter(name="Lean Foundations Workshop").first()
        if workshop is None or workshop.surveys.exists():
            continue
        survey = Survey.objects.create(
            milestone=workshop,
            title="Training Feedback",
            description="Tell us how the workshop went, so the next sessions fit you better.",
            is_active=True,
        )
        pace = Question.objects.create(
            survey=survey, order=0, type=Question.Type.MCQ, text="How was the pace of the workshop?"
        )
        options = [
            Option.objects.create(question=pace, order=n, text=text)
            for n, text in enumerate(["Too slow", "About right", "Too fast"])
        ]
        useful = Question.objects.create(
            survey=survey,
            order=1,
            type=Question.Type.RATING,
            text="How useful were the exercises?",
            scale_max=5,
        )
        apply = Question.objects.create(
            survey=survey,
            order=2,
            type=Question.Type.TEXT,
            text="Which idea will you apply first at work?",
        )
        overall = Question.objects.create(
            survey=survey,
            order=3,
            type=Question.Type.OVERALL_RATING,
            text="Rate your overall experience",
            scale_max=Question.OVERALL_RATING_SCALE,
        )
        feedback = Question.objects.create(
            survey=survey,
            order=4,
            type=Question.Type.OVERALL_TEXT,
            text="Share your feedback in a few sentences",
            required=False,
        )
        response = Response.objects.create(survey=survey, respondent=people["priya@cairn.example"])
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=pace, option=options[1]),
                Answer(response=response, question=useful, rating=4),
                Answer(response=response, question=apply, text="A daily stand-up at the line."),
                Answer(response=response, question=overall, rating=5),
                Answer(response=response, question=feedback, text="Practical and well paced."),
            ]
        )

        assessment = plan.milestones.filter(name="Initial Skill Assessment").first()
        if assessment is not None:
            draft = Survey.objects.create(
                milestone=assessment,
                title="Assessment experience",
                description="A short check on how the assessment felt.",
            )
            Question.objects.create(
                survey=draft,
                order=0,
                type=Question.Type.OVERALL_RATING,
                text="How clear was the assessment?",
                scale_max=Question.OVERALL_RATING_SCALE,
            )
