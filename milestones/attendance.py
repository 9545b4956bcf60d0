"""Attendance: who is expected at a milestone's session, when participants may mark
themselves present, and the register a project admin (or the session's trainer) fills in.

Every attendance rule lives here; views only call these functions."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bip.models import PlanMembership
from milestones.models import Attendance, Milestone

ADMIN_MARKS = "Your project admin marks attendance for this session"
CLOSED = "Marking closed when the session ended"
NOT_SCHEDULED = "Marking opens once the session is scheduled"
NOT_EXPECTED = "Not expected (joined after the session)"


def self_marking_opens_minutes() -> int:
    return getattr(settings, "ATTENDANCE_SELF_MARKING_OPENS_MINUTES", 15)


@dataclass(frozen=True)
class SessionDay:
    """One local day of a session and the part of the session held on it."""

    day: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def marking_opens_at(self) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(minutes=self_marking_opens_minutes())


def session_day_windows(milestone: Milestone) -> list[SessionDay]:
    """Each local day (in the plan's zone) from the session's start to its end, with that
    day's start and end: the first day starts when the session does, the last ends when it
    does, and the days between run on the session's own clock times."""
    if not milestone.is_scheduled:
        return []
    zone = milestone.zone
    start = milestone.starts_at.astimezone(zone)
    end = milestone.ends_at.astimezone(zone)
    first, last = start.date(), end.date()
    days = []
    day = first
    while day <= last:
        day_start = start if day == first else datetime.datetime.combine(day, start.timetz())
        day_end = end if day == last else datetime.datetime.combine(day, end.timetz())
        if day_end <= day_start:
            # A session that runs past midnight (22:00 to 02:00 each night) would otherwise
            # give the middle days no time at all; they run to the end of the local day.
            day_end = datetime.datetime.combine(
                day + datetime.timedelta(days=1), datetime.time(), zone
            )
        days.append(SessionDay(day=day, starts_at=day_start, ends_at=day_end))
        day += datetime.timedelta(days=1)
    return days


def session_days(milestone: Milestone) -> list[datetime.date]:
    """The session's local dates in the plan's zone, first to last; empty if unscheduled."""
    return [session_day.day for session_day in session_day_windows(milestone)]


def is_expected(milestone: Milestone, membership: PlanMembership | None) -> bool:
    """A participant is expected unless they joined the plan after the session ended:
    a session held before someone joined never counts against them."""
    if membership is None or membership.role != PlanMembership.Role.PARTICIPANT:
        return False
    return milestone.ends_at is None or membership.joined_at < milestone.ends_at


def _format_moment(moment: datetime.datetime) -> str:
    # In the reader's own time zone, like every other time on the participant's pages.
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b}"


def self_marking_refusal(
    milestone: Milestone, session_day: SessionDay, now: datetime.datetime
) -> str:
    """Why a participant cannot mark themselves present for this day right now ("" if
    they can)."""
    if milestone.attendance_marking != Milestone.AttendanceMarking.SELF:
        return ADMIN_MARKS
    if now < session_day.marking_opens_at:
        return f"Marking opens at {_format_moment(session_day.marking_opens_at)}"
    if now >= session_day.ends_at:
        return CLOSED
    return ""


def _self_marking_day(
    milestone: Milestone, now: datetime.datetime
) -> tuple[SessionDay | None, str]:
    """The session day open for self marking now, or the reason none is."""
    if milestone.attendance_marking != Milestone.AttendanceMarking.SELF:
        return None, ADMIN_MARKS
    windows = session_day_windows(milestone)
    if not windows:
        return None, NOT_SCHEDULED
    for session_day in windows:
        reason = self_marking_refusal(milestone, session_day, now)
        if not reason:
            return session_day, ""
        if now < session_day.marking_opens_at:
            # The earliest day still to come says when marking opens next.
            return None, reason
    return None, CLOSED


def _participant_membership(milestone: Milestone, user) -> PlanMembership | None:
    return PlanMembership.objects.filter(
        plan_id=milestone.plan_id, user=user, role=PlanMembership.Role.PARTICIPANT
    ).first()


def participant_attendance(milestone: Milestone, user, *, now=None) -> dict:
    """What a participant's milestone page shows about their attendance, in two queries.

    Returns {"expected", "not_expected_reason", "self_marking", "scheduled", "can_mark",
    "days"}, each day being {"date", "status", "status_display", "self_marked",
    "validated", "can_mark", "reason"}."""
    now = now or timezone.now()
    membership = _participant_membership(milestone, user)
    expected = is_expected(milestone, membership)
    rows = (
        {row.day: row for row in Attendance.objects.filter(milestone=milestone, participant=user)}
        if membership is not None
        else {}
    )
    days = []
    for session_day in session_day_windows(milestone):
        row = rows.get(session_day.day)
        if row is not None:
            reason = ""
        elif not expected:
            reason = NOT_EXPECTED
        else:
            reason = self_marking_refusal(milestone, session_day, now)
        days.append(
            {
                "date": session_day.day,
                "status": row.status if row else None,
                "status_display": row.get_status_display() if row else None,
                "self_marked": bool(row and row.self_marked),
                "validated": bool(row and row.validated_at),
                "can_mark": row is None and expected and not reason,
                "reason": reason,
            }
        )
    return {
        "expected": expected,
        "not_expected_reason": "" if expected or membership is None else NOT_EXPECTED,
        "self_marking": milestone.attendance_marking == Milestone.AttendanceMarking.SELF,
        "scheduled": milestone.is_scheduled,
        "can_mark": any(day["can_mark"] for day in days),
        "days": days,
    }


def attendance_self_mark(*, milestone: Milestone, participant, now=None) -> Attendance:
    """Mark a participant present for the session day open now.

    Marking twice, or two marks racing each other, leaves one row: an existing row (the
    participant's own or one a project admin already wrote) is returned unchanged."""
    now = now or timezone.now()
    membership = _participant_membership(milestone, participant)
    if membership is None:
        raise ValidationError("Only the plan's participants mark their own attendance.")
    if not is_expected(milestone, membership):
        raise ValidationError(NOT_EXPECTED)
    session_day, reason = _self_marking_day(milestone, now)
    if session_day is None:
        raise ValidationError(reason)
    lookup = {"milestone": milestone, "participant": participant, "day": session_day.day}
    try:
        with transaction.atomic():
            attendance, _ = Attendance.objects.get_or_create(
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


@dataclass
class RegisterRow:
    membership: PlanMembership
    expected: bool
    attendance: Attendance | None

    @property
    def participant(self):
        return self.membership.user

    @property
    def status(self) -> str | None:
        return self.attendance.status if self.attendance else None

    @property
    def awaiting_validation(self) -> bool:
        return bool(
            self.attendance and self.attendance.self_marked and not self.attendance.validated_at
        )


def attendance_register(milestone: Milestone, day: datetime.date) -> list[RegisterRow]:
    """The plan's participants for one session day, each with their mark, in two queries."""
    memberships = (
        PlanMembership.objects.filter(
            plan_id=milestone.plan_id, role=PlanMembership.Role.PARTICIPANT
        )
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    marks = {
        row.participant_id: row
        for row in Attendance.objects.filter(milestone=milestone, day=day).select_related(
            "marked_by", "validated_by"
        )
    }
    rows = [
        RegisterRow(
            membership=membership,
            expected=is_expected(milestone, membership),
            attendance=marks.get(membership.user_id),
        )
        for membership in memberships
    ]
    # Those not expected go last, so the cohort to mark reads as one block.
    return sorted(rows, key=lambda row: not row.expected)


def attendance_register_save(
    *,
    milestone: Milestone,
    day: datetime.date,
    marks: dict[int, str],
    marked_by,
    now=None,
) -> int:
    """Save a session day's register in one transaction; everything on it is validated by
    whoever saves it. Returns how many marks were saved.

    A mark that keeps the status someone already gave keeps who gave it (a participant's
    own mark stays self-marked, now validated); a changed status is the saver's mark."""
    now = now or timezone.now()
    if day not in session_days(milestone):
        raise ValidationError("That day is not a day of this session.")
    valid = set(Attendance.Status.values)
    bad = {status for status in marks.values() if status not in valid}
    if bad:
        raise ValidationError("Choose present, absent or excused for each participant.")
    with transaction.atomic():
        expected_ids = {
            membership.user_id
            for membership in PlanMembership.objects.filter(
                plan_id=milestone.plan_id,
                role=PlanMembership.Role.PARTICIPANT,
                user_id__in=list(marks),
            )
            if is_expected(milestone, membership)
        }
        unknown = set(marks) - expected_ids
        if unknown:
            raise ValidationError("Only participants expected at the session can be marked.")
        # Locked so a second admin saving at the same moment waits, then sees our rows.
        existing = {
            row.participant_id: row
            for row in Attendance.objects.select_for_update().filter(
                milestone=milestone, day=day, participant_id__in=list(marks)
            )
        }
        to_update, to_create = [], []
        for participant_id, status in marks.items():
            row = existing.get(participant_id)
            if row is None:
                row = Attendance(milestone=milestone, participant_id=participant_id, day=day)
                to_create.append(row)
            else:
                to_update.append(row)
            if row.status != status:
                row.status = status
                row.self_marked = False
                row.marked_by = marked_by
                row.marked_at = now
            row.validated_by = marked_by
            row.validated_at = now
        fields = ["status", "self_marked", "marked_by", "marked_at", "validated_by", "validated_at"]
        if to_update:
            Attendance.objects.bulk_update(to_update, fields)
        if to_create:
            # A row another save inserted after our read is overwritten, never duplicated.
            Attendance.objects.bulk_create(
                to_create,
                update_conflicts=True,
                unique_fields=["milestone", "participant", "day"],
                update_fields=fields,
            )
    return len(marks)


def register_day(milestone: Milestone, requested: str | None, *, now=None) -> datetime.date | None:
    """The session day a register shows: the one asked for, else today's if the session
    runs today, else its first day."""
    days = session_days(milestone)
    if not days:
        return None
    for day in days:
        if requested == day.isoformat():
            return day
    today = (now or timezone.now()).astimezone(milestone.zone).date()
    return today if today in days else days[0]
