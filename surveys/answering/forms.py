from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from surveys.answering.services import AnswerValue
from surveys.models import Question

REQUIRED_MESSAGE = gettext_lazy("Please answer this question.")
TEXT_MAX_LENGTH = 5000


class SurveyAnswerForm(forms.Form):
    """One field per question of the survey, named `q<question id>`, each with the input
    its type calls for."""

    # Required answers are checked on the server, so every missing one is pointed out next
    # to its question at once instead of the browser stopping at the first.
    use_required_attribute = False

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = _field_for(question)

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def items(self):
        """(question, bound field) pairs in the survey's order, for the template."""
        return [(question, self[self.field_name(question)]) for question in self.questions]

    def answers(self) -> dict[int, AnswerValue]:
        """The cleaned answers in the shape `response_submit` takes."""
        answers: dict[int, AnswerValue] = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question))
            if question.type == Question.Type.MCQ and value:
                options = {str(option.pk): option for option in question.options.all()}
                value = options[value]
            answers[question.pk] = value if value not in ("", None) else None
        return answers

    def add_service_errors(self, error: ValidationError) -> None:
        """Show what the service refused: next to the question when it names one."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            name = f"q{key}" if f"q{key}" in self.fields else None
            for message in messages:
                self.add_error(name, message)


def _field_for(question: Question) -> forms.Field:
    common = {
        "label": question.text,
        "required": question.required,
        "error_messages": {"required": REQUIRED_MESSAGE},
    }
    if question.type == Question.Type.MCQ:
        return forms.ChoiceField(
            choices=[(str(option.pk), option.text) for option in question.options.all()],
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            **common,
        )
    if question.is_rating:
        return forms.TypedChoiceField(
            choices=[(value, str(value)) for value in question.scale],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(
                attrs={"class": "btn-check" if _is_scale(question) else "cairn-star-input"}
            ),
            **common,
        )
    return forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        **common,
    )


def _is_scale(question: Question) -> bool:
    return question.type == Question.Type.RATING
