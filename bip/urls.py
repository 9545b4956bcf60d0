from django.urls import path

from bip import views

app_name = "bip"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:plan_pk>/edit/", views.plan_edit, name="edit"),
    path("<int:plan_pk>/members/", views.plan_members_view, name="members"),
    path("<int:plan_pk>/members/bulk/", views.plan_members_bulk, name="members_bulk"),
    path("<int:plan_pk>/members/<int:pk>/remove/", views.membership_remove, name="member_remove"),
    path("<int:plan_pk>/emails/", views.plan_emails, name="emails"),
    path("<int:plan_pk>/emails/resend/", views.plan_email_resend, name="email_resend"),
]
