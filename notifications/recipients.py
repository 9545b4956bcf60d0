"""Who an email goes to: a user, or a `Contact` (an address with a name) who may have no account.

A trainer from outside the organisation is a Contact; so is anyone the caller knows only by
an address. The outbox resolves a Contact whose address belongs to an account (compared
without regard to case) to that account before recording anything, so that person's
preferences, time zone and name apply and their row gets the same key as the account's.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# What the outbox row has room for.
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Contact:
    """Someone to email by address: the name to greet them by (may be empty), the IANA
    time zone their email's dates and times are written in, and its language (empty for the
    site's default)."""

    email: str
    display_name: str = ""
    time_zone: str = "UTC"
    language: str = ""

    def __post_init__(self):
        validate_email(self.email)
        if len(self.email) > MAX_EMAIL_LENGTH:
            raise ValidationError(f"An address is at most {MAX_EMAIL_LENGTH} characters long.")
        if len(self.display_name) > MAX_NAME_LENGTH:
            raise ValidationError(f"A name is at most {MAX_NAME_LENGTH} characters long.")
        # Refused rather than read as UTC: every time in the email would be off.
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(f"{self.time_zone!r} is not a time zone.") from None

    def __str__(self) -> str:
        return self.display_name or self.email


type Recipient = AbstractBaseUser | Contact


def recipient_key(person: Recipient) -> str:
    """How a fanned-out row's key ends: the user's pk, or a contact's lower-cased address
    (which holds an "@", so the two never meet)."""
    if isinstance(person, Contact):
        return person.email.lower()
    return str(person.pk)


def recipients_resolve(recipients: Iterable[Recipient]) -> dict[str, Recipient]:
    """The recipients by `recipient_key`, in the order given, each Contact whose address
    belongs to an account replaced by that account: one query for all the contacts, none if
    there are none. Someone given twice (as a user and by address, say) is kept once."""
    recipients = list(recipients)
    addresses = {p.email.lower() for p in recipients if isinstance(p, Contact)}
    accounts = {}
    if addresses:
        accounts = {
            user.address: user
            for user in get_user_model()
            .objects.annotate(address=Lower("email"))
            .filter(address__in=addresses)
        }
    resolved: dict[str, Recipient] = {}
    for person in recipients:
        if isinstance(person, Contact):
            person = accounts.get(person.email.lower(), person)
        resolved.setdefault(recipient_key(person), person)
    return resolved


def recipient_resolve(person: Recipient) -> Recipient:
    """The account behind a Contact's address, if there is one, else the recipient itself."""
    (resolved,) = recipients_resolve([person]).values()
    return resolved
