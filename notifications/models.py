from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import kind_label
from notifications.markers import RECIPIENT_EMAIL, RECIPIENT_NAME, fill
from notifications.recipients import Contact, Recipient


class Notification(models.Model):
    """One email to one person: the outbox row that the send task works from.

    The person is a user (`recipient`) or, for someone with no account, an address with the
    name and time zone the caller gave (`to_name`, `to_time_zone`; see
    notifications.recipients.Contact).

    The subject and bodies may hold markers (`[[cairn:name]]`) for what is filled in only
    when the email is sent: secret links, the unsubscribe link and, for an email rendered
    once for many people, the recipient's name and address (see notifications.markers).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (turned off by the recipient)")

    # Empty for someone with no account; an account's emails go when the account does.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Kept apart from the user so the row says where the email went even if the address
    # changes later.
    to_email = models.EmailField()
    # Only for someone with no account: an account's own name and time zone apply to it.
    to_name = models.CharField(_("name"), max_length=200, blank=True)
    to_time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    kind = models.CharField(max_length=64, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject_object = GenericForeignKey("subject_type", "subject_id")
    # The log this email belongs to ("plan:12"); the app that owns it decides who sees it.
    scope = models.CharField(max_length=64, blank=True)
    # Room for a caller's key of up to 255 characters, a colon and an address of up to 254:
    # a fanned-out row's key ends with its recipient's address when they have no account.
    idempotency_key = models.CharField(max_length=512, unique=True)

    subject = models.CharField(_("email subject"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename", "mimetype", "content", "alternative"}]: small text files such as an .ics
    # invite; notifications.services caps their total size.
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    message_id = models.CharField(max_length=255, unique=True)

    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["scope", "-created_at"], name="notification_scope_log_idx"),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def addressee(self) -> Recipient:
        """Who this email is for, as notifications.emails.render_email takes them."""
        if self.recipient_id is not None:
            return self.recipient
        return Contact(email=self.to_email, display_name=self.to_name, time_zone=self.to_time_zone)

    @property
    def recipient_name(self) -> str:
        """The name the email greets and the log shows: the account's (as it is now), or the
        one given for someone with no account, or else the address."""
        if self.recipient_id is not None:
            return str(self.recipient)
        return self.to_name or self.to_email

    @property
    def readable_subject(self) -> str:
        """The subject with the recipient's name and address filled in, for logs."""
        values = {RECIPIENT_NAME: self.recipient_name, RECIPIENT_EMAIL: self.to_email}
        return fill(self.subject, values.get)

    @property
    def attachment_names(self) -> list[str]:
        return [attachment["filename"] for attachment in self.attachments]


class NotificationOptOut(models.Model):
    """A kind of email that someone turned off; every other kind reaches them.

    Someone is a user, or an address with no account behind it (lower-cased), never both.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_opt_outs",
    )
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_opt_out_unique"),
            models.UniqueConstraint(
                fields=["email", "kind"],
                condition=~models.Q(email=""),
                name="notification_opt_out_address_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, email="")
                    | (models.Q(user__isnull=True) & ~models.Q(email=""))
                ),
                name="notification_opt_out_user_or_address",
            ),
            # Kept lower-case, so the unique constraint above holds whatever the case.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="notification_opt_out_address_lower"
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email} turned off {self.kind}"
