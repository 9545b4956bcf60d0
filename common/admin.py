from django.contrib import admin


class ReadOnlyAdminMixin:
    """For domain objects whose every change must go through the app's own pages and
    services (which check the rules, tidy up files and tell people by email): the admin site
    lets support staff look, search and filter, but not add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = True
