import django.contrib.admin.views.autocomplete
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


class AutocompleteJsonView(django.contrib.admin.views.autocomplete.AutocompleteJsonView):
    """The admin's autocomplete, with NUL bytes (which no database text may hold) dropped
    from what was typed instead of failing the search."""

    def process_request(self, request):
        term, *rest = super().process_request(request)
        return (term.replace("\x00", ""), *rest)
