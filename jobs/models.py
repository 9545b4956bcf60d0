from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from files.fields import UploadTo
from jobs.kinds import JobKind, kind_find


class Job(models.Model):
    """Work someone started that runs in the background: a list of members to add, a big
    CSV to write. The worker records its progress here, then its outcome: a summary, a
    report line by line, a private file, or what went wrong."""

    class State(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Waiting to start")
        RUNNING = "running", gettext_lazy("Running")
        DONE = "done", gettext_lazy("Finished")
        FAILED = "failed", gettext_lazy("Failed")

    kind = models.CharField(max_length=64, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    # Whose it is besides its starter's ("plan:12"); the app that owns the scope says who
    # looks after it (jobs.signals.scopes_looked_after).
    scope = models.CharField(max_length=64, blank=True)
    # What it is about, as its title names it: a plan's name, a survey's title.
    subject = models.CharField(max_length=255)
    # The page it was started from, to go back to.
    link = models.CharField(max_length=500, blank=True)
    # What the kind's run() works from: the pasted list, the filters of an export.
    params = models.JSONField(default=dict, blank=True)
    # The worker runs the job in the time zone and language of the request that started it,
    # so an export's dates and a report's words are what that page would have shown.
    time_zone = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=16, blank=True)

    state = models.CharField(max_length=16, choices=State, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # A few figures the kind's outcome sentence is made of; the report can be long, so
    # lists of jobs leave it unread.
    summary = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to=UploadTo("jobs"), max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    # Deliveries of its task: a worker lost mid-way hands the job to another, which carries
    # on; one that keeps being lost is given up.
    attempts = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Its last sign of life: the sweeper queues again a job silent for too long.
    updated_at = models.DateTimeField(default=timezone.now)
    # When its starter saw how it ended, on its page or in the notice on their next page.
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["scope", "kind", "-created_at"], name="job_scope_idx"),
            models.Index(fields=["started_by", "-created_at"], name="job_starter_idx"),
            models.Index(fields=["state", "updated_at"], name="job_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}: {self.subject}"

    @property
    def kind_info(self) -> JobKind | None:
        return kind_find(self.kind)

    @property
    def title(self) -> str:
        kind = self.kind_info
        return kind.title % {"subject": self.subject} if kind else self.subject

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def outcome(self) -> str:
        """One sentence on what a finished job came to; empty before then."""
        kind = self.kind_info
        return kind.outcome(self) if kind and self.state == self.State.DONE else ""

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0
