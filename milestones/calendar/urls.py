from django.urls import path

from milestones.calendar import views

app_name = "calendar"

urlpatterns = [
    path("<slug:token>.ics", views.feed, name="feed"),
    path("address/create/", views.feed_create, name="feed_create"),
    path("address/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("address/revoke/", views.feed_revoke, name="feed_revoke"),
]
