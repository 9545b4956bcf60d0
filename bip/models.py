import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import classproperty
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.timezones import time_zone_choices


class Plan(models.Model):
    """A Business Improvement Plan run for one cohort."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="UTC",
        help_text=_("Session times are entered in this time zone."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="PlanMembership",
        related_name="plans",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # A finished plan is archived: it leaves the menus and the periodic emails, and its
    # schedule is frozen, while everything recorded in it stays readable.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("archived by"),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="bip_plan_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @classproperty
    def ARCHIVED_MESSAGE(cls) -> str:
        # Read like a constant, on the class or a plan; a plain str in the language active
        # where it is read, so that it joins and compares like any text.
        return gettext("This plan is archived, so it can no longer be changed. Restore it first.")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": gettext("The plan must end on or after its start date.")}
            )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def ensure_open(self) -> None:
        """Refuse a change to an archived plan's schedule or content."""
        if self.is_archived:
            raise ValidationError(self.ARCHIVED_MESSAGE, code="archived")

    def local_today(self) -> datetime.date:
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()

    @property
    def has_ended(self) -> bool:
        return self.end_date < self.local_today()


class PlanMembership(models.Model):
    class Role(models.TextChoices):
        PROJECT_ADMIN = "project_admin", _("Project admin")
        PARTICIPANT = "participant", _("Participant")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("plan")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    # Sessions held before someone joined do not count against them.
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan membership")
        verbose_name_plural = _("plan memberships")
        ordering = ["plan", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="bip_one_membership_per_plan"),
        ]

    def __str__(self):
        return f"{self.user} in {self.plan} ({self.get_role_display()})"

    @property
    def is_participant(self) -> bool:
        return self.role == self.Role.PARTICIPANT
