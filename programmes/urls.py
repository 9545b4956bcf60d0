from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("templates/", views.template_list, name="list"),
    path("templates/start/", views.plan_start, name="start"),
    path("templates/<id:pk>/edit/", views.template_edit, name="edit"),
    path("templates/<id:pk>/delete/", views.template_delete, name="delete"),
    path("templates/<id:pk>/cohorts/", views.cohorts, name="cohorts"),
    path("<id:plan_pk>/save-as-template/", views.template_save, name="save"),
    path("<id:plan_pk>/copy/", views.plan_copy, name="copy"),
]
