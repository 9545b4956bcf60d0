from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("plans/<id:plan_pk>/progress/", views.dashboard, name="dashboard"),
    path("plans/<id:plan_pk>/progress/export/", views.dashboard_export, name="export"),
    path("my/plans/<id:plan_pk>/", views.my_plan, name="my_plan"),
    path("my/plans/<id:plan_pk>/milestones/<id:pk>/", views.my_milestone, name="my_milestone"),
]
