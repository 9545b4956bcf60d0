from django.urls import path

from milestones import views
from milestones.attendance import views as attendance_views
from milestones.calendar import views as calendar_views
from milestones.uploads import views as upload_views

app_name = "milestones"

milestone = "<id:plan_pk>/milestones/<id:pk>/"

urlpatterns = [
    path("<id:plan_pk>/", views.plan_detail, name="plan"),
    path("<id:plan_pk>/milestones/new/", views.milestone_create, name="create"),
    path("<id:plan_pk>/shift/", views.plan_shift, name="shift"),
    path(milestone, views.milestone_detail, name="detail"),
    path(milestone + "edit/", views.milestone_edit, name="edit"),
    path(milestone + "meeting/", views.milestone_meeting, name="meeting"),
    path(milestone + "move/", views.milestone_move, name="move"),
    path(milestone + "delete/", views.milestone_delete, name="delete"),
    path(milestone + "history/", views.milestone_history, name="history"),
    path(milestone + "trainers/", views.milestone_trainers, name="milestone_trainers"),
    path(
        milestone + "trainers/<id:trainer_pk>/remove/",
        views.milestone_trainer_remove,
        name="milestone_trainer_remove",
    ),
    path(milestone + "activities/<str:phase>/", views.activity_list, name="activities"),
    path(milestone + "activities/<str:phase>/new/", views.activity_form, name="activity_create"),
    path(milestone + "activity/<id:activity_pk>/edit/", views.activity_form, name="activity_edit"),
    path(
        milestone + "activity/<id:activity_pk>/move/",
        views.activity_move,
        name="activity_move",
    ),
    path(
        milestone + "activity/<id:activity_pk>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("<id:plan_pk>/activities/<id:pk>/open/", views.activity_open, name="activity_open"),
    path(
        "<id:plan_pk>/activities/<id:pk>/download/",
        views.ActivityDownloadView.as_view(),
        name="activity_download",
    ),
    path("<id:plan_pk>/trainers/", views.trainer_list, name="trainers"),
    path("<id:plan_pk>/trainers/new/", views.trainer_form, name="trainer_create"),
    path("<id:plan_pk>/trainers/<id:pk>/edit/", views.trainer_form, name="trainer_edit"),
    path("<id:plan_pk>/trainers/<id:pk>/delete/", views.trainer_delete, name="trainer_delete"),
    path(milestone + "calendar.ics", calendar_views.add_to_calendar, name="add_to_calendar"),
    path(milestone + "attendance/", attendance_views.attendance_register, name="attendance"),
    path(
        milestone + "attendance/mark/",
        attendance_views.attendance_self_mark,
        name="attendance_self_mark",
    ),
    path(milestone + "uploads/", upload_views.uploads_review, name="uploads_review"),
    path(milestone + "uploads/new/", upload_views.upload_create, name="upload_create"),
    path(
        milestone + "uploads/<id:upload_pk>/delete/",
        upload_views.upload_delete,
        name="upload_delete",
    ),
    path(
        milestone + "uploads/<id:upload_pk>/accept/",
        upload_views.upload_accept,
        name="upload_accept",
    ),
    path(
        milestone + "uploads/<id:upload_pk>/request-changes/",
        upload_views.upload_request_changes,
        name="upload_request_changes",
    ),
    path(milestone + "post-action/", upload_views.post_action_save, name="post_action_save"),
    path(
        milestone + "post-actions/<id:post_action_pk>/validate/",
        upload_views.post_action_validate,
        name="post_action_validate",
    ),
    path(
        "<id:plan_pk>/uploads/<id:pk>/download/",
        upload_views.UploadDownloadView.as_view(),
        name="upload_download",
    ),
    path(
        "<id:plan_pk>/post-actions/<id:pk>/download/",
        upload_views.PostActionDownloadView.as_view(),
        name="post_action_download",
    ),
]
