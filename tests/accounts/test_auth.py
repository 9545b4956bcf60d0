import re
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import PlanMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_in_with_email_is_case_insensitive(client, password):
    person = UserFactory(email="ada@example.com")
    response = client.post(
        reverse("login"), {"username": "  ADA@Example.com ", "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == person
    assert f"Welcome, {person}" in response.text


def test_a_wrong_password_says_so_and_signs_nobody_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert not response.context["user"].is_authenticated


def test_the_home_page_needs_a_signed_in_person(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_is_a_post_and_ends_the_session(user_client):
    assert user_client.get(reverse("logout")).status_code == 405
    response = user_client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert user_client.get(reverse("home")).status_code == 302


def test_emails_are_unique_whatever_their_case(user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email=user.email.upper())


def test_password_change_keeps_the_person_signed_in(user_client, user, password):
    response = user_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
        follow=True,
    )
    assert "Your password is changed" in response.text
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
    assert user_client.get(reverse("home")).status_code == 200


def test_password_change_with_a_wrong_old_password_changes_nothing(user_client, user, password):
    response = user_client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "x-new-pass-1", "new_password2": "x-new-pass-1"},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.text
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_reset_by_email_end_to_end(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": user.email}, follow=True
        )
    assert "Check your email" in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert user.notifications.get().kind == "password_reset"

    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "reset-passphrase-42", "new_password2": "reset-passphrase-42"},
        follow=True,
    )
    assert "Your password is changed" in done.text
    user.refresh_from_db()
    assert user.check_password("reset-passphrase-42")
    # The link works once.
    assert "This link no longer works" in client.get("/" + path, follow=True).text


def test_password_reset_for_an_unknown_address_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True
        )
    assert "Check your email" in response.text
    assert mail.outbox == []


def test_people_edit_their_name_and_time_zone(user_client, user):
    response = user_client.post(
        reverse("accounts:profile"),
        {"display_name": "Ada L.", "time_zone": "Asia/Kolkata"},
        follow=True,
    )
    assert "Your details are saved." in response.text
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Ada L.", "Asia/Kolkata")


def test_an_unknown_time_zone_is_refused_next_to_the_field(user_client, user):
    response = user_client.post(
        reverse("accounts:profile"), {"display_name": "Ada", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert 'value="Ada"' in response.text
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_pages_are_shown_in_the_persons_own_time_zone(client):
    person = UserFactory(time_zone="Asia/Tokyo")
    client.force_login(person)
    response = client.get(reverse("home"))
    assert "your time zone (Asia/Tokyo)" in response.text
    assert response.context["TIME_ZONE"] == "Asia/Tokyo"
    # The zone is the request's alone, not left behind for the next one.
    assert timezone.get_current_timezone() != zoneinfo.ZoneInfo("Asia/Tokyo")


def test_home_lists_the_persons_plans_with_their_role(client, django_assert_max_num_queries):
    person = UserFactory()
    PlanMembershipFactory(user=person, plan__name="Lean Basics", role="project_admin")
    PlanMembershipFactory(user=person, plan__name="Coaching Track")
    PlanMembershipFactory(plan__name="Someone else's plan")
    client.force_login(person)

    response = client.get(reverse("home"))
    assert "Lean Basics" in response.text and "Project admin" in response.text
    assert "Coaching Track" in response.text and "Participant" in response.text
    assert "Someone else" not in response.text
    assert "Admin site" not in response.text


def test_home_queries_do_not_grow_with_the_number_of_plans(client, django_assert_num_queries):
    person = UserFactory()
    client.force_login(person)
    PlanMembershipFactory(user=person)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(5):
        PlanMembershipFactory(user=person)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_platform_admins_see_the_outbox_and_the_admin_site(client, platform_admin):
    client.force_login(platform_admin)
    response = client.get(reverse("home"))
    assert "Emails that failed" in response.text
    assert reverse("admin:index") in response.text
    assert client.get(reverse("admin:index")).status_code == 200


def test_non_staff_cannot_reach_the_admin_site(user_client):
    response = user_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
