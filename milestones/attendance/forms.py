from django import forms

from common.converters import IdConverter
from milestones.attendance.selectors import RegisterRow
from milestones.models import Attendance


class RegisterMarkForm(forms.Form):
    """One participant's line of the register."""

    participant = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=IdConverter.largest
    )
    status = forms.ChoiceField(
        choices=Attendance.Status.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
    )

    def __init__(self, *args, row: RegisterRow | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row


class BaseRegisterFormSet(forms.BaseFormSet):
    """The register of one session day: a line per participant expected at it."""

    def __init__(self, *args, rows: list[RegisterRow], **kwargs):
        self.rows = [row for row in rows if row.expected]
        initial = [{"participant": row.participant.pk, "status": row.status} for row in self.rows]
        super().__init__(*args, initial=initial, **kwargs)

    def get_form_kwargs(self, index):
        # A participant who joined after the page was opened has a line in the POST but not
        # in `rows`; the service decides whether they may be marked.
        row = self.rows[index] if index is not None and index < len(self.rows) else None
        return {**super().get_form_kwargs(index), "row": row}

    def marks(self, *, fill_present: bool) -> dict[int, str]:
        """participant id → status, leaving out the unmarked (or marking them present)."""
        marks = {}
        for form in self.forms:
            status = form.cleaned_data.get("status") or (
                Attendance.Status.PRESENT if fill_present else ""
            )
            if status and form.cleaned_data.get("participant"):
                marks[form.cleaned_data["participant"]] = status
        return marks


# The register is saved a page at a time, so a form count beyond a page's is junk: refused
# before any form is built, however large the number sent.
REGISTER_FORMS_MAX = 500

RegisterFormSet = forms.formset_factory(
    RegisterMarkForm,
    formset=BaseRegisterFormSet,
    extra=0,
    max_num=REGISTER_FORMS_MAX,
    absolute_max=REGISTER_FORMS_MAX,
    validate_max=True,
)
