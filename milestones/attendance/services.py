"""Attendance writes: a participant marking themselves present, and the register a project
admin (or the session's trainer) saves for a whole session day."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bip.selectors import participant_membership, plan_participants
from milestones.attendance.selectors import (
    NOT_EXPECTED,
    is_expected,
    open_self_marking_day,
    session_dates,
)
from milestones.models import Attendance, Milestone

REGISTER_FIELDS = [
    "status",
    "self_marked",
    "marked_by",
    "marked_at",
    "validated_by",
    "validated_at",
]


def attendance_self_mark(
    *, milestone: Milestone, participant, now: datetime.datetime | None = None
) -> Attendance:
    """Mark a participant present for the session day open now.

    Marking twice, or two marks racing each other, leaves one row: an existing row (the
    participant's own or one a project admin already wrote) is returned unchanged."""
    now = now or timezone.now()
    membership = participant_membership(milestone.plan_id, participant)
    if membership is None:
        raise ValidationError(_("Only the plan's participants mark their own attendance."))
    if not is_expected(milestone, membership):
        raise ValidationError(NOT_EXPECTED)
    session_day, reason = open_self_marking_day(milestone, now)
    if session_day is None:
        raise ValidationError(reason)
    lookup = {"milestone": milestone, "participant": participant, "day": session_day.day}
    try:
        with transaction.atomic():
            attendance, _created = Attendance.objects.get_or_create(
                **lookup,
                defaults={
                    "status": Attendance.Status.PRESENT,
                    "self_marked": True,
                    "marked_by": participant,
                    "marked_at": now,
                },
            )
    except IntegrityError:
        # The other request's insert committed between our read and our write.
        attendance = Attendance.objects.get(**lookup)
    return attendance


def attendance_register_save(
    *,
    milestone: Milestone,
    day: datetime.date,
    marks: dict[int, str],
    marked_by,
    now: datetime.datetime | None = None,
) -> int:
    """Save a session day's register (participant id → status) in one transaction;
    everything on it is validated by whoever saves it. Returns how many marks were saved.

    A mark that keeps the status someone already gave keeps who gave it (a participant's
    own mark stays self-marked, now validated); a changed status is the saver's mark."""
    now = now or timezone.now()
    if day not in session_dates(milestone):
        raise ValidationError(_("That day is not a day of this session."))
    if any(status not in Attendance.Status.values for status in marks.values()):
        raise ValidationError(_("Choose present, absent or excused for each participant."))
    with transaction.atomic():
        expected_ids = {
            membership.user_id
            for membership in plan_participants(milestone.plan_id).filter(user_id__in=list(marks))
            if is_expected(milestone, membership)
        }
        if set(marks) - expected_ids:
            raise ValidationError(_("Only participants expected at the session can be marked."))
        # Locked so a second admin saving at the same moment waits, then sees our rows.
        existing = {
            row.participant_id: row
            for row in Attendance.objects.select_for_update().filter(
                milestone=milestone, day=day, participant_id__in=list(marks)
            )
        }
        to_update, to_create, changed = [], [], []
        for participant_id, status in marks.items():
            row = existing.get(participant_id)
            if row is None:
                row = Attendance(milestone=milestone, participant_id=participant_id, day=day)
                to_create.append(row)
            else:
                to_update.append(row)
                # The history keeps a new status or a self-mark validated, not every re-save.
                if row.status != status or row.validated_by_id is None:
                    changed.append(row)
            if row.status != status:
                row.status = status
                row.self_marked = False
                row.marked_by = marked_by
                row.marked_at = now
            row.validated_by = marked_by
            row.validated_at = now
        if to_update:
            Attendance.objects.bulk_update(to_update, REGISTER_FIELDS)
            Attendance.history.bulk_history_create(
                changed, update=True, default_user=marked_by, default_date=now
            )
        if to_create:
            # A row another save inserted after our read is overwritten, never duplicated.
            Attendance.objects.bulk_create(
                to_create,
                update_conflicts=True,
                unique_fields=["milestone", "participant", "day"],
                update_fields=REGISTER_FIELDS,
            )
            Attendance.history.bulk_history_create(
                to_create, default_user=marked_by, default_date=now
            )
    return len(marks)
