"""Sections that other apps add to the Notifications page, below the email choices.

An app registers one from its `AppConfig.ready()`:

    preferences_section_register(
        template_name="bip/_calendar_feed_section.html", context=calendar_feed_context
    )

`context(request)` returns the extra template context for the signed-in person, or None to
leave the section out for them. The page renders the sections in its `other_sections` block,
in the order they were registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class PreferencesSection:
    template_name: str
    context: Callable[[HttpRequest], dict | None]


_sections: list[PreferencesSection] = []


def preferences_section_register(
    *, template_name: str, context: Callable[[HttpRequest], dict | None]
) -> None:
    section = PreferencesSection(template_name=template_name, context=context)
    if section not in _sections:
        _sections.append(section)


def preferences_sections(request: HttpRequest) -> list[tuple[str, dict]]:
    """The sections to show this person: (template name, context) pairs."""
    shown = []
    for section in _sections:
        context = section.context(request)
        if context is not None:
            shown.append((section.template_name, context))
    return shown
