from django.urls import path

from bip import views

app_name = "bip"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<id:plan_pk>/edit/", views.plan_edit, name="edit"),
    path("<id:plan_pk>/archive/", views.plan_archive, name="archive"),
    path("<id:plan_pk>/restore/", views.plan_restore, name="restore"),
    path("<id:plan_pk>/members/", views.plan_members_view, name="members"),
    path("<id:plan_pk>/members/bulk/", views.plan_members_bulk, name="members_bulk"),
    path("<id:plan_pk>/members/<id:pk>/remove/", views.membership_remove, name="member_remove"),
    path("<id:plan_pk>/emails/", views.plan_emails, name="emails"),
    path("<id:plan_pk>/emails/resend/", views.plan_email_resend, name="email_resend"),
]
