"""Email rendering: every message is a subject, a text body and an HTML body, drawn from
templates/emails/<kind>/ and sharing one layout, rendered in the recipient's language and
time zone."""

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.kinds import kind_get
from notifications.markers import UNSUBSCRIBE_URL, RecipientStandIn, marker
from notifications.recipients import Contact


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_email(kind: str, *, recipient, context: dict) -> RenderedEmail:
    """Render a kind's templates for a recipient (a user, a Contact with no account, or a
    `RecipientStandIn` when one rendering serves many people), in the recipient's language,
    with dates and times in their time zone.

    The kind's secret links and the unsubscribe link enter the context as markers, whatever
    the caller passed under those names, so neither is ever stored with the email.
    `recipient_has_account` tells the layout whether to offer the preferences page, which
    someone with no account cannot sign in to.
    """
    definition = kind_get(kind)
    context = {
        "site_url": settings.SITE_URL,
        **context,
        "recipient": recipient,
        "recipient_has_account": _has_account(recipient),
        **{link.name: marker(link.name) for link in definition.secret_links},
    }
    if definition.unsubscribable:
        context[UNSUBSCRIBE_URL] = marker(UNSUBSCRIBE_URL)
        context["preferences_url"] = absolute_url(reverse("notifications:preferences"))
    with (
        timezone.override(_zone(recipient.time_zone)),
        translation.override(recipient.language or settings.LANGUAGE_CODE),
    ):
        subject = render_to_string(f"emails/{kind}/subject.txt", context)
        return RenderedEmail(
            # A header must be one line, whatever the template's whitespace.
            subject=" ".join(subject.split()),
            text=render_to_string(f"emails/{kind}/body.txt", context).strip() + "\n",
            html=render_to_string(f"emails/{kind}/body.html", context),
        )


def _has_account(recipient) -> bool:
    if isinstance(recipient, RecipientStandIn):
        return recipient.has_account
    return not isinstance(recipient, Contact)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
