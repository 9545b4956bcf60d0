from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import views as account_views
from common.admin import AutocompleteJsonView
from config import views

admin.site.site_header = _("Cairn administration")
admin.site.site_title = _("Cairn admin")
admin.site.index_title = _("Platform administration")
# The admin site signs people in through Cairn's own sign-in, with its throttling and two
# factors, instead of a form of its own.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.autocomplete_view = lambda request: AutocompleteJsonView.as_view(admin_site=admin.site)(
    request
)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Browsers ask for this on every page that names no icon, the admin site's among them.
    # Lazy: the static files manifest may not exist yet when the URLs are first imported.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=lazy(static, str)("img/cairn.svg"))),
    ),
    path("accounts/", include("accounts.urls")),
    # Ahead of allauth's own, under its name: the reset answers in constant time.
    path(
        "accounts/password/reset/",
        login_not_required(account_views.password_reset),
        name="account_reset_password",
    ),
    path("accounts/", include("allauth.urls")),
    path("plans/", include("bip.urls")),
    path("plans/", include("programmes.urls")),
    path("plans/", include("milestones.urls")),
    path("plans/", include("surveys.urls")),
    path("", include("progress.urls")),
    path("projects/", include("collaboration.urls")),
    path("notifications/", include("notifications.urls")),
    path("calendar/", include("milestones.calendar.urls")),
    path("jobs/", include("jobs.urls")),
    path("admin/", admin.site.urls),
]
