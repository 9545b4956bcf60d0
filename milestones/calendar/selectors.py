"""Sessions as iCalendar data: the invites emailed to people (METHOD:REQUEST and CANCEL), the
"Add to calendar" download and the private feeds calendar apps subscribe to.

A session is one VEVENT whose UID never changes, so an update or a cancellation replaces the
event people already have instead of adding a second one; every announcement raises its
SEQUENCE. A multi-day session is one daily recurring event (RRULE FREQ=DAILY;COUNT=n), which
Google, Outlook and Apple calendars all show as one block per session day, each running on
the session's clock times as the attendance register's session days do. (A session that runs
past midnight each night is one block per night here, while the register counts each local
date it touches.)

Only confirmed sessions reach anyone's calendar, as only they are announced: a tentative one
appears in feeds and offers "Add to calendar" once it is confirmed, and a cancelled one (made
tentative again, unscheduled or deleted) drops out of every feed at its next refresh.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vRecur, vText

from bip.selectors import participant_membership, participant_plan_memberships, plans_visible_to
from milestones.models import CalendarFeed, Milestone, SessionDetails, Trainer
from milestones.selectors import manages_plan

PRODID = "-//Cairn//Business Improvement Plans//EN"


def session_uid(milestone_id: int) -> str:
    return f"cairn-session-{milestone_id}@{_domain()}"


def invite_ics(
    details: SessionDetails,
    *,
    method: str,
    sequence: int,
    attendee_email: str,
    attendee_name: str = "",
    url: str = "",
) -> str:
    """An iTIP message for one person: METHOD:REQUEST invites or updates, METHOD:CANCEL
    takes the event out of their calendar."""
    calendar = _calendar(method=method)
    event = _event(details, sequence=sequence, url=url, cancelled=method == "CANCEL")
    attendee = vCalAddress(f"mailto:{attendee_email}")
    if attendee_name:
        attendee.params["CN"] = vText(attendee_name)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    attendee.params["RSVP"] = vText("FALSE")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return _to_text(calendar, [details])


def sessions_ics(
    sessions: list[tuple[SessionDetails, int, str]],
    *,
    name: str = "",
    refresh: datetime.timedelta | None = None,
) -> str:
    """A published calendar of sessions, each given as (details, sequence, page address):
    the private feed, or one session's "Add to calendar" download. `refresh` is how often a
    subscribed calendar app should fetch it again."""
    calendar = _calendar(method="PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    if refresh:
        # The standard property, and the one Outlook and Apple Calendar read instead.
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    for details, sequence, url in sessions:
        calendar.add_component(_event(details, sequence=sequence, url=url))
    return _to_text(calendar, [details for details, _, _ in sessions])


def _calendar(*, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(
    details: SessionDetails, *, sequence: int, url: str = "", cancelled: bool = False
) -> Event:
    event = Event()
    event.add("uid", session_uid(details.milestone_id))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("summary", details.name)
    start, end, count = occurrences(details)
    event.add("dtstart", start)
    event.add("dtend", end)
    if count > 1:
        event.add("rrule", vRecur(freq="DAILY", count=count))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if details.location or details.meeting_link:
        event.add("location", details.location or details.meeting_link)
    event.add("description", _description(details, url))
    if url:
        event.add("url", url)
    organizer = vCalAddress(f"mailto:{_organizer_address()}")
    organizer.params["CN"] = vText("Cairn")
    event.add("organizer", organizer, encode=0)
    return event


def occurrences(details: SessionDetails) -> tuple[datetime.datetime, datetime.datetime, int]:
    """The first session day's start and end in the plan's zone, and how many days the
    session runs on (one for a single-day session)."""
    zone = details.zone
    start = details.starts_at.astimezone(zone)
    end = details.ends_at.astimezone(zone)
    if not details.multi_day or start.date() == end.date():
        return start, end, 1
    first_day = start.date()
    if end.timetz().replace(tzinfo=None) <= start.timetz().replace(tzinfo=None):
        # A session that runs past midnight each night: each occurrence ends the next day.
        first_day += datetime.timedelta(days=1)
    first_end = datetime.datetime.combine(first_day, end.time(), zone)
    return start, first_end, (end.date() - first_end.date()).days + 1


def _description(details: SessionDetails, url: str) -> str:
    lines = [details.description] if details.description else []
    if details.meeting_link:
        lines.append(_("Join: %(link)s") % {"link": details.meeting_link})
    if details.passcode:
        lines.append(_("Passcode: %(passcode)s") % {"passcode": details.passcode})
    if details.location:
        lines.append(_("Where: %(location)s") % {"location": details.location})
    if url:
        lines.append(_("In Cairn: %(url)s") % {"url": url})
    return "\n\n".join(lines)


def _organizer_address() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in sender else sender


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cairn.localhost"


def _to_text(calendar: Calendar, sessions: list[SessionDetails]) -> str:
    if sessions:
        # Each zone's rules only for the years around these sessions: a full history of
        # daylight-saving changes would make every invite several kilobytes longer.
        first = min(details.starts_at for details in sessions).date()
        last = max(details.ends_at for details in sessions).date()
        for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
            calendar.subcomponents.insert(position, _timezone(tzid, first.year - 1, last.year + 1))
    return calendar.to_ical().decode()


@cache
def _timezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A zone's VTIMEZONE for whole years: worked out once, then shared by every invite
    of a cohort's fan-out."""
    return Timezone.from_tzid(
        tzid, first_date=datetime.date(first_year, 1, 1), last_date=datetime.date(last_year, 12, 31)
    )


# Whose calendar shows which sessions


@dataclass(frozen=True)
class CalendarSession:
    """A session as one person keeps it in their calendar: what to show, its SEQUENCE, and
    the page (a path on this site) they use for it."""

    details: SessionDetails
    sequence: int
    page: str


def get_milestone_for_calendar(user, plan_pk, pk) -> Milestone:
    """A milestone this person may see: its plan's participants and managers, and its
    trainers with a login; 404 for anyone else."""
    visible = Milestone.objects.filter(
        Q(plan__in=plans_visible_to(user))
        | Q(pk__in=Milestone.objects.filter(trainers__user=user).values("pk"))
    )
    return get_object_or_404(visible.select_related("plan"), plan_id=plan_pk, pk=pk)


def calendar_session(user, milestone: Milestone) -> CalendarSession | None:
    """The milestone's session for this person's calendar; None until it is confirmed."""
    details = milestone.session_details()
    if details is None:
        return None
    if participant_membership(milestone.plan_id, user):
        page = reverse("progress:my_milestone", args=[milestone.plan_id, milestone.pk])
    elif manages_plan(user, milestone.plan_id):
        page = reverse("milestones:detail", args=[milestone.plan_id, milestone.pk])
    else:
        page = reverse("milestones:attendance", args=[milestone.plan_id, milestone.pk])
    return CalendarSession(details=details, sequence=milestone.invite_sequence, page=page)


def get_calendar_feed(token: str) -> CalendarFeed:
    """The feed at this address; 404 for an unknown or replaced token, and for a closed
    account, whose address stops working with it."""
    return get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )


def feed_sessions(user) -> list[CalendarSession]:
    """Every confirmed session of the plans the person takes part in, and of the milestones
    they run as a trainer, soonest first; one query however many there are."""
    runs = Trainer.objects.filter(milestones=OuterRef("pk"), user=user)
    milestones = (
        Milestone.objects.filter(schedule=Milestone.Schedule.CONFIRMED, starts_at__isnull=False)
        .filter(Q(plan__in=participant_plan_memberships(user).values("plan_id")) | Exists(runs))
        .annotate(runs=Exists(runs))
        .select_related("plan")
        .order_by("starts_at", "pk")
    )
    sessions = []
    for milestone in milestones:
        # A trainer who also takes part in the plan runs the session: the register is
        # their page for it.
        name = "milestones:attendance" if milestone.runs else "progress:my_milestone"
        sessions.append(
            CalendarSession(
                details=milestone.session_details(),
                sequence=milestone.invite_sequence,
                page=reverse(name, args=[milestone.plan_id, milestone.pk]),
            )
        )
    return sessions


@dataclass(frozen=True)
class CalendarFeedPanel:
    """The calendar address part of a person's Notifications page."""

    token: str  # Empty while the person has no address.


def calendar_feed_panel(user) -> CalendarFeedPanel | None:
    """The person's calendar address, or None for someone with no sessions to show who
    never made one: the page then says nothing about calendars."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return CalendarFeedPanel(token=feed.token)
    if (
        participant_plan_memberships(user).exists()
        or Milestone.objects.filter(trainers__user=user).exists()
    ):
        return CalendarFeedPanel(token="")
    return None
