from django.contrib.auth.tokens import default_token_generator
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from notifications.emails import absolute_url


def normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


@transaction.atomic
def user_invite(*, email: str, display_name: str = "") -> User:
    """An account for someone who has none yet; they choose a password from their invitation."""
    email = normalise_email(email)
    validate_email(email)
    user = User(email=email, display_name=display_name.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def set_password_url(user: User) -> str:
    """A link for someone to choose a password: after forgetting it, or a first one after an
    invitation. It works once, for PASSWORD_RESET_TIMEOUT. The outbox builds it when the email
    is sent (notifications.kinds.SecretLink), so it never rests in a stored email."""
    return absolute_url(
        reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
