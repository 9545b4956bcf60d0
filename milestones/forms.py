import datetime
import zoneinfo

from django import forms
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import IdModelMultipleChoiceField
from milestones.models import Activity, Milestone, Trainer
from milestones.selectors import MAX_SHIFT_DAYS


class HttpURLField(forms.URLField):
    """A web link people can open: http or https only, with one clear message."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": gettext_lazy("Enter a full http:// or https:// link.")}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", max_length=500, **kwargs)


YES_NO = [(True, gettext_lazy("Yes")), (False, gettext_lazy("No"))]


def yes_no_field(model_field):
    return forms.TypedChoiceField(
        label=capfirst(model_field.verbose_name),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        help_text=model_field.help_text,
    )


class MilestoneForm(forms.ModelForm):
    post_action_required = yes_no_field(Milestone._meta.get_field("post_action_required"))
    multi_day = yes_no_field(Milestone._meta.get_field("multi_day"))

    class Meta:
        model = Milestone
        fields = [
            "name",
            "description",
            "kind",
            "post_action_required",
            "multi_day",
            "upload_progress",
            "attendance_marking",
            "session_connect",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "upload_progress": forms.RadioSelect,
            "attendance_marking": forms.RadioSelect,
            "session_connect": forms.RadioSelect,
        }


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed in the plan's time zone, whatever the viewer's own zone is."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, *, zone: zoneinfo.ZoneInfo, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, self.zone)
        return value

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)


class MeetingForm(forms.ModelForm):
    meeting_link = HttpURLField(
        required=False,
        label=capfirst(Milestone._meta.get_field("meeting_link").verbose_name),
        help_text=Milestone._meta.get_field("meeting_link").help_text,
    )

    class Meta:
        model = Milestone
        fields = ["meeting_link", "passcode", "location", "schedule", "starts_at", "ends_at"]
        widgets = {"schedule": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.zone
        for name in ("starts_at", "ends_at"):
            model_field = Milestone._meta.get_field(name)
            self.fields[name] = ZonedDateTimeField(
                zone=zone,
                required=False,
                label=capfirst(model_field.verbose_name),
                help_text=_("In the plan's time zone, %(zone)s.")
                % {"zone": self.instance.plan.time_zone},
            )


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ["name", "email", "phone", "organisation", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "email": gettext_lazy(
                "If someone signs in to Cairn with this address, they can see the sessions they "
                "run."
            ),
        }


class TrainerSelectForm(forms.Form):
    trainers = IdModelMultipleChoiceField(
        queryset=Trainer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Select trainers"),
        error_messages={"required": gettext_lazy("Tick at least one trainer to add.")},
    )

    def __init__(self, *args, milestone: Milestone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = milestone.plan.trainers.exclude(milestones=milestone)


class ActivityForm(forms.ModelForm):
    url = HttpURLField(
        label=gettext_lazy("Link"),
        required=False,
        help_text=gettext_lazy("An external http(s) link, for a link upload."),
    )

    class Meta:
        model = Activity
        fields = ["title", "upload_type", "file", "url"]
        widgets = {"upload_type": forms.RadioSelect}
        help_texts = {
            "file": gettext_lazy(
                "For a file upload: PDF, PowerPoint, Word, Excel, OpenDocument, text or images."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.instance
        if activity.pk and activity.file:
            self.fields["file"].widget.download_url = reverse(
                "milestones:activity_download", args=[activity.milestone.plan_id, activity.pk]
            )

    def clean(self):
        cleaned = super().clean()
        upload_type = cleaned.get("upload_type")
        if upload_type == Activity.UploadType.FILE:
            if not cleaned.get("file") and "file" not in self.errors:
                self.add_error("file", _("Choose a file to upload."))
            cleaned["url"] = ""
        elif upload_type == Activity.UploadType.LINK:
            if not cleaned.get("url") and "url" not in self.errors:
                self.add_error("url", _("Paste the link."))
            # False clears a stored file, as the "clear" box of a file input does: a link
            # activity keeps no file.
            cleaned["file"] = False
        return cleaned


class ScheduleShiftForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Move the schedule by (days)"),
        min_value=-MAX_SHIFT_DAYS,
        max_value=MAX_SHIFT_DAYS,
        help_text=gettext_lazy(
            "A positive number moves the sessions later, a negative one earlier. "
            "Sessions keep their local times, across clock changes too."
        ),
        widget=forms.NumberInput(attrs={"placeholder": gettext_lazy("e.g. 14 or -7")}),
    )

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days == 0:
            raise forms.ValidationError(_("Give a number of days other than 0."))
        return days
