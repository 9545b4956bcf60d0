"""How Cairn writes a span of time for people: in one time zone, named, with the end's date
only when it falls on another day: "Mon 23 Nov 2026, 23:15 to Tue 24 Nov, 04:30", with an
en dash between the two."""

import datetime
import zoneinfo

from django.utils import dateformat

START = "D j M Y, H:i"
END_SAME_DAY = "H:i"
END_OTHER_DAY = "D j M, H:i"
END_OTHER_YEAR = "D j M Y, H:i"


def zone_label(zone: zoneinfo.ZoneInfo) -> str:
    return zone.key.replace("_", " ")


def span_text(
    starts: datetime.datetime, ends: datetime.datetime | None, zone: zoneinfo.ZoneInfo
) -> str:
    """The span's clock times in `zone`, without naming the zone."""
    first = starts.astimezone(zone)
    text = dateformat.format(first, START)
    if ends is None:
        return text
    last = ends.astimezone(zone)
    if last.date() == first.date():
        end_format = END_SAME_DAY
    elif last.year == first.year:
        end_format = END_OTHER_DAY
    else:
        end_format = END_OTHER_YEAR
    return f"{text} – {dateformat.format(last, end_format)}"


def moment_text(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return f"{dateformat.format(moment.astimezone(zone), START)} ({zone_label(zone)})"
