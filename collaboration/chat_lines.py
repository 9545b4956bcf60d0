"""The lines Cairn writes in a project's chat when someone changes its milestones.

A line is kept as the facts it tells (`ChatMessage.details`): which line it is, who acted, the
milestone's title, dates as ISO dates, amounts as decimals with their currency. It is written
out when shown, so the consultant and the client each read it in their own language and
date style.
"""

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from common.templatetags.money import money

LINES = {
    "opened": _(
        "%(actor)s opened the milestones section. %(consultant)s can now add the project's "
        "milestones."
    ),
    "added": _("%(actor)s added the milestone “%(title)s”, due %(due)s."),
    "changed": _("%(actor)s edited the milestone “%(title)s”: %(changes)s."),
    "deleted": _("%(actor)s deleted the milestone “%(title)s” (was due %(due)s)."),
    "withdrawn": _("%(actor)s withdrew the milestone “%(title)s” just after adding it."),
    "completed": _("%(actor)s marked the milestone “%(title)s” complete."),
    "uncompleted": _("%(actor)s marked the milestone “%(title)s” as not complete."),
    "undone": _("%(actor)s undid the latest changes to the milestone “%(title)s”."),
    "accepted": _("%(actor)s accepted the milestone “%(title)s”."),
    "changes_requested": _("%(actor)s asked for changes to the milestone “%(title)s”: %(comment)s"),
    "paid": _(
        "%(actor)s recorded the payment of %(amount)s for the milestone “%(title)s”, "
        "received %(received)s."
    ),
    "deliverable_added": _(
        "%(actor)s added the deliverable “%(deliverable)s” to the milestone “%(title)s”."
    ),
    "deliverable_removed": _(
        "%(actor)s removed the deliverable “%(deliverable)s” from the milestone “%(title)s”."
    ),
}


def chat_line(details: dict) -> str:
    """The line that `details` tells, in the active language."""
    values = dict(details)
    for key in ("due", "received"):
        if key in values:
            values[key] = format_day(datetime.date.fromisoformat(values[key]))
    currency = details.get("currency", "")
    if "amount" in values:
        values["amount"] = format_amount(values["amount"], currency)
    if "changes" in values:
        values["changes"] = ", ".join(_change(change, currency) for change in values["changes"])
    return LINES[details["line"]] % values


def format_day(value: datetime.date) -> str:
    return date_format(value, "WEEKDAY_FORMAT")


def format_amount(value: Decimal | str | None, currency: str) -> str:
    """An amount as its reader writes it; "none" for a milestone without one."""
    if value is None:
        return pgettext("no amount", "none")
    return money(Decimal(value), currency)


def _change(change: dict, currency: str) -> str:
    field = change["field"]
    if field == "description":
        return gettext("new description")
    if field == "title":
        return gettext("now called “%(title)s”") % {"title": change["now"]}
    if field == "amount":
        was, now = format_amount(change["was"], currency), format_amount(change["now"], currency)
        return gettext("amount %(was)s → %(now)s") % {"was": was, "now": now}
    was, now = (format_day(datetime.date.fromisoformat(change[key])) for key in ("was", "now"))
    return gettext("due date %(was)s → %(now)s") % {"was": was, "now": now}
