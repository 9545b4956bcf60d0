import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import email_address_verify
from notifications.models import Notification
from tests.factories import PlanMembershipFactory, UserFactory, totp_code
from tests.pages import visible_text
from tests.passwords import choose_password, password_link

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_signing_in_with_email_is_case_insensitive(client, password):
    person = UserFactory(email="ada@example.com")
    response = sign_in(client, "  ADA@Example.com ", password, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == person
    assert f"Welcome, {person}" in response.text


def test_a_wrong_password_says_so_and_signs_nobody_in(client, user):
    response = sign_in(client, user.email, "nope")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert not response.context["user"].is_authenticated


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client, user):
    known = visible_text(sign_in(client, user.email, "nope"))
    unknown = visible_text(sign_in(client, "nobody@example.com", "nope"))
    assert unknown.replace("nobody@example.com", user.email) == known


def test_the_home_page_needs_a_signed_in_person(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signing_out_asks_first_and_ends_the_session_on_post(user_client):
    page = user_client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert user_client.get(reverse("home")).status_code == 200
    response = user_client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert user_client.get(reverse("home")).status_code == 302


def test_nobody_signs_up_on_their_own(client):
    response = client.get(reverse("account_signup"))
    assert "Cairn is by invitation" in visible_text(response)
    client.post(reverse("account_signup"), {"email": "me@example.com", "password1": "x-Passw0rd!"})
    assert not User.objects.filter(email="me@example.com").exists()


def test_emails_are_unique_whatever_their_case(user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email=user.email.upper())


def test_password_change_keeps_the_person_signed_in(user_client, user, password):
    response = user_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a-brand-new-passphrase",
            "password2": "a-brand-new-passphrase",
        },
        follow=True,
    )
    assert "Password successfully changed." in response.text
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
    assert user_client.get(reverse("home")).status_code == 200


def test_password_change_with_a_wrong_old_password_changes_nothing(user_client, user, password):
    response = user_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "x-new-pass-1", "password2": "x-new-pass-1"},
    )
    assert response.status_code == 200
    assert "Please type your current password." in response.text
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_reset_by_email_end_to_end(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": user.email}, follow=True
        )
    assert "Check your email" in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert user.notifications.get().kind == "password_reset"

    done = choose_password(client, message.body, "reset-passphrase-42")
    assert "Your password is saved" in done.text
    user.refresh_from_db()
    assert user.check_password("reset-passphrase-42")
    # The link works once, and says so.
    again = client.get(password_link(message.body), follow=True)
    assert "This link no longer works" in again.text
    assert "has been used or has expired, so nothing was changed" in again.text


def test_an_expired_link_is_refused_with_a_clear_page(
    client, user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        page = client.get(password_link(mail.outbox[0].body), follow=True)
    assert "This link no longer works" in page.text


def test_password_reset_for_an_unknown_address_reveals_nothing(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
        unknown = client.post(
            reverse("account_reset_password"), {"email": "nobody@example.com"}, follow=True
        )
    assert visible_text(unknown) == visible_text(known)
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert not Notification.objects.filter(to_email="nobody@example.com").exists()


def test_a_new_email_address_takes_over_once_its_owner_confirms_it(
    user_client, user, django_capture_on_commit_callbacks
):
    email_address_verify(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            reverse("account_email"), {"action_add": "", "email": "ada.new@example.com"}
        )
    assert response.status_code == 302
    confirmation = Notification.objects.get(to_email="ada.new@example.com")
    assert confirmation.kind == "account_notice"
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    user.refresh_from_db()
    assert user.email != "ada.new@example.com"

    page = user_client.get(link.group(1))
    user_client.post(link.group(1))
    user.refresh_from_db()
    assert page.status_code == 200
    assert user.email == "ada.new@example.com"


def test_a_password_reset_is_answered_after_the_same_time_for_any_address(
    client, user, monkeypatch
):
    monkeypatch.setattr("accounts.views.PASSWORD_RESET_SECONDS", 30)
    waits = []
    monkeypatch.setattr("accounts.views.time.sleep", waits.append)
    for email in [user.email, "nobody@example.com"]:
        client.post(reverse("account_reset_password"), {"email": email})
    # Each answer waits out what is left of the same 30 seconds.
    assert len(waits) == 2
    assert all(29 < wait <= 30 for wait in waits)
    client.get(reverse("account_reset_password"))
    assert len(waits) == 2


# Throttling


def test_failed_sign_ins_lock_the_address_from_that_network_address_only(client, user, password):
    for _ in range(5):
        sign_in(client, user.email, "wrong", REMOTE_ADDR="198.51.100.7")
    # Even the right password is refused from there for a while.
    locked = sign_in(client, user.email, password, REMOTE_ADDR="198.51.100.7")
    assert "Too many failed login attempts" in locked.text
    assert not locked.context["user"].is_authenticated
    # Its owner, elsewhere, still signs in.
    elsewhere = sign_in(client, user.email, password, REMOTE_ADDR="203.0.113.20")
    assert elsewhere.status_code == 302
    # And the lock cools off.
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert sign_in(client, user.email, password, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_one_network_address_cannot_try_many_accounts_quickly(client, password):
    people = UserFactory.create_batch(21)
    for person in people[:20]:
        sign_in(client, person.email, "wrong", REMOTE_ADDR="198.51.100.9")
    refused = sign_in(client, people[20].email, password, REMOTE_ADDR="198.51.100.9")
    assert "Too many failed login attempts" in refused.text
    assert not refused.context["user"].is_authenticated


def test_password_reset_requests_for_one_address_send_three_emails_at_most(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("account_reset_password"), {"email": user.email}).status_code
            for _ in range(25)
        ]
    assert len(mail.outbox) == 3
    assert 429 in answers


def test_behind_a_proxy_the_client_address_is_read_from_x_forwarded_for(
    client, user, password, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        sign_in(
            client, user.email, "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
        )
    # Another client behind the same proxy is not locked out.
    response = sign_in(
        client, user.email, password, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert response.status_code == 302


# Two-factor authentication


def test_a_platform_admin_without_a_second_factor_is_sent_to_set_one_up(client):
    admin = UserFactory(is_staff=True, second_factor=False)
    client.force_login(admin)
    for url in [reverse("home"), reverse("bip:list"), reverse("admin:index")]:
        response = client.get(url)
        assert response["Location"] == reverse("mfa_activate_totp"), url
    # Setting it up starts by confirming their password.
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert "As a platform admin you need two-factor authentication" in visible_text(setup)


def test_a_platform_admin_signs_in_with_password_and_code(client, password):
    admin = UserFactory(is_staff=True)
    response = sign_in(client, admin.email, password, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert not response.context["user"].is_authenticated
    code = totp_code()
    signed_in = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert signed_in.redirect_chain[-1][0] == reverse("home")
    assert signed_in.context["user"] == admin


def test_anyone_may_turn_on_two_factor_authentication(user_client, user, password):
    page = user_client.get(reverse("mfa_index"))
    assert page.status_code == 200
    user_client.post(reverse("account_reauthenticate"), {"password": password})
    setup = user_client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "Authenticator code" in visible_text(setup)


def test_the_admin_site_signs_people_in_through_cairns_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


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
    response = user_client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "This page is for platform admins" in visible_text(response)
