"""A session's time and state, written the same way on every page that shows one.

`{% session_time milestone %}` gives the session in the viewer's own time zone (the one
their profile sets, made current by accounts.middleware) with the zone named; an in-person
session also gives the venue's local time (the plan's zone) when that reads differently.
`{{ milestone|session_badge }}` is the session's state ("Upcoming", "Live now", "Past")
as a badge, from Milestone.session_state.
"""

import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.times import moment_text, span_text, zone_label
from milestones.models import Milestone, SessionState

register = template.Library()

BADGE_CLASSES = {
    SessionState.UNSCHEDULED: "text-bg-light border text-body-secondary",
    SessionState.UPCOMING: "text-bg-info",
    SessionState.LIVE: "text-bg-danger",
    SessionState.BETWEEN_DAYS: "text-bg-info",
    SessionState.PAST: "text-bg-secondary",
}

LIVE_DOT = mark_safe('<i class="fa-solid fa-circle me-1 small" aria-hidden="true"></i>')


def _viewer_zone() -> zoneinfo.ZoneInfo:
    zone = timezone.get_current_timezone()
    return zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(str(zone))


@register.simple_tag
def session_opens(milestone: Milestone) -> str:
    """When what follows the session opens (see Milestone.post_session_open), for a
    participant to plan by."""
    if not milestone.is_scheduled:
        return _("Opens once the session is scheduled.")
    return _("Opens when the session starts, %(moment)s.") % {
        "moment": moment_text(milestone.starts_at, _viewer_zone())
    }


@register.simple_tag
def session_time(milestone: Milestone, plan_zone: bool = False) -> str:
    """The session's span for the viewer. With `plan_zone`, the plan's local time is added
    whenever it reads differently, in-person or not (for the pages where admins set it)."""
    if not milestone.is_scheduled:
        return format_html('<span data-testid="session-time">{}</span>', _("Not scheduled yet"))
    viewer = _viewer_zone()
    here = span_text(milestone.starts_at, milestone.ends_at, viewer)
    html = format_html(
        '<span data-testid="session-time"><time datetime="{}">{}</time> '
        '<span class="text-body-secondary text-nowrap">({})</span>{}</span>',
        milestone.starts_at.isoformat(),
        here,
        zone_label(viewer),
        _each_day(milestone, viewer),
    )
    if not (milestone.location or plan_zone):
        return html
    venue = milestone.zone
    there = span_text(milestone.starts_at, milestone.ends_at, venue)
    if there == here:
        return html
    return format_html(
        '{} <span class="d-block small text-body-secondary" data-testid="venue-time">{}: {} ({})'
        "</span>",
        html,
        _("At the venue") if milestone.location else _("In the plan's time zone"),
        there,
        zone_label(venue),
    )


def _each_day(milestone: Milestone, zone: zoneinfo.ZoneInfo) -> str:
    # A span from one day's start to another day's end would read as one long sitting; a
    # multi-day session meets on each of its days at the same clock times.
    days = milestone.session_days() if milestone.multi_day else []
    if len(days) < 2:
        return ""
    first = days[0]
    each_day = ngettext(
        "%(count)s day, %(start)s–%(end)s each day",
        "%(count)s days, %(start)s–%(end)s each day",
        len(days),
    ) % {
        "count": len(days),
        "start": formats.date_format(first.starts_at.astimezone(zone), "CLOCK_FORMAT"),
        "end": formats.date_format(first.ends_at.astimezone(zone), "CLOCK_FORMAT"),
    }
    return format_html('<span class="text-body-secondary">, {}</span>', each_day)


@register.filter
def session_badge(milestone: Milestone) -> str:
    state = milestone.session_state()
    return format_html(
        '<span class="badge {}" data-testid="session-state">{}{}</span>',
        BADGE_CLASSES[state],
        LIVE_DOT if state == SessionState.LIVE else "",
        state.label,
    )
