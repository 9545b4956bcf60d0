import zoneinfo

from django.db.models import QuerySet

from accounts.models import User


def active_users() -> QuerySet[User]:
    """People who can sign in, for the pickers that choose someone."""
    return User.objects.filter(is_active=True)


def user_with_email(email: str) -> User | None:
    """The account with this address, whatever its letter case, or None."""
    return User.objects.filter(email__iexact=email.strip()).first() if email.strip() else None


def users_by_id(ids) -> dict[int, User]:
    """The accounts with these ids, by id; one query."""
    ids = set(ids)
    return User.objects.in_bulk(ids) if ids else {}


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The person's own time zone (UTC if theirs is no longer known)."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
