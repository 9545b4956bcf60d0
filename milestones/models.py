import datetime
import zoneinfo
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from files.fields import UploadedFileField, UploadTo
from files.validators import UploadValidator


@dataclass(frozen=True)
class SessionDay:
    """One local day of a session (in the plan's zone) and the part of the session held on it."""

    day: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True)
class SessionDetails:
    """What people are told about a session: enough to write its emails and calendar event
    even after the milestone is gone, and to see what changed since they were last told."""

    milestone_id: int
    plan_id: int
    name: str
    description: str
    time_zone: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    multi_day: bool
    meeting_link: str
    passcode: str
    location: str

    # The parts whose change people are told about, with the words that name them.
    ANNOUNCED = {
        "starts_at": gettext_lazy("Start"),
        "ends_at": gettext_lazy("End"),
        "meeting_link": gettext_lazy("Meeting link"),
        "passcode": gettext_lazy("Passcode"),
        "location": gettext_lazy("Location"),
    }

    def to_json(self) -> dict:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict) -> "SessionDetails":
        return cls(
            **{
                **data,
                "starts_at": datetime.datetime.fromisoformat(data["starts_at"]),
                "ends_at": datetime.datetime.fromisoformat(data["ends_at"]),
            }
        )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class SessionState(models.TextChoices):
    """Where a session stands at a given moment, as every page names it."""

    UNSCHEDULED = "unscheduled", gettext_lazy("Not scheduled yet")
    UPCOMING = "upcoming", gettext_lazy("Upcoming")
    LIVE = "live", gettext_lazy("Live now")
    # A multi-day session between two of its days: started, not over, not on right now.
    BETWEEN_DAYS = "between_days", gettext_lazy("Under way")
    PAST = "past", gettext_lazy("Past")


class Milestone(models.Model):
    """A checkpoint of a plan: a training, assessment or meeting with its session."""

    class Kind(models.TextChoices):
        TRAINING = "training", gettext_lazy("Training")
        ASSESSMENT = "assessment", gettext_lazy("Assessment")
        MEETING = "meeting", gettext_lazy("Meeting")

    class UploadProgress(models.TextChoices):
        OFF = "off", gettext_lazy("Off")
        OPTIONAL = "optional", gettext_lazy("Optional")
        MANDATORY = "mandatory", gettext_lazy("Mandatory")

    class AttendanceMarking(models.TextChoices):
        SELF = "self", gettext_lazy("Self marking")
        PROJECT_ADMIN = "project_admin", gettext_lazy("Project admin marking")

    class SessionConnect(models.TextChoices):
        MENTOR = "mentor", gettext_lazy("Mentor connect")
        COACH = "coach", gettext_lazy("Coach connect")

    class Schedule(models.TextChoices):
        TENTATIVE = "tentative", gettext_lazy("Tentative")
        CONFIRMED = "confirmed", gettext_lazy("Confirmed")

    plan = models.ForeignKey(
        "bip.Plan",
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=gettext_lazy("plan"),
    )
    name = models.CharField(gettext_lazy("milestone name"), max_length=200)
    description = models.TextField(
        gettext_lazy("description"),
        blank=True,
        help_text=gettext_lazy("What this milestone covers and why it matters to participants."),
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=16, choices=Kind, default=Kind.TRAINING
    )
    order = models.PositiveIntegerField(default=0)

    post_action_required = models.BooleanField(
        gettext_lazy("post action required"),
        default=False,
        help_text=gettext_lazy(
            "Participants must submit a follow-up action after the session to complete it."
        ),
    )
    multi_day = models.BooleanField(
        gettext_lazy("multi-day event"),
        default=False,
        help_text=gettext_lazy(
            "The session spans more than one day. If not, it must start and end on the same day."
        ),
    )
    upload_progress = models.CharField(
        gettext_lazy("upload progress type"),
        max_length=16,
        choices=UploadProgress,
        default=UploadProgress.OFF,
        help_text=gettext_lazy(
            "Off: no uploads. Optional: participants may upload their progress. "
            "Mandatory: an accepted upload is needed to complete the milestone."
        ),
    )
    attendance_marking = models.CharField(
        gettext_lazy("attendance marking type"),
        max_length=16,
        choices=AttendanceMarking,
        default=AttendanceMarking.PROJECT_ADMIN,
        help_text=gettext_lazy(
            "Self marking: participants mark their own attendance during the session. "
            "Project admin marking: a project admin fills in the register."
        ),
    )
    session_connect = models.CharField(
        gettext_lazy("session connect type"),
        max_length=16,
        choices=SessionConnect,
        default=SessionConnect.MENTOR,
        help_text=gettext_lazy(
            "Mentor connect: a mentor leads the session. Coach connect: a coach leads it."
        ),
    )

    meeting_link = models.URLField(
        gettext_lazy("meeting link"),
        blank=True,
        max_length=500,
        help_text=gettext_lazy("Zoom, Teams, Google Meet or any other http(s) link."),
    )
    passcode = models.CharField(gettext_lazy("passcode"), max_length=100, blank=True)
    location = models.CharField(
        gettext_lazy("location"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Where participants meet, for an offline session."),
    )
    schedule = models.CharField(
        gettext_lazy("tentative or confirmed"),
        max_length=16,
        choices=Schedule,
        default=Schedule.TENTATIVE,
        help_text=gettext_lazy("Participants see a tentative session as subject to change."),
    )
    starts_at = models.DateTimeField(gettext_lazy("start date and time"), null=True, blank=True)
    ends_at = models.DateTimeField(gettext_lazy("end date and time"), null=True, blank=True)

    trainers = models.ManyToManyField(
        "Trainer", blank=True, related_name="milestones", verbose_name=gettext_lazy("trainers")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # What participants and trainers were last told of the session (see
    # milestones.notices): the session's details when they were invited or last updated,
    # None while they hold no invite (never confirmed, or cancelled). A change is announced
    # once the session has been quiet until `announce_after`, so a burst of edits is one email.
    announced = models.JSONField(null=True, blank=True, editable=False)
    announce_after = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    # The iCalendar SEQUENCE of the last invite, update or cancellation sent for the session.
    invite_sequence = models.PositiveIntegerField(default=0, editable=False)

    # Who changed what and when; the announcement bookkeeping and the order are left out.
    history = HistoricalRecords(
        excluded_fields=["announced", "announce_after", "invite_sequence", "order", "created_at"]
    )

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = gettext_lazy("milestone")
        verbose_name_plural = gettext_lazy("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="milestones_milestone_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False),
                name="milestones_milestone_start_and_end_together",
            ),
            models.CheckConstraint(
                condition=~Q(schedule="confirmed")
                | (Q(starts_at__isnull=False) & (~Q(meeting_link="") | ~Q(location=""))),
                name="milestones_milestone_confirmed_has_time_and_place",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The session's rules, for every way a milestone is saved (pages, admin, imports)."""
        super().clean()
        if self.plan_id is not None:
            self.plan.ensure_open()
        self.location = self.location.strip()
        errors = {}
        starts, ends = self.starts_at, self.ends_at
        if starts and not ends:
            errors["ends_at"] = _("Give the end as well as the start.")
        elif ends and not starts:
            errors["starts_at"] = _("Give the start as well as the end.")
        elif starts and ends:
            if ends <= starts:
                errors["ends_at"] = _("The session must end after it starts.")
            elif not self.multi_day and not self._on_one_local_day():
                errors.update(self._single_day_error())
        if self.schedule == self.Schedule.CONFIRMED:
            if not (starts and ends):
                errors["schedule"] = _("Set the start and end before confirming the session.")
            elif not (self.meeting_link or self.location):
                errors["schedule"] = _(
                    "A confirmed session needs a meeting link (online) or a location (offline)."
                )
        if errors:
            raise ValidationError(errors)

    def _on_one_local_day(self) -> bool:
        zone = self.zone
        return self.starts_at.astimezone(zone).date() == self.ends_at.astimezone(zone).date()

    def _single_day_error(self) -> dict[str, str]:
        # Which field is wrong depends on what was just changed: switching an existing
        # multi-day session to single-day, or typing dates over several days.
        was_multi_day = (
            self.pk is not None and Milestone.objects.filter(pk=self.pk, multi_day=True).exists()
        )
        if was_multi_day:
            return {
                "multi_day": _(
                    "The session is scheduled over several days. Change its meeting dates to a "
                    "single day first."
                )
            }
        return {
            "ends_at": _(
                "This is a single-day milestone: it must end on the day it starts. To run over "
                "several days, set “Multi-day event” to Yes in the basic details."
            )
        }

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.plan.time_zone)

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None and self.ends_at is not None

    @property
    def upload_is_mandatory(self) -> bool:
        return self.upload_progress == self.UploadProgress.MANDATORY

    @property
    def is_confirmed(self) -> bool:
        return self.schedule == self.Schedule.CONFIRMED

    def session_details(self) -> SessionDetails | None:
        """The session as people are to be told of it: a confirmed, scheduled session.
        A tentative or unscheduled one is nothing to put in anyone's calendar yet."""
        if not (self.is_confirmed and self.is_scheduled):
            return None
        return SessionDetails(
            milestone_id=self.pk,
            plan_id=self.plan_id,
            name=self.name,
            description=self.description,
            time_zone=self.plan.time_zone,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            multi_day=self.multi_day,
            meeting_link=self.meeting_link,
            passcode=self.passcode,
            location=self.location,
        )

    def session_shifted(self, days: int) -> tuple[datetime.datetime, datetime.datetime]:
        """The session's start and end `days` later (earlier when negative) on the plan's
        local calendar, at the same local clock times: moved across a clock change, a 09:00
        session still starts at 09:00 where it is held, not an hour off."""
        zone = self.zone

        def moved(moment: datetime.datetime) -> datetime.datetime:
            local = moment.astimezone(zone)
            return datetime.datetime.combine(
                local.date() + datetime.timedelta(days=days), local.time(), zone
            )

        return moved(self.starts_at), moved(self.ends_at)

    def session_ended(self, now: datetime.datetime | None = None) -> bool:
        """Whether the session is over. An unscheduled milestone's session never is: nothing
        can be late for it yet."""
        return self.ends_at is not None and self.ends_at <= (now or timezone.now())

    @property
    def is_past(self) -> bool:
        return self.session_ended()

    def session_state(self, now: datetime.datetime | None = None) -> SessionState:
        """The one rule for "Upcoming", "Live now" and "Past": a session is live while one of
        its days' slots is on (a multi-day session is not live overnight), and past only once
        it has ended."""
        now = now or timezone.now()
        if not self.is_scheduled:
            return SessionState.UNSCHEDULED
        if now < self.starts_at:
            return SessionState.UPCOMING
        if self.ends_at <= now:
            return SessionState.PAST
        if any(day.starts_at <= now < day.ends_at for day in self.session_days()):
            return SessionState.LIVE
        return SessionState.BETWEEN_DAYS

    @property
    def state(self) -> SessionState:
        return self.session_state()

    @property
    def is_live(self) -> bool:
        return self.state == SessionState.LIVE

    def post_session_open(self, now: datetime.datetime | None = None) -> bool:
        """Whether what follows the session (its follow-up action, survey and post-session
        material) is there to do: once the session has started, so that a trainer can ask
        for the survey in its last minutes; never for a session with no date yet."""
        return self.is_scheduled and self.starts_at <= (now or timezone.now())

    def session_days(self) -> list[SessionDay]:
        """Each local day from the session's start to its end, first to last (none while it is
        unscheduled): the first day starts when the session does, the last ends when it does,
        and the days between run on the session's own clock times."""
        if not self.is_scheduled:
            return []
        zone = self.zone
        start = self.starts_at.astimezone(zone)
        end = self.ends_at.astimezone(zone)
        first, last = start.date(), end.date()
        days = []
        day = first
        while day <= last:
            day_start = start if day == first else datetime.datetime.combine(day, start.timetz())
            day_end = end if day == last else datetime.datetime.combine(day, end.timetz())
            if day_end <= day_start:
                # A session that runs past midnight (22:00 to 02:00 each night) would otherwise
                # give these days no time at all: the last day holds the stretch after
                # midnight, the others run from the start time to the end of the local day.
                if day == last:
                    day_start = datetime.datetime.combine(day, datetime.time(), zone)
                else:
                    day_end = datetime.datetime.combine(
                        day + datetime.timedelta(days=1), datetime.time(), zone
                    )
            days.append(SessionDay(day=day, starts_at=day_start, ends_at=day_end))
            day += datetime.timedelta(days=1)
        return days


class Trainer(models.Model):
    """A mentor or coach who runs sessions; created once per plan, then selected onto any
    number of its milestones."""

    plan = models.ForeignKey(
        "bip.Plan",
        on_delete=models.CASCADE,
        related_name="trainers",
        verbose_name=gettext_lazy("plan"),
    )
    name = models.CharField(gettext_lazy("name"), max_length=200)
    email = models.EmailField(gettext_lazy("email"), blank=True)
    phone = models.CharField(gettext_lazy("phone"), max_length=50, blank=True)
    organisation = models.CharField(gettext_lazy("organisation"), max_length=200, blank=True)
    bio = models.TextField(gettext_lazy("bio"), blank=True)
    # A trainer with an account of their own can sign in and mark attendance.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainer_profiles",
        verbose_name=gettext_lazy("user"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = gettext_lazy("trainer")
        verbose_name_plural = gettext_lazy("trainers")

    def __str__(self):
        return self.name


class Activity(models.Model):
    """A resource for participants before (to prepare) or after (to reinforce) a session."""

    class Phase(models.TextChoices):
        PRE = "pre", gettext_lazy("Pre-session")
        POST = "post", gettext_lazy("Post-session")

    class UploadType(models.TextChoices):
        FILE = "file", gettext_lazy("File upload")
        LINK = "link", gettext_lazy("Link upload")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=gettext_lazy("milestone"),
    )
    phase = models.CharField(gettext_lazy("phase"), max_length=8, choices=Phase)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    upload_type = models.CharField(
        gettext_lazy("upload type"), max_length=8, choices=UploadType, default=UploadType.FILE
    )
    file = UploadedFileField(
        gettext_lazy("file"),
        upload_to=UploadTo("activities"),
        blank=True,
        max_length=300,
        validators=[UploadValidator()],
        help_text=gettext_lazy("PDF, PowerPoint, Word, Excel, OpenDocument, text or image files."),
    )
    url = models.URLField(
        gettext_lazy("link"),
        blank=True,
        max_length=500,
        help_text=gettext_lazy("An external http(s) link."),
    )
    # The position among the milestone's activities of the same phase, as its admins arrange them.
    order = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["milestone", "phase", "order", "pk"]
        verbose_name = gettext_lazy("activity")
        verbose_name_plural = gettext_lazy("activities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(upload_type="file") & ~Q(file="") & Q(url=""))
                | (Q(upload_type="link") & ~Q(url="") & Q(file="")),
                name="milestones_activity_file_xor_link",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name if self.file else ""


class Attendance(models.Model):
    """Whether one participant attended one milestone's session (one row per session day for
    a multi-day milestone)."""

    class Status(models.TextChoices):
        PRESENT = "present", gettext_lazy("Present")
        ABSENT = "absent", gettext_lazy("Absent")
        EXCUSED = "excused", gettext_lazy("Excused")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=gettext_lazy("milestone"),
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=gettext_lazy("participant"),
    )
    day = models.DateField(
        gettext_lazy("day"), help_text=gettext_lazy("The session day, in the plan's time zone.")
    )
    status = models.CharField(gettext_lazy("status"), max_length=16, choices=Status)
    self_marked = models.BooleanField(gettext_lazy("self marked"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("marked by"),
    )
    marked_at = models.DateTimeField(gettext_lazy("marked at"), default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("validated by"),
    )
    validated_at = models.DateTimeField(gettext_lazy("validated at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "day", "participant"]
        verbose_name = gettext_lazy("attendance")
        verbose_name_plural = gettext_lazy("attendances")
        constraints = [
            # Two people marking at once can never leave two rows for the same day.
            models.UniqueConstraint(
                fields=["milestone", "participant", "day"], name="milestones_one_attendance_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.participant} {self.get_status_display().lower()} at {self.milestone}"


class ProgressUpload(models.Model):
    """A file (and note) a participant uploads to show progress on a milestone."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", gettext_lazy("Awaiting review")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        CHANGES_REQUESTED = "changes_requested", gettext_lazy("Changes requested")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="uploads",
        verbose_name=gettext_lazy("milestone"),
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="progress_uploads",
        verbose_name=gettext_lazy("participant"),
    )
    file = UploadedFileField(
        gettext_lazy("file"),
        upload_to=UploadTo("progress"),
        max_length=300,
        validators=[UploadValidator()],
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=24, choices=Status, default=Status.SUBMITTED
    )
    review_comment = models.TextField(gettext_lazy("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("reviewed by"),
    )
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(
        gettext_lazy("created at"), default=timezone.now, editable=False
    )

    history = HistoricalRecords(excluded_fields=["file", "note"])

    class Meta:
        ordering = ["milestone", "participant", "created_at", "pk"]
        verbose_name = gettext_lazy("progress upload")
        verbose_name_plural = gettext_lazy("progress uploads")
        indexes = [models.Index(fields=["milestone", "participant", "status"])]

    def __str__(self):
        return f"{self.participant}'s upload for {self.milestone}"

    @property
    def awaits_review(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name if self.file else ""


class PostAction(models.Model):
    """A participant's follow-up action after a milestone's session, where one is required."""

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="post_actions",
        verbose_name=gettext_lazy("milestone"),
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_actions",
        verbose_name=gettext_lazy("participant"),
    )
    text = models.TextField(gettext_lazy("your action"))
    file = UploadedFileField(
        gettext_lazy("file"),
        upload_to=UploadTo("post-actions"),
        blank=True,
        max_length=300,
        validators=[UploadValidator()],
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("validated by"),
    )
    validated_at = models.DateTimeField(gettext_lazy("validated at"), null=True, blank=True)

    class Meta:
        ordering = ["milestone", "participant"]
        verbose_name = gettext_lazy("follow-up action")
        verbose_name_plural = gettext_lazy("follow-up actions")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "participant"], name="milestones_one_post_action_each"
            ),
        ]

    def __str__(self):
        return f"{self.participant}'s action after {self.milestone}"


class ActivityView(models.Model):
    """When a participant first opened an activity (its file or its link)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="views")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_views"
    )
    first_opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="milestones_one_view_per_activity"
            ),
        ]

    def __str__(self):
        return f"{self.participant} opened {self.activity}"


class SessionAnnouncement(models.Model):
    """One change of a session that people are told about: its invitation, an update or its
    cancellation. Recorded with the change; a task then emails everyone concerned, however
    many, so the admin's save never waits for a cohort's emails."""

    class Change(models.TextChoices):
        SCHEDULED = "scheduled", gettext_lazy("Scheduled")
        CHANGED = "changed", gettext_lazy("Changed")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    plan = models.ForeignKey("bip.Plan", on_delete=models.CASCADE, related_name="+")
    # Kept after the milestone is deleted: its cancellation still has to go out.
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change = models.CharField(max_length=16, choices=Change)
    sequence = models.PositiveIntegerField()
    # The session as announced (and, for a change, what it was before), so the emails and the
    # calendar invites can be built even once the milestone is gone.
    session = models.JSONField()
    previous = models.JSONField(null=True, blank=True)
    # Who runs the session: trainers may have no account, so their addresses are kept.
    trainers = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.session.get('name', 'A session')} {self.get_change_display().lower()}"


class SessionReminder(models.Model):
    """A reminder claimed for one session day: the day before or an hour before it starts.
    Keyed by the start time, so moving a session re-arms its reminders and a job that runs
    twice claims each one once."""

    class Lead(models.TextChoices):
        DAY = "day", gettext_lazy("The day before")
        HOUR = "hour", gettext_lazy("An hour before")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    lead = models.CharField(max_length=8, choices=Lead)
    starts_at = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "lead", "starts_at"], name="milestones_one_reminder_each"
            ),
        ]

    def __str__(self):
        return f"{self.get_lead_display()} {self.milestone}"


class CalendarFeed(models.Model):
    """A person's private calendar address: every session they take part in or run, for
    Google, Outlook or Apple calendars to subscribe to. The token is the only credential, so
    it is long, random, and replaced (which revokes the old address) on request."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"
