from django.contrib import admin

from bip.models import Plan, PlanMembership


class PlanMembershipInline(admin.TabularInline):
    model = PlanMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "time_zone"]
    search_fields = ["name", "description"]
    date_hierarchy = "start_date"
    inlines = [PlanMembershipInline]


@admin.register(PlanMembership)
class PlanMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "role", "joined_at"]
    list_filter = ["role", "plan"]
    search_fields = ["user__email", "user__display_name", "plan__name"]
    list_select_related = ["user", "plan"]
    autocomplete_fields = ["user", "plan"]
