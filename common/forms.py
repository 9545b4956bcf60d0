"""Form fields every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError

from common.converters import parse_id


class IdModelChoiceField(forms.ModelChoiceField):
    """A choice of one object by id. Junk in place of an id ('abc', a number beyond what the
    database holds) is an invalid choice, never a database error."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several objects by id; junk in place of an id is refused like an
    unknown one."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else [value]:
            if parse_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
