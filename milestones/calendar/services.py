"""A person's private calendar address: made, replaced and stopped on their request."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from milestones.models import CalendarFeed

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def calendar_feed_create(*, user: User) -> CalendarFeed:
    """The person's calendar address, made the first time they ask; asking again (a second
    click, two tabs) gives the same one."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new address in place of the old one, which answers 404 from now on: for an address
    that was shared or leaked."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": _new_token(), "created_at": timezone.now()}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    """Stop the person's calendar address; calendars subscribed to it get nothing more."""
    CalendarFeed.objects.filter(user=user).delete()


def _new_token() -> str:
    # 32 random bytes: the address is the only credential a calendar app can carry.
    return secrets.token_urlsafe(32)
