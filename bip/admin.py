from django.contrib import admin

from bip import services
from bip.models import Plan, PlanMembership
from common.admin import ReadOnlyAdminMixin, ReadOnlyInline


class PlanMembershipInline(ReadOnlyInline):
    model = PlanMembership
    fields = ["user", "role", "joined_at"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """A plan's own details may be corrected here: the save goes through plan_save, which
    checks the same rules as the plan's settings page. Members are added on the plan's
    Members page, which invites and emails them, so they are only listed here."""

    list_display = ["name", "start_date", "end_date", "time_zone"]
    search_fields = ["name", "description"]
    date_hierarchy = "start_date"
    inlines = [PlanMembershipInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting a plan takes its milestones' files with it; that is not a support task.
        return False

    def save_model(self, request, obj, form, change):
        services.plan_save(plan=obj)


@admin.register(PlanMembership)
class PlanMembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Joining a plan sends an invitation or a welcome email, and leaving it is decided on
    the plan's Members page: support staff look here, the plan's admins act there."""

    list_display = ["user", "plan", "role", "joined_at"]
    list_filter = ["role", "plan"]
    search_fields = ["user__email", "user__display_name", "plan__name"]
    list_select_related = ["user", "plan"]
