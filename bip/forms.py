from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bip.models import Plan, PlanMembership
from files.validators import UploadValidator


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["name", "description", "start_date", "end_date", "time_zone"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=150,
        help_text=_("Used only when the address has no account yet."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=PlanMembership.Role, initial=PlanMembership.Role.PARTICIPANT
    )


class BulkMembersForm(forms.Form):
    text = forms.CharField(
        label=_("Paste a list"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "ada@example.com\nGrace Hopper <grace@example.com>"}
        ),
        help_text=_("One person per line: an email address, optionally with a name."),
    )
    csv_file = forms.FileField(
        label=_("Or upload a CSV file"),  # used instead of the pasted list when given
        required=False,
        validators=[UploadValidator(extensions=("csv", "txt"), max_bytes=1024 * 1024)],
        help_text=_("Columns: email, then optionally name. A header row is fine."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=PlanMembership.Role,
        initial=PlanMembership.Role.PARTICIPANT,
        help_text=_("Everyone on the list joins with this role."),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("csv_file")
        if upload:
            upload.seek(0)
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                text = None
            # The upload check reads only the start of a file; a NUL byte further on is
            # still not text (and no database text may hold one).
            if text is not None and "\x00" not in text:
                cleaned["member_text"] = text
            else:
                self.add_error(
                    "csv_file",
                    gettext(
                        "“%(name)s” is not saved as UTF-8 text: save it again as “CSV UTF-8” "
                        "and choose it again."
                    )
                    % {"name": upload.name},
                )
        elif cleaned.get("text", "").strip():
            cleaned["member_text"] = cleaned["text"]
        elif "csv_file" not in self.errors:
            raise forms.ValidationError(gettext("Paste a list of addresses or choose a CSV file."))
        return cleaned
