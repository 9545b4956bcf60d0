from decimal import Decimal

from django import forms
from django.utils import timezone

from accounts.models import User
from collaboration.models import ChatMessage, Project, ProjectMilestone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})" if obj.display_name else obj.email


class ProjectForm(forms.ModelForm):
    consultant = PersonChoiceField(queryset=User.objects.filter(is_active=True))
    client = PersonChoiceField(queryset=User.objects.filter(is_active=True))

    class Meta:
        model = Project
        fields = ["title", "consultant", "client", "completion_date", "initial_payment_required"]
        widgets = {"completion_date": DateInput()}
        labels = {"initial_payment_required": "The client pays an initial payment first"}

    def clean(self):
        cleaned = super().clean()
        consultant, client = cleaned.get("consultant"), cleaned.get("client")
        if consultant and client and consultant == client:
            self.add_error("client", "The client must be someone other than the consultant.")
        return cleaned


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="Amount received"
    )
    received_on = forms.DateField(widget=DateInput(), label="Received on")
    reference = forms.CharField(
        max_length=100,
        required=False,
        help_text="The bank or invoice reference, so the payment can be traced.",
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("A payment cannot be received in the future.")
        return received_on


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = ProjectMilestone
        fields = ["due_date", "title", "description"]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"due_date": "Due date"}


class ChatMessageForm(forms.ModelForm):
    class Meta:
        model = ChatMessage
        fields = ["body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 2, "placeholder": "Write a message…"}),
        }
        labels = {"body": "Message"}
