"""What changed in a milestone, who changed it and when: the History tab, and the check that
stops a second admin's save from silently undoing the first's.

The rows come from django-simple-history's tables, written on every save of a milestone,
an attendance mark and an upload (reviews included), and by the services that write in bulk.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from milestones.models import Attendance, Milestone, ProgressUpload

# Newest entries shown per kind of record; older ones stay in the tables.
HISTORY_LIMIT = 200
EMPTY = "—"
# What an admin edits on a milestone; its plan and place in the plan are not edits of it.
MILESTONE_FIELDS = [
    field.name
    for field in Milestone._meta.concrete_fields
    if field.editable and not field.primary_key and field.name not in ("plan", "order")
]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    by: str
    subject: str
    action: str  # "created", "changed" or "deleted"
    changes: list[FieldChange]


class EditConflict(ValidationError):
    """Someone else saved the milestone after this edit began, changing fields this edit
    writes too: saving would undo their work without anyone noticing."""

    def __init__(self, *, by: str, at: datetime.datetime, changes: list[FieldChange], latest):
        super().__init__(
            _(
                "%(name)s saved this milestone while you were editing it. Your changes are not "
                "saved yet: check them against theirs below, then save again to keep yours."
            )
            % {"name": by},
            code="edit_conflict",
        )
        self.by, self.at, self.changes, self.latest = by, at, changes, latest


def milestone_revision(milestone: Milestone) -> int | None:
    """The milestone's latest history record, which an edit form carries as its starting
    point."""
    return milestone.history.order_by("-history_id").values_list("history_id", flat=True).first()


def check_no_conflict(milestone: Milestone, *, based_on: int | None, fields: Iterable[str]):
    """Raise EditConflict if the milestone's `fields` changed since revision `based_on`.

    Call with the milestone's row locked, so that no save slips in between the check and
    the write. Changes to other fields merge quietly: each form writes only its own fields.
    """
    if based_on is None:
        return
    records = list(
        milestone.history.filter(history_id__gte=based_on)
        .select_related("history_user")
        .order_by("history_id")
    )
    if not records or records[-1].history_id == based_on:
        return
    base = records[0] if records[0].history_id == based_on else None
    latest = records[-1]
    changes = (
        _changes(base, latest, fields, zoneinfo.ZoneInfo(milestone.plan.time_zone))
        if base is not None
        else [_describe_all(latest, fields, zoneinfo.ZoneInfo(milestone.plan.time_zone))]
    )
    changes = [change for change in changes if change is not None]
    if changes:
        raise EditConflict(
            by=_who(latest), at=latest.history_date, changes=changes, latest=latest.history_id
        )


def milestone_history(milestone: Milestone) -> list[HistoryEntry]:
    """The milestone's changes, its attendance marks and its upload reviews, newest first."""
    zone = zoneinfo.ZoneInfo(milestone.plan.time_zone)
    entries = [
        *_entries(
            Milestone.history.filter(id=milestone.pk),
            fields=MILESTONE_FIELDS,
            subject=lambda record: _("Milestone"),
            zone=zone,
        ),
        *_entries(
            Attendance.history.filter(milestone_id=milestone.pk).select_related("participant"),
            fields=["status"],
            subject=lambda record: (
                _("Attendance of %(name)s, %(day)s")
                % {
                    "name": record.participant,
                    "day": formats.date_format(record.day, "SHORT_WEEKDAY_FORMAT"),
                }
            ),
            zone=zone,
        ),
        *_entries(
            ProgressUpload.history.filter(milestone_id=milestone.pk).select_related("participant"),
            fields=["status", "review_comment"],
            subject=lambda record: _("Upload by %(name)s") % {"name": record.participant},
            zone=zone,
        ),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _entries(records, *, fields: Sequence[str], subject, zone) -> list[HistoryEntry]:
    newest = list(records.select_related("history_user").order_by("-history_id")[:HISTORY_LIMIT])
    previous = {}
    entries = []
    # Oldest first, so each record is compared with the one before it for the same object.
    for record in reversed(newest):
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "-":
            action, changes = "deleted", []
        elif before is None:
            action = "created" if record.history_type == "+" else "changed"
            changes = [_describe(record, name, zone) for name in fields]
            changes = [change for change in changes if change.new != EMPTY]
        else:
            action = "changed"
            changes = [c for c in _changes(before, record, fields, zone) if c is not None]
            if not changes:
                continue
        entries.append(
            HistoryEntry(
                at=record.history_date,
                by=_who(record),
                subject=subject(record),
                action=action,
                changes=changes,
            )
        )
    return entries


def _changes(before, after, fields, zone) -> list[FieldChange | None]:
    changed = []
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changed.append(
                FieldChange(
                    _label(after, name),
                    _format(before, name, old, zone),
                    _format(after, name, new, zone),
                )
            )
    return changed


def _describe(record, name, zone) -> FieldChange:
    return FieldChange(_label(record, name), "", _format(record, name, getattr(record, name), zone))


def _describe_all(record, fields, zone) -> FieldChange | None:
    # Without the record the edit began from, the saved values are all that can be shown.
    described = [_describe(record, name, zone) for name in fields]
    text = "; ".join(f"{change.label}: {change.new}" for change in described)
    return FieldChange(_("Saved values"), "", text) if text else None


def _label(record, name: str) -> str:
    return str(record._meta.get_field(name).verbose_name).capitalize()


def _format(record, name: str, value, zone: zoneinfo.ZoneInfo) -> str:
    field = record._meta.get_field(name)
    if value in (None, ""):
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        local = formats.date_format(timezone.localtime(value, zone), "WEEKDAY_TIME_FORMAT")
        return f"{local} ({zone.key})"
    return str(value)


def _who(record) -> str:
    return str(record.history_user) if record.history_user_id else "Cairn"
