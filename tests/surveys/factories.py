import factory

from surveys.models import Answer, Option, Question, Response, Survey
from tests.factories import MilestoneFactory, UserFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    milestone = factory.SubFactory(MilestoneFactory)
    title = factory.Sequence(lambda n: f"Training Feedback {n}")
    description = "Tell us how the training went."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}")
    type = Question.Type.TEXT


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, type=Question.Type.MCQ)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Option {n}")


class McqQuestionFactory(QuestionFactory):
    """A multiple choice question with options "Yes", "Somewhat" and "No"."""

    class Meta:
        skip_postgeneration_save = True

    type = Question.Type.MCQ

    @factory.post_generation
    def options(question, create, extracted, **kwargs):
        if create:
            for order, text in enumerate(extracted or ["Yes", "Somewhat", "No"]):
                OptionFactory(question=question, order=order, text=text)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    respondent = factory.SubFactory(UserFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, survey=factory.SelfAttribute("..response.survey")
    )
    text = "It was useful."
