from django.contrib import admin

from programmes.models import PlanTemplate
from programmes.services import template_delete


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    """Templates are saved from a plan's page; here support staff can look them up, rename
    them or delete them (which removes the template's own copies of the activity files)."""

    list_display = ["name", "milestone_count", "with_trainers", "created_by", "created_at"]
    search_fields = ["name", "description"]
    list_select_related = ["created_by"]
    fields = ["name", "description", "time_zone", "source_plan", "created_by"]
    readonly_fields = ["source_plan", "created_by"]
    actions = None

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        template_delete(template=obj)
