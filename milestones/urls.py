from django.urls import path

from milestones import views

app_name = "milestones"

milestone = "<int:plan_pk>/milestones/<int:pk>/"

urlpatterns = [
    path("<int:plan_pk>/", views.plan_detail, name="plan"),
    path("<int:plan_pk>/milestones/new/", views.milestone_create, name="create"),
    path(milestone, views.milestone_detail, name="detail"),
    path(milestone + "edit/", views.milestone_edit, name="edit"),
    path(milestone + "meeting/", views.milestone_meeting, name="meeting"),
    path(milestone + "move/", views.milestone_move, name="move"),
    path(milestone + "delete/", views.milestone_delete, name="delete"),
    path(milestone + "trainers/", views.milestone_trainers, name="milestone_trainers"),
    path(
        milestone + "trainers/<int:trainer_pk>/remove/",
        views.milestone_trainer_remove,
        name="milestone_trainer_remove",
    ),
    path(milestone + "activities/<str:phase>/", views.activity_list, name="activities"),
    path(milestone + "activities/<str:phase>/new/", views.activity_form, name="activity_create"),
    path(milestone + "activity/<int:activity_pk>/edit/", views.activity_form, name="activity_edit"),
    path(
        milestone + "activity/<int:activity_pk>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
    path(
        "<int:plan_pk>/activities/<int:pk>/download/",
        views.ActivityDownloadView.as_view(),
        name="activity_download",
    ),
    path("<int:plan_pk>/trainers/", views.trainer_list, name="trainers"),
    path("<int:plan_pk>/trainers/new/", views.trainer_form, name="trainer_create"),
    path("<int:plan_pk>/trainers/<int:pk>/edit/", views.trainer_form, name="trainer_edit"),
    path("<int:plan_pk>/trainers/<int:pk>/delete/", views.trainer_delete, name="trainer_delete"),
]
