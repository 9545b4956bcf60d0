"""Each person reads Cairn in their own language: the one chosen on their profile once signed
in, their browser's before that (or when they leave the choice empty)."""

import pytest
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from tests.factories import UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    html = response.content.decode()
    start = html.index("<html lang=") + len('<html lang="')
    return html[start : html.index('"', start)]


def test_a_person_who_chose_german_gets_german_pages_whatever_their_browser_says(client):
    client.force_login(UserFactory(language="de"))
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert page_language(response) == "de"
    assert response["Content-Language"] == "de"


def test_a_person_who_chose_nothing_gets_their_browsers_language(client):
    client.force_login(UserFactory(language=""))
    assert page_language(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de")) == "de"
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page_language(english) == "en-gb"
    assert english["Content-Language"] == "en-gb"


def test_before_signing_in_the_browsers_language_counts(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.status_code == 200
    assert page_language(response) == "de"
    assert response["Content-Language"] == "de"
    # A language Cairn does not have falls back to English.
    french = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert page_language(french) == "en-gb"


def test_the_profile_offers_each_language_by_its_own_name_or_the_browsers(user_client):
    page = user_client.get(reverse("accounts:profile"))
    options = page.context["form"].fields["language"].choices
    assert [label for _code, label in options] == ["Same as my browser", "English", "Deutsch"]


def test_choosing_a_language_shows_the_very_next_page_in_it(user_client, user):
    response = user_client.post(
        reverse("accounts:profile"),
        {"display_name": user.display_name, "time_zone": user.time_zone, "language": "de"},
        HTTP_ACCEPT_LANGUAGE="en-GB",
        follow=True,
    )
    user.refresh_from_db()
    assert user.language == "de"
    assert page_language(response) == "de"
    assert response["Content-Language"] == "de"

    back = user_client.post(
        reverse("accounts:profile"),
        {"display_name": user.display_name, "time_zone": user.time_zone, "language": ""},
        HTTP_ACCEPT_LANGUAGE="en-GB",
        follow=True,
    )
    user.refresh_from_db()
    assert user.language == ""
    assert page_language(back) == "en-gb"
    assert "Your details are saved." in visible_text(back)


def test_a_language_cairn_does_not_have_is_refused_and_nothing_changes(user_client, user):
    response = user_client.post(
        reverse("accounts:profile"),
        {"display_name": "Changed", "time_zone": user.time_zone, "language": "fr"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in visible_text(response)
    assert User.objects.get(pk=user.pk).display_name != "Changed"


def change_password(client, person, password, *, browser):
    client.force_login(person)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "a-new-passphrase", "password2": "a-new-passphrase"},
        HTTP_ACCEPT_LANGUAGE=browser,
    )
    return Notification.objects.get(kind="account_notice", to_email=person.email)


def test_account_notices_are_in_the_account_holders_language_not_the_browsers(client, password):
    # allauth writes these notices with its own catalogues, German included.
    chose_german = change_password(client, UserFactory(language="de"), password, browser="en-GB")
    assert "Passwort geändert" in chose_german.subject
    # No choice made: emails are in English, whatever the browser that asked.
    chose_nothing = change_password(client, UserFactory(language=""), password, browser="de")
    assert "Password" in chose_nothing.subject
    assert "Passwort" not in chose_nothing.body_text
