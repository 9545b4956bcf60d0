from django.conf import settings
from django.db import models
from django.utils import timezone

from common.timezones import time_zone_choices


class PlanTemplate(models.Model):
    """A programme saved from a plan to run again: its milestones in order with all their
    settings, session times relative to the plan's start, activities and surveys (see
    programmes.selectors.Programme for `content`). It owns copies of the activity files, so
    deleting the plan it came from, or a plan started from it, leaves it whole."""

    name = models.CharField("template name", max_length=200)
    description = models.TextField(blank=True)
    content = models.JSONField(editable=False)
    milestone_count = models.PositiveIntegerField(default=0, editable=False)
    time_zone = models.CharField(
        max_length=64,
        choices=time_zone_choices,
        default="UTC",
        help_text="The time zone of the plan it was saved from: the one a new plan suggests.",
    )
    with_trainers = models.BooleanField(default=False, editable=False)
    source_plan = models.ForeignKey(
        "bip.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class PlanOrigin(models.Model):
    """Where a plan's programme came from: the template it was started from, or the plan it
    was copied from. Plans of one template are cohorts of one programme and are compared
    side by side; a copy of such a plan runs the same programme, so it keeps the template."""

    plan = models.OneToOneField("bip.Plan", on_delete=models.CASCADE, related_name="origin")
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="origins"
    )
    copied_from = models.ForeignKey(
        "bip.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"Origin of {self.plan}"
