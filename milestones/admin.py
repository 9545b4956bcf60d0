"""Milestones and everything participants do on them are read-only here: their changes go
through milestones.services (and the attendance and uploads services), which hold the rules
(one local day for a single-day session, trainers from the milestone's own plan, one
attendance row per day...), remove stored files after a delete and tell people by email.
Support staff change them on the plan's pages, where those rules run."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, ReadOnlyInline
from milestones.models import Activity, Attendance, Milestone, PostAction, ProgressUpload, Trainer


class ActivityInline(ReadOnlyInline):
    model = Activity
    fields = ["phase", "title", "upload_type", "file", "url"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "order", "schedule", "starts_at", "ends_at"]
    list_filter = ["kind", "schedule", "upload_progress", "attendance_marking", "plan"]
    search_fields = ["name", "description", "plan__name"]
    list_select_related = ["plan"]
    inlines = [ActivityInline]


@admin.register(Trainer)
class TrainerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "plan", "user"]
    list_filter = ["plan"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["plan", "user"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "milestone", "phase", "upload_type", "created_at"]
    list_filter = ["phase", "upload_type"]
    search_fields = ["title", "milestone__name"]
    list_select_related = ["milestone"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "milestone", "day", "status", "self_marked", "validated_at"]
    list_filter = ["status", "self_marked"]
    search_fields = ["participant__email", "milestone__name"]
    list_select_related = ["participant", "milestone"]


@admin.register(ProgressUpload)
class ProgressUploadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "milestone", "status", "created_at", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["participant__email", "milestone__name", "note"]
    list_select_related = ["participant", "milestone"]


@admin.register(PostAction)
class PostActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "milestone", "submitted_at", "validated_at"]
    search_fields = ["participant__email", "milestone__name", "text"]
    list_select_related = ["participant", "milestone"]
