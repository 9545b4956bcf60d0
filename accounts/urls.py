from django.urls import path

from accounts import views

app_name = "accounts"

# Sign-in, sign-out, passwords, email addresses and two-factor authentication are allauth's
# (config.urls); these are Cairn's own pages about the account.
urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
]
