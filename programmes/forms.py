from django import forms

from common.converters import parse_id
from common.timezones import time_zone_choices
from programmes.models import PlanTemplate


class TemplateSaveForm(forms.Form):
    name = forms.CharField(
        label="Template name",
        max_length=200,
        error_messages={"required": "Give the template a name."},
    )
    with_trainers = forms.BooleanField(
        label="Include the trainers",
        required=False,
        initial=True,
        help_text="Each milestone keeps its trainers, with their contact details. Leave "
        "this off when the next cohort will have trainers of its own.",
    )


class TemplateEditForm(forms.ModelForm):
    class Meta:
        model = PlanTemplate
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": "Give the template a name."}}


class PlanStartForm(forms.Form):
    """A new plan from a programme: the preview is this form sent with GET, creating it
    the same form sent with POST."""

    name = forms.CharField(
        label="New plan’s name",
        max_length=200,
        error_messages={"required": "Give the new plan a name."},
    )
    start_date = forms.DateField(
        label="Start date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Give the date the new plan starts.",
            "invalid": "Enter the start date as a date, such as 2026-09-07.",
        },
        help_text="Each session falls the same number of days after this date as it did "
        "after the original plan’s start.",
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Sessions keep their local clock times in this zone.",
    )
    skip_weekends = forms.BooleanField(
        label="Skip weekends",
        required=False,
        help_text="A session that would fall on a Saturday or Sunday moves to the Monday.",
    )


class TemplateChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # Junk or a number too large for the database is no template, not a failed lookup.
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TemplateStartForm(PlanStartForm):
    template = TemplateChoiceField(
        queryset=PlanTemplate.objects.none(),
        empty_label="Choose a template",
        error_messages={
            "required": "Choose the template to start from.",
            "invalid_choice": "That template does not exist, or is not one you can use. "
            "Choose one from the list.",
        },
    )

    field_order = ["template", "name", "start_date", "time_zone", "skip_weekends"]

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
