from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.timezones import time_zone_choices


class PlanTemplate(models.Model):
    """A programme saved from a plan to run again: its milestones in order with all their
    settings, session times relative to the plan's start, activities and surveys (see
    programmes.selectors.Programme for `content`). It owns copies of the activity files, so
    deleting the plan it came from, or a plan started from it, leaves it whole."""

    name = models.CharField(_("template name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    content = models.JSONField(_("content"), editable=False)
    milestone_count = models.PositiveIntegerField(_("milestone count"), default=0, editable=False)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="UTC",
        help_text=_("The time zone of the plan it was saved from: the one a new plan suggests."),
    )
    with_trainers = models.BooleanField(_("with trainers"), default=False, editable=False)
    source_plan = models.ForeignKey(
        "bip.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source plan"),
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
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class PlanOrigin(models.Model):
    """Where a plan's programme came from: the template it was started from, or the plan it
    was copied from. Plans of one template are cohorts of one programme and are compared
    side by side; a copy of such a plan runs the same programme, so it keeps the template."""

    plan = models.OneToOneField(
        "bip.Plan", on_delete=models.CASCADE, related_name="origin", verbose_name=_("plan")
    )
    template = models.ForeignKey(
        PlanTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="origins",
        verbose_name=_("template"),
    )
    copied_from = models.ForeignKey(
        "bip.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("plan origin")
        verbose_name_plural = _("plan origins")

    def __str__(self):
        return f"Origin of {self.plan}"
