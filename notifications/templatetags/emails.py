"""Filters for email templates, which are read away from Cairn, so a time says its zone."""

import zoneinfo
from datetime import datetime

from django import template
from django.utils import timezone

from common.times import moment_text, span_text, zone_label

register = template.Library()


@register.filter
def moment(value: datetime | None, zone_name: str = "") -> str:
    """`{{ session.starts_at|moment }}` gives "Tue 24 Nov 2026, 14:00 (Europe/London)" in the
    recipient's time zone and language (render_email makes them the current ones);
    `|moment:plan.time_zone` gives the same moment in another zone, such as the venue's."""
    if value is None or value == "":
        return ""
    return moment_text(value, _zone(zone_name))


@register.simple_tag
def span(starts: datetime | None, ends: datetime | None, zone_name: str = "") -> str:
    """`{% span session.starts_at session.ends_at %}` gives "Wed 25 Nov 2026, 19:30 (en dash) 20:30
    (Asia/Kolkata)", with the end's date when it falls on another day: the rule of every
    page (common.times)."""
    if starts is None or ends is None:
        return moment(starts, zone_name)
    zone = _zone(zone_name)
    return f"{span_text(starts, ends, zone)} ({zone_label(zone)})"


def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name) if name else timezone.get_current_timezone()


@register.filter
def quoted(text: str) -> str:
    """A message quoted in a plain-text email: each line behind "> ", as mail readers show
    quotes."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).splitlines())
