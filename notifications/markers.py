"""Markers: what an email's stored text leaves to be filled in when it is sent.

`[[cairn:name]]` stands where a value goes that must not rest in the outbox (a link that sets
a password) or that differs between the recipients of an email rendered once for many people
(their name, their unsubscribe link). Templates never write markers: `render_email` puts them
into the context under the variable's usual name (`{{ reset_url }}`, `{{ unsubscribe_url }}`,
`{{ recipient }}`), so a template reads the same either way. Print such a variable as it is:
a filter that changes its text (`urlencode`, `upper`, `truncatechars`) changes the marker too,
and it is then left unfilled.
"""

import re
from collections.abc import Callable

from django.utils.html import escape

PATTERN = re.compile(r"\[\[cairn:([a-z_]+)\]\]")

RECIPIENT_NAME = "recipient_name"
RECIPIENT_EMAIL = "recipient_email"
UNSUBSCRIBE_URL = "unsubscribe_url"


def marker(name: str) -> str:
    return f"[[cairn:{name}]]"


def fill(text: str, resolve: Callable[[str], str | None], *, html: bool = False) -> str:
    """Replace each marker that `resolve` knows with its value, escaped in an HTML body;
    a marker it does not know stays as it is."""

    def replace(match: re.Match) -> str:
        value = resolve(match.group(1))
        if value is None:
            return match.group(0)
        return escape(value) if html else value

    return PATTERN.sub(replace, text)


class RecipientStandIn:
    """Stands for every recipient of an email rendered once for many people in one time zone
    and language, all of them with an account or all without one.

    `{{ recipient }}`, `{{ recipient.display_name }}` and `{{ recipient.email }}` become markers
    filled in for each person when their email is sent; the name is their display name, or
    their address when they have none. Nothing else of the recipient is known at render time.
    """

    def __init__(self, time_zone: str, *, language: str = "", has_account: bool = True):
        self.time_zone = time_zone
        self.language = language
        self.has_account = has_account

    display_name = marker(RECIPIENT_NAME)
    email = marker(RECIPIENT_EMAIL)

    def __str__(self) -> str:
        return self.display_name
