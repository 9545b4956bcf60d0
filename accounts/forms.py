import uuid

from django import forms
from django.contrib.auth import forms as auth_forms

from accounts.models import User
from notifications.services import notification_create


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Both are case-sensitive "
        "except the email.",
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset link through the notifications outbox, so it is retried like any email."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        notification_create(
            recipient=user,
            kind="password_reset",
            subject_object=user,
            # The link is built when the email is sent (the kind's secret link), so the token
            # Django made for this form's own email is not used.
            context={},
            # Every request is its own email: the key only has to be unique.
            idempotency_key=f"password-reset:{user.pk}:{uuid.uuid4()}",
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
