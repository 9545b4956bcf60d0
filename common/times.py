"""How Cairn writes a span of time for people: in one time zone, named, with the end's date
only when it falls on another day: "Mon 23 Nov 2026, 23:15 to Tue 24 Nov, 04:30", with an
en dash between the two, in the active language's named formats (config/formats)."""

import datetime
import zoneinfo

from django.utils.formats import date_format

START = "WEEKDAY_TIME_FORMAT"
END_SAME_DAY = "CLOCK_FORMAT"
END_OTHER_DAY = "SHORT_WEEKDAY_TIME_FORMAT"
END_OTHER_YEAR = "WEEKDAY_TIME_FORMAT"


def zone_label(zone: zoneinfo.ZoneInfo) -> str:
    return zone.key.replace("_", " ")


def span_text(
    starts: datetime.datetime, ends: datetime.datetime | None, zone: zoneinfo.ZoneInfo
) -> str:
    """The span's clock times in `zone`, without naming the zone."""
    first = starts.astimezone(zone)
    text = date_format(first, START)
    if ends is None:
        return text
    last = ends.astimezone(zone)
    if last.date() == first.date():
        end_format = END_SAME_DAY
    elif last.year == first.year:
        end_format = END_OTHER_DAY
    else:
        end_format = END_OTHER_YEAR
    return f"{text} – {date_format(last, end_format)}"


def moment_text(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return f"{date_format(moment.astimezone(zone), START)} ({zone_label(zone)})"
