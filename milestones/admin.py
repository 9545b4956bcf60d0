from django.contrib import admin

from milestones.models import Activity, Milestone, Trainer


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
