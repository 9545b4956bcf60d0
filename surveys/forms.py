from django import forms
from django.utils.html import format_html, format_html_join

from surveys.models import Option, Question, Survey
from surveys.services import RATING_SCALE_MAX, RATING_SCALE_MIN, OptionEdit

TYPE_HELP = {
    Question.Type.MCQ: "people pick one of the options you list.",
    Question.Type.TEXT: "people answer in their own words.",
    Question.Type.RATING: "people rate one aspect from 1 up to the scale you choose.",
    Question.Type.OVERALL_RATING: "one final rating of the whole milestone, 1 to 5 stars. "
    "One per survey.",
    Question.Type.OVERALL_TEXT: "one final comment on the whole milestone, in their own words. "
    "One per survey.",
}


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "description"]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "For example: Training Feedback"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class QuestionForm(forms.Form):
    type = forms.ChoiceField(
        label="Question type",
        choices=Question.Type,
        help_text=format_html(
            '<ul class="list-unstyled mb-0">{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                ((Question.Type(value).label, text) for value, text in TYPE_HELP.items()),
            ),
        ),
    )
    text = forms.CharField(label="Question", max_length=500)
    required = forms.BooleanField(
        label="Required",
        required=False,
        initial=True,
        help_text="People must answer it to send the survey.",
    )
    scale_max = forms.IntegerField(
        label="Rating scale",
        required=False,
        initial=5,
        widget=forms.NumberInput(attrs={"min": RATING_SCALE_MIN, "max": RATING_SCALE_MAX}),
        help_text=f"People rate from 1 up to this number ({RATING_SCALE_MIN} to "
        f"{RATING_SCALE_MAX}).",
    )
    options = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One option per line, at least two.",
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "text": data["text"],
            "required": data["required"],
            "scale_max": data["scale_max"],
            "options": data["options"].splitlines(),
        }


class QuestionEditForm(QuestionForm):
    """The question with each existing option as a field of its own, so that rewording an
    option keeps the answers that chose it."""

    def __init__(self, *args, question: Question, options: list[Option], **kwargs):
        initial = {
            "type": question.type,
            "text": question.text,
            "required": question.required,
            "scale_max": question.scale_max,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.existing = options
        self.fields["options"].label = "Add options"
        self.fields["options"].help_text = "One new option per line."
        self.fields["options"].widget.attrs["rows"] = 2
        for number, option in enumerate(options, start=1):
            self.fields[f"option_{option.pk}"] = forms.CharField(
                label=f"Option {number}", max_length=300, required=False, initial=option.text
            )
            self.fields[f"remove_{option.pk}"] = forms.BooleanField(label="Remove", required=False)

    def option_rows(self) -> list[tuple[Option, forms.BoundField, forms.BoundField]]:
        return [
            (option, self[f"option_{option.pk}"], self[f"remove_{option.pk}"])
            for option in self.existing
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kept = [
            OptionEdit(pk=option.pk, text=data[f"option_{option.pk}"])
            for option in self.existing
            if not data[f"remove_{option.pk}"]
        ]
        added = [OptionEdit(text=line) for line in data["options"].splitlines()]
        return {**super().service_kwargs(), "options": kept + added}
