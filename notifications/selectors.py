from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404

from common.converters import parse_id
from notifications.kinds import Kind, kinds_all
from notifications.models import Notification, NotificationOptOut

LOG_PAGE_SIZE = 50


def outbox_summary() -> dict[str, int]:
    """How many emails are in each state, for the admins' overview."""
    counts = dict(Notification.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Notification.Status.values}


@dataclass(frozen=True)
class KindChoice:
    kind: Kind
    on: bool


@dataclass(frozen=True)
class KindGroup:
    heading: str
    choices: list[KindChoice]


def preference_groups(user) -> list[KindGroup]:
    """Every registered kind of email, grouped under its heading, and whether it reaches this
    person."""
    turned_off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    groups: dict[str, list[KindChoice]] = {}
    for kind in kinds_all():
        on = not kind.unsubscribable or kind.code not in turned_off
        groups.setdefault(kind.group, []).append(KindChoice(kind=kind, on=on))
    return [KindGroup(heading=heading, choices=choices) for heading, choices in groups.items()]


def scope_log(*, scope: str, page: int | str = 1) -> Page:
    """A page of the emails recorded under a scope ("plan:12"), newest first, each with its
    recipient. The feature app that owns the scope decides who may see it."""
    emails = (
        Notification.objects.filter(scope=scope)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
    return Paginator(emails, LOG_PAGE_SIZE).get_page(page)


def notification_in_scope(*, scope: str, pk) -> Notification:
    """An email of this scope, or 404: for a "Send again" button on the scope's log."""
    pk = parse_id(str(pk))
    if pk is None:
        raise Http404("No such email.")
    return get_object_or_404(Notification, scope=scope, pk=pk)


def keys_taken(keys) -> set[str]:
    """Which of these idempotency keys already have an email: lets a periodic job skip
    rendering what it sent on an earlier run."""
    keys = list(keys)
    if not keys:
        return set()
    return set(
        Notification.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
