"""Sessions in people's calendars: the private feed calendar apps subscribe to, its address
on the Notifications page, and a milestone's "Add to calendar" download."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST, require_safe

from milestones.calendar import selectors, services
from notifications.sections import preferences_section_register

FEED_NAME = gettext_lazy("Cairn sessions")
# Outlook and Apple Calendar fetch a subscribed feed this often; Google Calendar keeps its
# own pace of several hours whatever the feed asks.
FEED_REFRESH = datetime.timedelta(hours=1)
CALENDAR = "text/calendar; charset=utf-8"


# The token is the credential: calendar apps fetch the address with no session and no
# cookie. Some ask with HEAD first.
@login_not_required
@require_safe
def feed(request, token):
    owner = selectors.get_calendar_feed(token).user
    sessions = selectors.feed_sessions(owner)
    # A calendar app fetches the feed with no cookie and no language of its own: the feed
    # speaks its owner's language, as their emails do.
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        response = _calendar_response(request, sessions, name=FEED_NAME, refresh=FEED_REFRESH)
    # No copy kept between the calendar app and Cairn: a replaced address stops at once.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def add_to_calendar(request, plan_pk, pk):
    milestone = selectors.get_milestone_for_calendar(request.user, plan_pk, pk)
    session = selectors.calendar_session(request.user, milestone)
    if session is None:
        raise Http404("The session is not confirmed yet.")
    response = _calendar_response(request, [session])
    # A name of emoji alone leaves nothing for the file's name.
    name = slugify(milestone.name) or pgettext("file name", "session")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.ics"
    )
    patch_cache_control(response, private=True)
    return response


@require_POST
def feed_create(request):
    services.calendar_feed_create(user=request.user)
    messages.success(request, _("Your calendar address is ready: add it to your calendar app."))
    return _back_to_preferences()


@require_POST
def feed_regenerate(request):
    services.calendar_feed_regenerate(user=request.user)
    messages.success(
        request,
        _(
            "You have a new calendar address and the old one no longer works: subscribe your "
            "calendar app to the new one."
        ),
    )
    return _back_to_preferences()


@require_POST
def feed_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(
        request, _("Your calendar address is stopped: calendars subscribed to it get no updates.")
    )
    return _back_to_preferences()


def feed_section(request: HttpRequest) -> dict | None:
    """The calendar address on the Notifications page, for those with sessions to show."""
    panel = selectors.calendar_feed_panel(request.user)
    if panel is None:
        return None
    if not panel.token:
        return {"address": ""}
    address = request.build_absolute_uri(reverse("calendar:feed", args=[panel.token]))
    # Apple Calendar and desktop Outlook open webcal: links as a subscription.
    return {"address": address, "subscribe_link": "webcal://" + address.split("://", 1)[1]}


def calendar_feed_section_register() -> None:
    preferences_section_register(
        template_name="milestones/_calendar_feed_section.html", context=feed_section
    )


def _calendar_response(
    request: HttpRequest,
    sessions: list[selectors.CalendarSession],
    *,
    name: str = "",
    refresh: datetime.timedelta | None = None,
) -> HttpResponse:
    content = selectors.sessions_ics(
        [(s.details, s.sequence, request.build_absolute_uri(s.page)) for s in sessions],
        name=name,
        refresh=refresh,
    )
    return HttpResponse(content, content_type=CALENDAR)


def _back_to_preferences():
    return redirect(reverse("notifications:preferences") + "#calendar")
