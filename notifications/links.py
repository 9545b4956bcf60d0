"""The unsubscribe link: signed, one per person and kind of email, and valid for good.

A token signs `[user id, kind]` for someone with an account and `[lower-cased address, kind]`
for someone without one.
"""

from django.core import signing
from django.urls import reverse

from notifications.emails import absolute_url

# The salt keeps these tokens from being accepted where another signed value is expected.
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(*, kind: str, user_id: int | None = None, email: str = "") -> str:
    """A token for a user (`user_id`) or for an address with no account (`email`)."""
    if (user_id is None) == (not email):
        raise ValueError(
            "An unsubscribe token is for a user or for an address: give one of the two."
        )
    subscriber = user_id if user_id is not None else email.lower()
    # No timestamp and no expiry: the link in an email read months later must still work.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([subscriber, kind])


def unsubscribe_token_read(token: str) -> tuple[int | str, str]:
    """The (user id or address, kind) a token was made for; raises signing.BadSignature if
    forged."""
    try:
        subscriber, kind = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (TypeError, ValueError) as error:
        raise signing.BadSignature(str(error)) from error
    if not isinstance(subscriber, int | str) or not isinstance(kind, str):
        raise signing.BadSignature("Not an unsubscribe token.")
    return subscriber, kind


def unsubscribe_url(*, kind: str, user_id: int | None = None, email: str = "") -> str:
    token = unsubscribe_token(kind=kind, user_id=user_id, email=email)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))
