"""The kinds of email Cairn sends, registered by the apps that send them.

Each app registers its kinds from its `AppConfig.ready()`:

    from django.utils.translation import gettext_lazy as _

    from notifications.kinds import Kind, SecretLink, kind_register

    kind_register(
        Kind(
            code="session_reminder",
            label=_("Session reminders"),
            description=_("The day before and an hour before each session you take part in."),
            group=_("Business Improvement Plans"),
        ),
    )

The code names the templates (templates/emails/<code>/subject.txt, body.txt, body.html) and is
what `notification_create` and `notifications_create_many` take as `kind`; an unknown code is
refused. The label, description and group make up the Notifications page, where people turn
each kind off. They are given with `gettext_lazy`, as above: a kind is registered once, when
Cairn starts, and read in the language of each person who sees it (`kind.label` is then a
plain string in the active language). Account emails (password reset, invitations) set
`unsubscribable=False`: they are always sent, carry no unsubscribe link and show as always on.

A link that is a secret (it signs someone in or sets their password) is declared as a
`SecretLink`: the stored email holds a marker where the link goes and the link is built from
the recipient when the email is sent, so it never rests in the outbox or the admin site.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class UnknownKind(ValueError):
    """An email kind that no app has registered."""


@dataclass(frozen=True)
class SecretLink:
    """A link built when the email is sent: `name` is the template variable that holds it
    (`{{ reset_url }}`), `build(recipient)` returns the absolute URL."""

    name: str
    build: Callable[[Any], str]


class _Wording:
    """A Kind's text field: it keeps what it was given (a lazy translation, usually) and reads
    back as a plain string in the language active at the time, so `kind.label` compares and
    searches like any string."""

    def __set_name__(self, owner, name):
        self.stored = f"_{name}"

    def __get__(self, kind, owner=None):
        if kind is None:
            # No class-level value: the dataclass then takes the field as required.
            raise AttributeError(self.stored)
        return str(getattr(kind, self.stored))

    def __set__(self, kind, value):
        object.__setattr__(kind, self.stored, value)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str = _Wording()
    description: str = _Wording()
    group: str = _Wording()
    unsubscribable: bool = True
    secret_links: tuple[SecretLink, ...] = ()


_kinds: dict[str, Kind] = {}


def kind_register(*kinds: Kind) -> None:
    for kind in kinds:
        existing = _kinds.get(kind.code)
        if existing is not None and existing != kind:
            raise ValueError(f"The email kind {kind.code!r} is registered twice.")
        _kinds[kind.code] = kind


def kind_get(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(
            f"No app registered the email kind {code!r}: register it with "
            "notifications.kinds.kind_register() in the app's AppConfig.ready()."
        ) from None


def kind_find(code: str) -> Kind | None:
    """The kind, or None for one that is no longer registered (old rows may name it)."""
    return _kinds.get(code)


def kind_label(code: str) -> str:
    kind = _kinds.get(code)
    return kind.label if kind else code


def kinds_all() -> list[Kind]:
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())
