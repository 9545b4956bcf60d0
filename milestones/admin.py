from django.contrib import admin

from milestones.models import Activity, Attendance, Milestone, PostAction, ProgressUpload, Trainer


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["phase", "title", "upload_type", "file", "url"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "order", "schedule", "starts_at", "ends_at"]
    list_filter = ["kind", "schedule", "upload_progress", "attendance_marking", "plan"]
    search_fields = ["name", "description", "plan__name"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan"]
    filter_horizontal = ["trainers"]
    inlines = [ActivityInline]


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "plan", "user"]
    list_filter = ["plan"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["plan", "user"]
    autocomplete_fields = ["plan", "user"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "milestone", "phase", "upload_type", "created_at"]
    list_filter = ["phase", "upload_type"]
    search_fields = ["title", "milestone__name"]
    list_select_related = ["milestone"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "milestone", "day", "status", "self_marked", "validated_at"]
    list_filter = ["status", "self_marked"]
    search_fields = ["participant__email", "milestone__name"]
    list_select_related = ["participant", "milestone"]


@admin.register(ProgressUpload)
class ProgressUploadAdmin(admin.ModelAdmin):
    list_display = ["participant", "milestone", "status", "created_at", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["participant__email", "milestone__name", "note"]
    list_select_related = ["participant", "milestone"]


@admin.register(PostAction)
class PostActionAdmin(admin.ModelAdmin):
    list_display = ["participant", "milestone", "submitted_at", "validated_at"]
    search_fields = ["participant__email", "milestone__name", "text"]
    list_select_related = ["participant", "milestone"]
