from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from collaboration.chat_lines import chat_line
from files.fields import UploadedFileField, UploadTo
from files.validators import ANY_DOCUMENT, UploadValidator

# The currencies a project may be priced in (ISO 4217).
CURRENCIES = ["EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD", "INR", "JPY"]


class Project(models.Model):
    """A consultant's engagement with one client: dated milestones and a shared chat."""

    title = models.CharField(_("title"), max_length=200)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consulted_projects",
        verbose_name=_("consultant"),
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="client_projects",
        verbose_name=_("client"),
    )
    completion_date = models.DateField(
        _("completion date"), help_text=_("When the whole project is due to be delivered.")
    )
    initial_payment_required = models.BooleanField(
        _("initial payment required"),
        default=True,
        help_text=_(
            "As agreed when the proposal was approved. Milestones open only once it is in."
        ),
    )
    acceptance_required = models.BooleanField(
        _("the client accepts each milestone"),
        default=False,
        help_text=_(
            "The consultant submits each milestone for acceptance and the client accepts "
            "it or asks for changes; progress counts the milestones accepted."
        ),
    )
    # Every amount of the project (the initial payment and each milestone's) is in this
    # currency, an ISO 4217 code.
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=[(code, code) for code in CURRENCIES],
        default="EUR",
        help_text=_("The initial payment and every milestone's amount are in this currency."),
    )
    payment_amount = models.DecimalField(
        _("initial payment"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    payment_received_on = models.DateField(_("initial payment received on"), null=True, blank=True)
    payment_reference = models.CharField(_("initial payment reference"), max_length=100, blank=True)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initial payment recorded by"),
    )
    payment_recorded_at = models.DateTimeField(
        _("initial payment recorded at"), null=True, blank=True
    )
    milestones_opened_at = models.DateTimeField(_("milestones opened at"), null=True, blank=True)
    milestones_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("milestones opened by"),
    )
    # The reminder job scans this column alone; it is cleared once a milestone exists.
    next_no_milestones_reminder_at = models.DateTimeField(
        _("next reminder to add milestones"), null=True, blank=True, db_index=True
    )
    no_milestones_reminders_sent = models.PositiveSmallIntegerField(
        _("reminders to add milestones sent"), default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["completion_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(consultant=F("client")),
                name="collaboration_project_consultant_is_not_client",
            ),
            models.CheckConstraint(
                condition=Q(milestones_opened_at__isnull=True)
                | Q(initial_payment_required=False)
                | Q(payment_received_on__isnull=False),
                name="collaboration_project_opens_after_payment",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collaboration:project", args=[self.pk])

    def clean(self):
        # Each error names its field, so a form shows it there. Two of these rules are also
        # check constraints (above); full_clean() skips a constraint once a field it reads has
        # an error here, so nobody is told a rule twice.
        errors = {}
        if self.consultant_id is not None and self.consultant_id == self.client_id:
            errors["client"] = gettext("The client must be someone other than the consultant.")
        if self.payment_amount is not None and self.payment_amount <= 0:
            errors["payment_amount"] = gettext("The amount must be more than zero.")
        if self.payment_received_on is not None and (
            self.payment_received_on > timezone.localdate()
        ):
            errors["payment_received_on"] = gettext("A payment cannot be received in the future.")
        if self.milestones_open and self.awaiting_payment:
            errors["initial_payment_required"] = gettext(
                "The milestones are already open, so the initial payment can no longer be required."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def payment_recorded(self) -> bool:
        return self.payment_received_on is not None

    @property
    def awaiting_payment(self) -> bool:
        return self.initial_payment_required and not self.payment_recorded

    @property
    def milestones_open(self) -> bool:
        return self.milestones_opened_at is not None

    @property
    def stage(self) -> str:
        if self.milestones_open:
            return gettext("Milestones open")
        if self.awaiting_payment:
            return gettext("Waiting for the initial payment")
        return gettext("Waiting to be opened")

    def is_managed_by(self, user) -> bool:
        return user.is_staff or user.pk == self.consultant_id

    def role_of(self, user) -> str:
        if user.pk == self.consultant_id:
            return "consultant"
        if user.pk == self.client_id:
            return "client"
        return "platform admin" if user.is_staff else ""


class ProjectMilestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    due_date = models.DateField(_("due date"))
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example “Data cleaning”.")
    )
    description = models.TextField(
        _("description"),
        max_length=1000,
        help_text=_(
            "A sentence or two, for example “Clean the data provided by the client, and make "
            "it ready for analysis.”"
        ),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    # On a project whose client accepts milestones: a completed (delivered) milestone is
    # accepted by the client, or sent back with the changes they ask for.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    changes_requested_at = models.DateTimeField(_("changes asked for at"), null=True, blank=True)
    changes_requested = models.TextField(_("changes asked for"), max_length=4000, blank=True)
    # What the client pays for the milestone (optional), in the project's currency; due once
    # the milestone is done, paid once a platform admin records the payment.
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: what the client pays once this milestone is done."),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )
    payment_recorded_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    # Counts the changes made to the milestone; each change's email is keyed on it, so a
    # retried request cannot send one change twice and two changes never share a key.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The due date each reminder was last sent for: a new due date re-arms the reminder, and
    # the hourly scan skips the rows already reminded without looking at the outbox.
    due_soon_reminded_for = models.DateField(null=True, blank=True)
    overdue_reminded_for = models.DateField(null=True, blank=True)
    # The client hears of changes once they settle: `announced` is the milestone as the client
    # was last told of it (None until its first email), `announce_after` the end of the
    # settling window that the latest change started, and `changed_by` who made that change.
    announced = models.JSONField(null=True, blank=True, editable=False)
    announce_after = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    # Who changed what and when, shown on the milestone's edit page; the reminders' own
    # bookkeeping is left out.
    history = HistoricalRecords(
        excluded_fields=[
            "due_soon_reminded_for",
            "overdue_reminded_for",
            "announced",
            "announce_after",
            "changed_by",
        ]
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(completed_at__isnull=False),
                name="collaboration_milestone_accepted_once_delivered",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="collaboration_milestone_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(amount__isnull=False),
                name="collaboration_milestone_paid_has_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "due_date", "created_at"]),
            models.Index(
                fields=["due_date"],
                condition=Q(completed_at__isnull=True),
                name="collab_milestone_open_due",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_complete and self.due_date < today

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def counts_as_done(self, project: "Project") -> bool:
        """Complete, and accepted where the project asks the client to accept."""
        return self.is_complete and (self.is_accepted or not project.acceptance_required)

    def payment_status(self, project: "Project") -> str:
        """ "" without an amount, else "paid", "due" once the milestone is done, "not due"."""
        if self.amount is None:
            return ""
        if self.paid_on is not None:
            return "paid"
        return "due" if self.counts_as_done(project) else "not due"

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = gettext("The amount must be more than zero.")
        if self.paid_on is not None and self.paid_on > timezone.localdate():
            errors["paid_on"] = gettext("A payment cannot be received in the future.")
        if self.paid_on is not None and self.amount is None:
            errors["paid_on"] = gettext(
                "Give the milestone an amount before recording its payment."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def settling(self) -> bool:
        """A change the client has not been emailed about yet, which can still be undone."""
        return self.announce_after is not None

    def told(self) -> dict:
        """What the client is told of the milestone: the values its emails compare."""
        return {
            "title": self.title,
            "due_date": self.due_date.isoformat(),
            "description": self.description,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "completed_by": self.completed_by_id,
            "amount": str(self.amount) if self.amount is not None else None,
        }


class ChatMessage(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Message")
        SYSTEM = "system", _("System message")

    class Event(models.TextChoices):
        OPENED = "opened", _("Milestones opened")
        ADDED = "added", _("Milestone added")
        CHANGED = "changed", _("Milestone edited")
        DELETED = "deleted", _("Milestone deleted")
        COMPLETED = "completed", _("Milestone completed")
        UNCOMPLETED = "uncompleted", _("Milestone marked incomplete")
        UNDONE = "undone", _("Milestone changes undone")
        ACCEPTED = "accepted", _("Milestone accepted")
        CHANGES = "changes", _("Changes requested")
        DELIVERABLE = "deliverable", _("Deliverable added")
        PAID = "paid", _("Milestone paid")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="messages", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.PERSON)
    # For a system message, the person whose action it reports.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    event = models.CharField(_("event"), max_length=16, choices=Event, blank=True)
    # A person's message as they wrote it; for a system message, its line in English.
    body = models.TextField(_("message"), max_length=4000)
    # For a system message, what its line tells (see collaboration.chat_lines), so that each
    # reader sees it in their own language; None for the lines written before it was kept.
    details = models.JSONField(_("details"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["pk"]
        indexes = [models.Index(fields=["project", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="system") | Q(event=""),
                name="collaboration_chat_only_system_messages_have_events",
            ),
        ]

    def __str__(self):
        return self.body[:60]

    @property
    def is_system(self) -> bool:
        return self.kind == self.Kind.SYSTEM

    @property
    def text(self) -> str:
        """What the chat shows: a person's message, or a system message's line in the
        active language."""
        if self.is_system and self.details is not None:
            return chat_line(self.details)
        return self.body


class Deliverable(models.Model):
    """What the consultant hands over for a milestone: a file or a link, seen by the client.

    A file is stored privately and downloaded only through the project's access-checked view.
    """

    milestone = models.ForeignKey(
        ProjectMilestone,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("milestone"),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example “Cleaned data set”.")
    )
    file = UploadedFileField(
        _("file"),
        upload_to=UploadTo("deliverables"),
        max_length=300,
        blank=True,
        validators=[UploadValidator(extensions=(*ANY_DOCUMENT, "zip"))],
    )
    # The name the file had on the consultant's computer, given back on download.
    filename = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="collaboration_deliverable_file_or_link",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(gettext("Give either a file or a link."))

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class ProjectReader(models.Model):
    """How far a member of a project has read its chat, and the chat email waiting for them.

    A message that its reader has not seen when the conversation goes quiet is emailed to
    them, with the others that came with it, in one email (collaboration.services).
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="readers", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_readings",
        verbose_name=_("person"),
    )
    # The newest message of the chat the person has had on screen, and the newest one an
    # email told them of: neither is emailed again.
    last_read_id = models.PositiveBigIntegerField(_("last message read"), default=0)
    last_emailed_id = models.PositiveBigIntegerField(_("last message emailed"), default=0)
    # When the waiting messages are emailed unless read first; the first of them came at
    # `email_pending_since`, which caps how long a busy conversation holds the email back.
    email_due_at = models.DateTimeField(_("email due at"), null=True, blank=True, db_index=True)
    email_pending_since = models.DateTimeField(_("email pending since"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat reader")
        verbose_name_plural = _("chat readers")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="collaboration_reader_once"),
        ]

    def __str__(self):
        return f"{self.user} on {self.project}"
