from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import active_users, users_by_id
from collaboration.models import ChatMessage, Deliverable, Project, ProjectMilestone
from common.converters import parse_id
from common.forms import IdModelChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(IdModelChoiceField):
    """An active account, by id or by email address.

    The form lists nobody: a picker searches the accounts (`people_search`) and posts the id
    of the person chosen, and a browser without JavaScript posts the address typed in the box.
    Either may name anyone active, platform admins and plan participants included: leaving
    them out of the search only keeps it short.
    """

    widget = forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
    )
    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "This account is unknown or can no longer sign in: choose someone else."
        ),
        "no_account": gettext_lazy("No active account with this address."),
        "not_an_address": gettext_lazy(
            "Type the person's full email address, or choose them from the matches."
        ),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if "@" in value:
                return self._with_address(value)
            if value and parse_id(value) is None:
                raise ValidationError(self.error_messages["not_an_address"], code="not_an_address")
        return super().to_python(value)

    def _with_address(self, address: str):
        person = self._active_with_address(address)
        if person is None:
            raise ValidationError(self.error_messages["no_account"], code="no_account")
        return person

    def _active_with_address(self, address: str):
        # No database text may hold a NUL byte: such an address names nobody.
        if "\x00" in address:
            return None
        return self.queryset.filter(email__iexact=address).first()

    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})" if obj.display_name else obj.email

    def person_named(self, value):
        """The account a value of the field names (an id even if it can no longer be chosen,
        to show who it was), or None."""
        if isinstance(value, self.queryset.model):
            return value
        text = "" if value is None else str(value).strip()
        if "@" in text:
            return self._active_with_address(text)
        pk = parse_id(text)
        return users_by_id([pk]).get(pk) if pk is not None else None

    def get_bound_field(self, form, field_name):
        return PersonBoundField(form, self, field_name)


class PersonBoundField(BoundField):
    @cached_property
    def person(self):
        """Who the field names now: the saved person, or the one chosen or typed."""
        return self.field.person_named(self.value())

    @property
    def person_label(self) -> str:
        return self.field.label_from_instance(self.person) if self.person else ""

    @property
    def text(self) -> str:
        """What the box shows: the person's address, else what was typed."""
        if self.person is not None:
            return self.person.email
        value = self.value()
        return "" if value is None else str(value)


# The project's rules (two different people, no payment in the future, ...) live in
# Project.clean(): a ModelForm runs it and shows each error by its field.


# What a browser without JavaScript can do; the picker's script says what the search adds.
PERSON_HELP = gettext_lazy("The email address of their Cairn account.")


class ProjectForm(forms.ModelForm):
    consultant = PersonChoiceField(
        queryset=active_users(), label=gettext_lazy("Consultant"), help_text=PERSON_HELP
    )
    client = PersonChoiceField(
        queryset=active_users(), label=gettext_lazy("Client"), help_text=PERSON_HELP
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "consultant",
            "client",
            "completion_date",
            "initial_payment_required",
            "acceptance_required",
            "currency",
        ]
        widgets = {"completion_date": DateInput()}
        labels = {
            "initial_payment_required": gettext_lazy("The client pays an initial payment first")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without it keeps the project's currency (or the default one).
        self.fields["currency"].required = False

    def clean_currency(self):
        return self.cleaned_data["currency"] or self.instance.currency


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["payment_amount", "payment_received_on", "payment_reference"]
        widgets = {"payment_received_on": DateInput()}
        labels = {
            "payment_received_on": gettext_lazy("Received on"),
            "payment_reference": gettext_lazy("Reference"),
        }
        help_texts = {
            "payment_reference": gettext_lazy(
                "The bank or invoice reference, so the payment can be traced."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_amount"].label = _("Amount received (%(currency)s)") % {
            "currency": self.instance.currency
        }
        # Optional on the project until it is paid; recording a payment needs both.
        self.fields["payment_amount"].required = True
        self.fields["payment_received_on"].required = True


class MilestoneForm(forms.ModelForm):
    # A due date in the past is allowed (work may be recorded late) but never by accident.
    confirm_overdue = forms.BooleanField(
        required=False,
        label=gettext_lazy("Yes, give it a due date in the past: it shows as overdue at once"),
    )

    class Meta:
        model = ProjectMilestone
        fields = ["due_date", "title", "description", "amount"]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Amount (%(currency)s)") % {"currency": currency}
        if self.instance.paid_on is not None:
            self.fields["amount"].disabled = True
            self.fields["amount"].help_text = _("Paid: the amount can no longer change.")

    def clean(self):
        cleaned = super().clean()
        due = cleaned.get("due_date")
        moved = self.instance.pk is None or due != self.instance.due_date
        if (
            due is not None
            and moved
            and due < timezone.localdate()
            and not cleaned.get("confirm_overdue")
        ):
            self.add_error(
                "due_date",
                ValidationError(
                    _(
                        "This date is in the past: the milestone will show as overdue at once. "
                        "Tick the box below if that is what you want."
                    ),
                    code="in_the_past",
                ),
            )
        cleaned.pop("confirm_overdue", None)
        return cleaned

    @property
    def asks_to_confirm_overdue(self) -> bool:
        return self.is_bound and self.has_error("due_date", code="in_the_past")


class ChatMessageForm(forms.ModelForm):
    class Meta:
        model = ChatMessage
        fields = ["body"]
        labels = {"body": gettext_lazy("Message")}


class DeliverableForm(forms.ModelForm):
    # Deliverable.clean() asks for a file or a link, not both; the form shows it above them.

    class Meta:
        model = Deliverable
        fields = ["title", "file", "url"]
        labels = {"file": gettext_lazy("A file"), "url": gettext_lazy("Or a link")}
        help_texts = {
            "file": gettext_lazy("A document, spreadsheet, presentation, image or zip archive."),
            "url": gettext_lazy("For example a shared folder or a dashboard."),
        }


class MilestonePaymentForm(forms.ModelForm):
    class Meta:
        model = ProjectMilestone
        fields = ["paid_on", "payment_reference"]
        widgets = {"paid_on": DateInput()}
        labels = {
            "paid_on": gettext_lazy("Received on"),
            "payment_reference": gettext_lazy("Reference"),
        }
        help_texts = {
            "payment_reference": gettext_lazy(
                "The bank or invoice reference, so the payment can be traced."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].required = True


class ChangesRequestForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should change?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The consultant is emailed this, and it shows in the chat."),
    )
