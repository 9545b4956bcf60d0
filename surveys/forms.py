from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.models import Option, Question, Survey
from surveys.services import RATING_SCALE_MAX, RATING_SCALE_MIN, OptionEdit

TYPE_HELP = {
    Question.Type.MCQ: gettext_lazy("people pick one of the options you list."),
    Question.Type.TEXT: gettext_lazy("people answer in their own words."),
    Question.Type.RATING: gettext_lazy("people rate one aspect from 1 up to the scale you choose."),
    Question.Type.OVERALL_RATING: gettext_lazy(
        "one final rating of the whole milestone, 1 to 5 stars. One per survey."
    ),
    Question.Type.OVERALL_TEXT: gettext_lazy(
        "one final comment on the whole milestone, in their own words. One per survey."
    ),
}


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "description"]
        widgets = {
            "title": forms.TextInput(
                attrs={"placeholder": gettext_lazy("For example: Training Feedback")}
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class QuestionForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("Question type"), choices=Question.Type)
    text = forms.CharField(label=gettext_lazy("Question"), max_length=500)
    required = forms.BooleanField(
        label=gettext_lazy("Required"),
        required=False,
        initial=True,
        help_text=gettext_lazy("People must answer it to send the survey."),
    )
    scale_max = forms.IntegerField(
        label=gettext_lazy("Rating scale"),
        required=False,
        initial=5,
        widget=forms.NumberInput(attrs={"min": RATING_SCALE_MIN, "max": RATING_SCALE_MAX}),
    )
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One option per line, at least two."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built with each form rather than once at import, so they read in the request's
        # language.
        self.fields["type"].help_text = format_html(
            '<ul class="list-unstyled mb-0">{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                ((Question.Type(value).label, text) for value, text in TYPE_HELP.items()),
            ),
        )
        self.fields["scale_max"].help_text = _(
            "People rate from 1 up to this number (%(min)s to %(max)s)."
        ) % {"min": RATING_SCALE_MIN, "max": RATING_SCALE_MAX}

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
        self.fields["options"].label = _("Add options")
        self.fields["options"].help_text = _("One new option per line.")
        self.fields["options"].widget.attrs["rows"] = 2
        for number, option in enumerate(options, start=1):
            self.fields[f"option_{option.pk}"] = forms.CharField(
                label=_("Option %(number)s") % {"number": number},
                max_length=300,
                required=False,
                initial=option.text,
            )
            self.fields[f"remove_{option.pk}"] = forms.BooleanField(
                label=_("Remove"), required=False
            )

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
