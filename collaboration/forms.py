from django import forms
from django.utils import timezone

from accounts.selectors import active_users
from collaboration.models import ChatMessage, Deliverable, Project, ProjectMilestone
from common.forms import IdModelChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(IdModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})" if obj.display_name else obj.email


# The project's rules (two different people, no payment in the future, ...) live in
# Project.clean(): a ModelForm runs it and shows each error by its field.


class ProjectForm(forms.ModelForm):
    consultant = PersonChoiceField(queryset=active_users())
    client = PersonChoiceField(queryset=active_users())

    class Meta:
        model = Project
        fields = [
            "title",
            "consultant",
            "client",
            "completion_date",
            "initial_payment_required",
            "acceptance_required",
        ]
        widgets = {"completion_date": DateInput()}
        labels = {"initial_payment_required": "The client pays an initial payment first"}


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["payment_amount", "payment_received_on", "payment_reference"]
        widgets = {"payment_received_on": DateInput()}
        labels = {
            "payment_amount": "Amount received",
            "payment_received_on": "Received on",
            "payment_reference": "Reference",
        }
        help_texts = {
            "payment_reference": "The bank or invoice reference, so the payment can be traced.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional on the project until it is paid; recording a payment needs both.
        self.fields["payment_amount"].required = True
        self.fields["payment_received_on"].required = True


class MilestoneForm(forms.ModelForm):
    # A due date in the past is allowed (work may be recorded late) but never by accident.
    confirm_overdue = forms.BooleanField(
        required=False, label="Yes, give it a due date in the past: it shows as overdue at once"
    )

    class Meta:
        model = ProjectMilestone
        fields = ["due_date", "title", "description"]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"due_date": "Due date"}

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
                "This date is in the past: the milestone will show as overdue at once. "
                "Tick the box below if that is what you want.",
            )
        cleaned.pop("confirm_overdue", None)
        return cleaned

    @property
    def asks_to_confirm_overdue(self) -> bool:
        return (
            self.is_bound
            and "due_date" in self.errors
            and "in the past" in str(self.errors["due_date"])
        )


class ChatMessageForm(forms.ModelForm):
    class Meta:
        model = ChatMessage
        fields = ["body"]
        labels = {"body": "Message"}


class DeliverableForm(forms.ModelForm):
    # Deliverable.clean() asks for a file or a link, not both; the form shows it above them.

    class Meta:
        model = Deliverable
        fields = ["title", "file", "url"]
        labels = {"file": "A file", "url": "Or a link"}
        help_texts = {
            "file": "A document, spreadsheet, presentation, image or zip archive.",
            "url": "For example a shared folder or a dashboard.",
        }


class ChangesRequestForm(forms.Form):
    comment = forms.CharField(
        label="What should change?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The consultant is emailed this, and it shows in the chat.",
    )
