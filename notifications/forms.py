from django import forms

from notifications.kinds import kinds_all


class PreferencesForm(forms.Form):
    """The kinds of email someone chooses to get; account emails are not among the choices."""

    kinds = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [
            (kind.code, kind.label) for kind in kinds_all() if kind.unsubscribable
        ]
