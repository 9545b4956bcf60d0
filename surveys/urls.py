from django.urls import include, path

from surveys import views
from surveys.answering import views as answering_views
from surveys.results import views as results_views

app_name = "surveys"

question_patterns = [
    path("", views.question_edit, name="question_edit"),
    path("delete/", views.question_delete, name="question_delete"),
    path("up/", views.question_move, {"direction": "up"}, name="question_up"),
    path("down/", views.question_move, {"direction": "down"}, name="question_down"),
]

survey_patterns = [
    path("", views.survey_builder, name="builder"),
    path("activate/", views.survey_activate, name="activate"),
    path("deactivate/", views.survey_deactivate, name="deactivate"),
    path("duplicate/", views.survey_duplicate, name="duplicate"),
    path("delete/", views.survey_delete, name="delete"),
    path("questions/", views.question_add, name="question_add"),
    path("questions/<id:pk>/", include(question_patterns)),
]

urlpatterns = [
    path("<id:plan_pk>/surveys/", views.plan_surveys, name="plan"),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/surveys/",
        views.milestone_surveys,
        name="milestone",
    ),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/surveys/new/",
        views.survey_create,
        name="create",
    ),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/surveys/<id:survey_pk>/",
        include(survey_patterns),
    ),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/survey/",
        answering_views.answer,
        name="answer",
    ),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/surveys/<id:pk>/results/",
        results_views.results,
        name="results",
    ),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/surveys/<id:pk>/results.csv",
        results_views.results_csv,
        name="results_csv",
    ),
    path(
        "<id:plan_pk>/milestones/<id:milestone_pk>/surveys/<id:pk>/results/export/",
        results_views.results_export,
        name="results_export",
    ),
]
