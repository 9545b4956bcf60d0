from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from progress.completion import State


class DashboardFilterForm(forms.Form):
    """The progress dashboard's filters, read from the query string."""

    milestone = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=gettext_lazy("Milestone"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Status"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        choices=[
            ("", gettext_lazy("Any status")),
            *((state.value, state.label) for state in State),
        ],
    )

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [
            ("", _("All milestones")),
            *(
                (milestone.pk, f"{number}. {milestone.name}")
                for number, milestone in enumerate(milestones, start=1)
            ),
        ]

    def filters(self) -> dict:
        """What to filter by; a filter that does not fit this plan is ignored."""
        self.is_valid()
        return {
            "milestone_id": self.cleaned_data.get("milestone"),
            "status": self.cleaned_data.get("status", ""),
        }
