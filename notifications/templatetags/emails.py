"""Filters for email templates, which are read away from Cairn, so a time says its zone."""

import zoneinfo
from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def moment(value: datetime | None, zone_name: str = "") -> str:
    """`{{ session.starts_at|moment }}` gives "Tue 24 Nov 2026, 14:00 (Europe/London)" in the
    recipient's time zone and language (render_email makes them the current ones);
    `|moment:plan.time_zone` gives the same moment in another zone, such as the venue's."""
    if value is None or value == "":
        return ""
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
    return f"{formats.date_format(local, 'WEEKDAY_TIME_FORMAT')} ({zone.key})"


@register.simple_tag
def span(starts: datetime | None, ends: datetime | None, zone_name: str = "") -> str:
    """`{% span session.starts_at session.ends_at %}` gives "Wed 25 Nov 2026, 19:30 to 20:30
    (Asia/Kolkata)" when both fall on one local day, each moment in full otherwise."""
    if starts is None or ends is None:
        return moment(starts, zone_name)
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    first, last = timezone.localtime(starts, zone), timezone.localtime(ends, zone)
    if first.date() == last.date():
        return _("%(start)s to %(end)s (%(zone)s)") % {
            "start": formats.date_format(first, "WEEKDAY_TIME_FORMAT"),
            "end": formats.date_format(last, "CLOCK_FORMAT"),
            "zone": zone.key,
        }
    return _("%(start)s to %(end)s") % {
        "start": moment(starts, zone_name),
        "end": moment(ends, zone_name),
    }


@register.filter
def quoted(text: str) -> str:
    """A message quoted in a plain-text email: each line behind "> ", as mail readers show
    quotes."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).splitlines())
