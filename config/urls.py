from django.contrib import admin
from django.urls import include, path

from accounts.urls import auth_urlpatterns
from config import views

admin.site.site_header = "Cairn administration"
admin.site.site_title = "Cairn admin"
admin.site.index_title = "Platform administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("plans/", include("bip.urls")),
    path("plans/", include("milestones.urls")),
    path("plans/", include("surveys.urls")),
    path("", include("progress.urls")),
    path("projects/", include("collaboration.urls")),
    path("admin/", admin.site.urls),
]
