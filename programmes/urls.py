from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("templates/", views.template_list, name="list"),
    path("templates/start/", views.plan_start, name="start"),
    path("templates/<id:pk>/edit/", views.template_edit, name="edit"),
    path("templates/<id:pk>/delete/", views.template_delete, name="delete"),
    path("templates/<id:pk>/cohorts/", views.cohorts, name="cohorts"),
    path(
        "templates/<id:pk>/milestones/<id:key>/",
        views.template_milestone_edit,
        name="milestone_edit",
    ),
    path(
        "templates/<id:pk>/milestones/<id:key>/move/",
        views.template_milestone_move,
        name="milestone_move",
    ),
    path(
        "templates/<id:pk>/milestones/<id:key>/remove/",
        views.template_milestone_remove,
        name="milestone_remove",
    ),
    path("<id:plan_pk>/save-as-template/", views.template_save, name="save"),
    path("<id:plan_pk>/copy/", views.plan_copy, name="copy"),
]
