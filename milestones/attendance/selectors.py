"""Attendance reads: who is expected at a session, when participants may mark themselves
present, and what the participant's card and the register show."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bip.selectors import participant_membership, plan_participants
from milestones.models import Attendance, Milestone, SessionDay

if TYPE_CHECKING:
    from bip.models import PlanMembership

ADMIN_MARKS = gettext_lazy("Your project admin marks attendance for this session")
CLOSED = gettext_lazy("Marking closed when the session ended")
NOT_SCHEDULED = gettext_lazy("Marking opens once the session is scheduled")
NOT_EXPECTED = gettext_lazy("Not expected (joined after the session)")


def self_marking_opens_minutes() -> int:
    return settings.ATTENDANCE_SELF_MARKING_OPENS_MINUTES


def marking_opens_at(session_day: SessionDay) -> datetime.datetime:
    return session_day.starts_at - datetime.timedelta(minutes=self_marking_opens_minutes())


def session_dates(milestone: Milestone) -> list[datetime.date]:
    """The session's local dates in the plan's zone, first to last; empty if unscheduled."""
    return [session_day.day for session_day in milestone.session_days()]


def is_expected(milestone: Milestone, membership: PlanMembership | None) -> bool:
    """A participant is expected unless they joined the plan after the session ended:
    a session held before someone joined never counts against them."""
    if membership is None or not membership.is_participant:
        return False
    return milestone.ends_at is None or membership.joined_at < milestone.ends_at


def self_marking_refusal(
    milestone: Milestone, session_day: SessionDay, now: datetime.datetime
) -> str:
    """Why a participant cannot mark themselves present for this day right now ("" if
    they can)."""
    if milestone.attendance_marking != Milestone.AttendanceMarking.SELF:
        return ADMIN_MARKS
    if now < marking_opens_at(session_day):
        return _format_opening(marking_opens_at(session_day))
    if now >= session_day.ends_at:
        return CLOSED
    return ""


def open_self_marking_day(
    milestone: Milestone, now: datetime.datetime
) -> tuple[SessionDay | None, str]:
    """The session day open for self marking now, or the reason none is."""
    if milestone.attendance_marking != Milestone.AttendanceMarking.SELF:
        return None, ADMIN_MARKS
    days = milestone.session_days()
    if not days:
        return None, NOT_SCHEDULED
    for session_day in days:
        reason = self_marking_refusal(milestone, session_day, now)
        if not reason:
            return session_day, ""
        if now < marking_opens_at(session_day):
            # The earliest day still to come says when marking opens next.
            return None, reason
    return None, CLOSED


def _format_opening(moment: datetime.datetime) -> str:
    # In the reader's own time zone, like every other time on the participant's pages.
    local = timezone.localtime(moment)
    return _("Marking opens at %(time)s on %(day)s") % {
        "time": formats.date_format(local, "CLOCK_FORMAT"),
        "day": formats.date_format(local, "SHORT_WEEKDAY_FORMAT"),
    }


# The participant's attendance card


@dataclass(frozen=True)
class AttendanceDay:
    date: datetime.date
    attendance: Attendance | None
    can_mark: bool
    reason: str

    @property
    def validated(self) -> bool:
        return bool(self.attendance and self.attendance.validated_at)

    @property
    def awaiting_validation(self) -> bool:
        return bool(self.attendance and self.attendance.self_marked and not self.validated)


@dataclass(frozen=True)
class ParticipantAttendance:
    """What a participant's milestone page shows about their attendance."""

    scheduled: bool
    self_marking: bool
    expected: bool
    not_expected_reason: str
    days: tuple[AttendanceDay, ...]

    @property
    def can_mark(self) -> bool:
        return any(day.can_mark for day in self.days)


def participant_attendance(
    milestone: Milestone, user, *, now: datetime.datetime | None = None
) -> ParticipantAttendance:
    """A participant's attendance for one milestone, in two queries."""
    now = now or timezone.now()
    membership = participant_membership(milestone.plan_id, user)
    expected = is_expected(milestone, membership)
    rows = (
        {row.day: row for row in Attendance.objects.filter(milestone=milestone, participant=user)}
        if membership is not None
        else {}
    )
    days = []
    for session_day in milestone.session_days():
        row = rows.get(session_day.day)
        if row is not None:
            reason = ""
        elif not expected:
            reason = NOT_EXPECTED
        else:
            reason = self_marking_refusal(milestone, session_day, now)
        days.append(
            AttendanceDay(
                date=session_day.day,
                attendance=row,
                can_mark=row is None and expected and not reason,
                reason=reason,
            )
        )
    return ParticipantAttendance(
        scheduled=milestone.is_scheduled,
        self_marking=milestone.attendance_marking == Milestone.AttendanceMarking.SELF,
        expected=expected,
        not_expected_reason="" if expected or membership is None else NOT_EXPECTED,
        days=tuple(days),
    )


# The register


@dataclass(frozen=True)
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
    """The plan's participants for one session day, each with their mark, in two queries.
    Those not expected come last, so the cohort to mark reads as one block."""
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
        for membership in plan_participants(milestone.plan_id)
    ]
    return sorted(rows, key=lambda row: not row.expected)


def register_rows_matching(rows: list[RegisterRow], search: str) -> list[RegisterRow]:
    """The register's rows whose participant's name or address contains `search`."""
    needle = search.casefold()
    if not needle:
        return rows
    return [
        row
        for row in rows
        if needle in str(row.participant).casefold() or needle in row.participant.email.casefold()
    ]


def register_day(
    milestone: Milestone, requested: str | None, *, now: datetime.datetime | None = None
) -> datetime.date | None:
    """The session day a register shows: the one asked for, else today's if the session
    runs today, else its first day."""
    days = session_dates(milestone)
    if not days:
        return None
    for day in days:
        if requested == day.isoformat():
            return day
    today = (now or timezone.now()).astimezone(milestone.zone).date()
    return today if today in days else days[0]


# For progress


def days_attended(
    *, milestone_ids: Iterable[int], participant_ids: Iterable[int] | None = None
) -> Counter[tuple[int, int]]:
    """How many session days each participant attended (present or excused), keyed by
    (milestone id, participant id); one query."""
    rows = Attendance.objects.filter(
        milestone_id__in=list(milestone_ids),
        status__in=[Attendance.Status.PRESENT, Attendance.Status.EXCUSED],
    )
    if participant_ids is not None:
        rows = rows.filter(participant_id__in=list(participant_ids))
    return Counter(rows.order_by().values_list("milestone_id", "participant_id"))


def self_marks_awaiting_validation(milestone_ids: Iterable[int]) -> dict[int, int]:
    """Milestone id → how many self-marked days no project admin or trainer has validated."""
    return dict(
        Attendance.objects.filter(
            milestone_id__in=list(milestone_ids), self_marked=True, validated_at__isnull=True
        )
        .order_by()
        .values_list("milestone_id")
        .annotate(n=Count("pk"))
    )
