from django.urls import path

from collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("new/", views.project_new, name="project_new"),
    path("people/", views.people_search, name="people_search"),
    path("<id:pk>/", views.project_detail, name="project"),
    path("<id:pk>/edit/", views.project_edit, name="project_edit"),
    path("<id:pk>/payment/", views.payment_record, name="payment"),
    path("<id:pk>/open-milestones/", views.milestones_open, name="milestones_open"),
    path("<id:pk>/chat/", views.chat_post, name="chat"),
    path("<id:pk>/updates/", views.project_updates, name="project_updates"),
    path("<id:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/edit/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/undo/",
        views.milestone_undo,
        name="milestone_undo",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/payment/",
        views.milestone_payment,
        name="milestone_payment",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/accept/",
        views.milestone_accept,
        name="milestone_accept",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/changes/",
        views.milestone_changes,
        name="milestone_changes",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/deliverables/add/",
        views.deliverable_add,
        name="deliverable_add",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/deliverables/<id:deliverable_pk>/remove/",
        views.deliverable_remove,
        name="deliverable_remove",
    ),
    path(
        "<id:project_pk>/deliverables/<id:pk>/download/",
        views.DeliverableDownloadView.as_view(),
        name="deliverable_download",
    ),
    path(
        "<id:pk>/milestones/<id:milestone_pk>/completion/",
        views.milestone_completion,
        name="milestone_completion",
    ),
]
