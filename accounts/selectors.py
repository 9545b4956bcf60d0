import zoneinfo
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import User
from accounts.signals import people_kept_out_of_searches


def active_users() -> QuerySet[User]:
    """People who can sign in, for the pickers that choose someone."""
    return User.objects.filter(is_active=True)


# Enough to find the person one means; more would be a list to scroll through, not a search.
PEOPLE_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class PeopleMatches:
    """The accounts a people search found, and whether more matched than it lists."""

    search: str
    people: list[User]
    more: bool
    everyone: bool


def people_search(
    search: str, *, everyone: bool = False, limit: int = PEOPLE_SEARCH_LIMIT
) -> PeopleMatches:
    """Active accounts whose name or address contains `search`, in any letter case, by name;
    at most `limit` of them, in one query (none for an empty search).

    Platform admins, and the people other apps keep for their own audience (plan
    participants), are left out unless `everyone`: a picker offers them only when asked to.
    """
    if not search:
        return PeopleMatches(search=search, people=[], more=False, everyone=everyone)
    people = active_users().filter(Q(display_name__icontains=search) | Q(email__icontains=search))
    if not everyone:
        people = people.filter(is_staff=False)
        for _receiver, kept in people_kept_out_of_searches.send(sender=User):
            people = people.exclude(pk__in=kept)
    # One more than the limit tells whether there are more to find.
    found = list(people.order_by("display_name", "email")[: limit + 1])
    return PeopleMatches(
        search=search, people=found[:limit], more=len(found) > limit, everyone=everyone
    )


def user_with_email(email: str) -> User | None:
    """The account with this address, whatever its letter case, or None."""
    return User.objects.filter(email__iexact=email.strip()).first() if email.strip() else None


def users_with_emails(emails) -> dict[str, User]:
    """The accounts with these addresses, whatever their letter case, by lower-case address;
    one query."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted:
        return {}
    found = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted)
    return {user.email_lower: user for user in found}


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
