import zoneinfo
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from bip.models import Plan
from files.validators import UploadValidator


class Milestone(models.Model):
    """A checkpoint of a plan: a training, assessment or meeting with its session."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        ASSESSMENT = "assessment", "Assessment"
        MEETING = "meeting", "Meeting"

    class UploadProgress(models.TextChoices):
        OFF = "off", "Off"
        OPTIONAL = "optional", "Optional"
        MANDATORY = "mandatory", "Mandatory"

    class AttendanceMarking(models.TextChoices):
        SELF = "self", "Self marking"
        PROJECT_ADMIN = "project_admin", "Project admin marking"

    class SessionConnect(models.TextChoices):
        MENTOR = "mentor", "Mentor connect"
        COACH = "coach", "Coach connect"

    class Schedule(models.TextChoices):
        TENTATIVE = "tentative", "Tentative"
        CONFIRMED = "confirmed", "Confirmed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("milestone name", max_length=200)
    description = models.TextField(
        blank=True, help_text="What this milestone covers and why it matters to participants."
    )
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.TRAINING)
    order = models.PositiveIntegerField(default=0)

    post_action_required = models.BooleanField(
        default=False,
        help_text="Participants must submit a follow-up action after the session to complete it.",
    )
    multi_day = models.BooleanField(
        "multi-day event",
        default=False,
        help_text="The session spans more than one day. If not, it must start and end on the "
        "same day.",
    )
    upload_progress = models.CharField(
        "upload progress type",
        max_length=16,
        choices=UploadProgress,
        default=UploadProgress.OFF,
        help_text="Off: no uploads. Optional: participants may upload their progress. "
        "Mandatory: an accepted upload is needed to complete the milestone.",
    )
    attendance_marking = models.CharField(
        "attendance marking type",
        max_length=16,
        choices=AttendanceMarking,
        default=AttendanceMarking.PROJECT_ADMIN,
        help_text="Self marking: participants mark their own attendance during the session. "
        "Project admin marking: a project admin fills in the register.",
    )
    session_connect = models.CharField(
        "session connect type",
        max_length=16,
        choices=SessionConnect,
        default=SessionConnect.MENTOR,
        help_text="Mentor connect: a mentor leads the session. Coach connect: a coach leads it.",
    )

    meeting_link = models.URLField(
        blank=True, max_length=500, help_text="Zoom, Teams, Google Meet or any other http(s) link."
    )
    passcode = models.CharField(max_length=100, blank=True)
    location = models.CharField(
        max_length=300, blank=True, help_text="Where participants meet, for an offline session."
    )
    schedule = models.CharField(
        "tentative or confirmed",
        max_length=16,
        choices=Schedule,
        default=Schedule.TENTATIVE,
        help_text="Participants see a tentative session as subject to change.",
    )
    starts_at = models.DateTimeField("start date and time", null=True, blank=True)
    ends_at = models.DateTimeField("end date and time", null=True, blank=True)

    trainers = models.ManyToManyField("Trainer", blank=True, related_name="milestones")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="milestones_milestone_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.plan.time_zone)

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None and self.ends_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.schedule == self.Schedule.CONFIRMED

    @property
    def is_past(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()


class Trainer(models.Model):
    """A mentor or coach who runs sessions; created once per plan, then selected onto any
    number of its milestones."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    # A trainer with an account of their own can sign in and mark attendance.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainer_profiles",
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Activity(models.Model):
    """A resource for participants before (to prepare) or after (to reinforce) a session."""

    class Phase(models.TextChoices):
        PRE = "pre", "Pre-session"
        POST = "post", "Post-session"

    class UploadType(models.TextChoices):
        FILE = "file", "File upload"
        LINK = "link", "Link upload"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="activities")
    phase = models.CharField(max_length=8, choices=Phase)
    title = models.CharField(max_length=200)
    upload_type = models.CharField(max_length=8, choices=UploadType, default=UploadType.FILE)
    file = models.FileField(
        upload_to="activities/%Y/%m/",
        blank=True,
        max_length=300,
        validators=[UploadValidator()],
        help_text="PDF, PowerPoint, Word, Excel, OpenDocument, text or image files.",
    )
    url = models.URLField("link", blank=True, max_length=500, help_text="An external http(s) link.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["milestone", "phase", "created_at", "pk"]
        verbose_name_plural = "activities"
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
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    day = models.DateField(help_text="The session day, in the plan's time zone.")
    status = models.CharField(max_length=16, choices=Status)
    self_marked = models.BooleanField(default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["milestone", "day", "participant"]
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
        SUBMITTED = "submitted", "Awaiting review"
        ACCEPTED = "accepted", "Accepted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="uploads")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_uploads"
    )
    file = models.FileField(
        upload_to="progress/%Y/%m/", max_length=300, validators=[UploadValidator()]
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=Status, default=Status.SUBMITTED)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["milestone", "participant", "created_at", "pk"]
        indexes = [models.Index(fields=["milestone", "participant", "status"])]

    def __str__(self):
        return f"{self.participant}'s upload for {self.milestone}"

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name if self.file else ""


class PostAction(models.Model):
    """A participant's follow-up action after a milestone's session, where one is required."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="post_actions")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_actions"
    )
    text = models.TextField("your action")
    file = models.FileField(
        upload_to="post-actions/%Y/%m/",
        blank=True,
        max_length=300,
        validators=[UploadValidator()],
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["milestone", "participant"]
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
