import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.converters import parse_id
from common.timezones import time_zone_choices
from milestones.forms import HttpURLField, MilestoneForm
from milestones.selectors import SessionTiming
from programmes.models import PlanTemplate

# Long enough for any programme people run, short enough to catch a typo of an extra digit.
MAX_START_DAY = 3660
MAX_SESSION_DAYS = 60


class TemplateSaveForm(forms.Form):
    name = forms.CharField(
        label=_("Template name"),
        max_length=200,
        error_messages={"required": _("Give the template a name.")},
    )
    with_trainers = forms.BooleanField(
        label=_("Include the trainers"),
        required=False,
        initial=True,
        help_text=_(
            "Each milestone keeps its trainers, with their contact details. Leave this off "
            "when the next cohort will have trainers of its own."
        ),
    )


class TemplateEditForm(forms.ModelForm):
    class Meta:
        model = PlanTemplate
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": _("Give the template a name.")}}


class PlanStartForm(forms.Form):
    """A new plan from a programme: the preview is this form sent with GET, creating it
    the same form sent with POST."""

    name = forms.CharField(
        label=_("New plan’s name"),
        max_length=200,
        error_messages={"required": _("Give the new plan a name.")},
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date the new plan starts."),
            "invalid": _("Enter the start date as a date, such as 2026-09-07."),
        },
        help_text=_(
            "Each session falls the same number of days after this date as it did after the "
            "original plan’s start."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Sessions keep their local clock times in this zone."),
    )
    skip_weekends = forms.BooleanField(
        label=_("Skip weekends"),
        required=False,
        help_text=_("A session that would fall on a Saturday or Sunday moves to the Monday."),
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
        label=_("Template"),
        queryset=PlanTemplate.objects.none(),
        empty_label=_("Choose a template"),
        error_messages={
            "required": _("Choose the template to start from."),
            "invalid_choice": _(
                "That template does not exist, or is not one you can use. Choose one from the list."
            ),
        },
    )

    field_order = ["template", "name", "start_date", "time_zone", "skip_weekends"]

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class TemplateMilestoneForm(MilestoneForm):
    """A template's milestone: the plan's milestone form, validated by the same model rules,
    with its meeting details and its session placed relative to the plan's start instead of
    on dates."""

    meeting_link = HttpURLField(
        label=_("Meeting link"),
        required=False,
        help_text=_("Zoom, Teams, Google Meet or any other http(s) link."),
    )
    start_day = forms.IntegerField(
        label=_("Day"),
        required=False,
        min_value=0,
        max_value=MAX_START_DAY,
        help_text=_("Day 0 is the plan’s start date."),
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In the plan’s time zone."),
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("On the session’s last day."),
    )
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=1,
        max_value=MAX_SESSION_DAYS,
        initial=1,
        help_text=_("More than one for a multi-day event."),
    )

    class Meta(MilestoneForm.Meta):
        fields = [*MilestoneForm.Meta.fields, "meeting_link", "passcode", "location"]

    def __init__(self, *args, timing: SessionTiming | None = None, **kwargs):
        if timing is not None:
            first = datetime.datetime.combine(datetime.date(2000, 1, 1), timing.start_time)
            kwargs["initial"] = {
                **kwargs.get("initial", {}),
                "start_day": timing.start_day,
                "start_time": timing.start_time,
                "end_time": (first + timing.duration).time(),
                "days": timing.days,
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        cleaned["timing"] = None
        when = [cleaned.get(name) for name in ("start_day", "start_time", "end_time")]
        if any(self.errors.get(n) for n in ("start_day", "start_time", "end_time", "days")):
            return cleaned
        if all(value is None for value in when):
            return cleaned
        start_day, start_time, end_time = when
        for name, value, message in [
            ("start_day", start_day, gettext("Give the day as well as the times.")),
            ("start_time", start_time, gettext("Give the start as well as the end.")),
            ("end_time", end_time, gettext("Give the end as well as the start.")),
        ]:
            if value is None:
                self.add_error(name, message)
        if self.errors:
            return cleaned
        days = cleaned.get("days") or 1
        if days > 1 and not cleaned.get("multi_day"):
            self.add_error(
                "days",
                gettext(
                    "This is a single-day milestone: it must end on the day it starts. To run "
                    "over several days, set “Multi-day event” to Yes."
                ),
            )
            return cleaned
        first = datetime.datetime.combine(datetime.date(2000, 1, 1), start_time)
        last = datetime.datetime.combine(first.date() + datetime.timedelta(days=days - 1), end_time)
        if last <= first:
            self.add_error("end_time", gettext("The session must end after it starts."))
            return cleaned
        cleaned["timing"] = SessionTiming(
            start_day=start_day, start_time=start_time, duration=last - first, days=days
        )
        return cleaned

    @property
    def settings(self) -> dict:
        """The milestone's settings as a blueprint keeps them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TemplateMilestoneMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
