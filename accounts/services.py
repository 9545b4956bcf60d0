from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

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
    # Verified once they choose a password from the emailed link.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


def set_password_url(user: User) -> str:
    """A link for someone to choose a password: after forgetting it, or a first one after an
    invitation. It works once, for PASSWORD_RESET_TIMEOUT. The outbox builds it when the email
    is sent (notifications.kinds.SecretLink), so it never rests in a stored email."""
    return absolute_url(
        reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    )


def email_address_verify(user: User) -> None:
    """Record the account's address as its verified primary one: its owner has shown they
    read it (a link mailed there was followed)."""
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "primary": True, "verified": True},
    )
