"""The Notifications page: every kind of email, grouped, on or off for the signed-in person."""

import pytest
from django.urls import reverse

from notifications import sections
from notifications.kinds import kinds_all
from notifications.models import NotificationOptOut
from notifications.services import notification_kind_turn_off

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def test_the_page_lists_every_kind_under_its_group_with_account_emails_always_on(user_client):
    page = user_client.get(URL)
    assert page.status_code == 200
    for heading in ["Your account", "Business Improvement Plans", "Client projects"]:
        assert heading in page.text
    for kind in kinds_all():
        assert str(kind.label) in page.text
        assert f'data-testid="kind-{kind.code}"' in page.text
    reset = page.text.split('data-testid="kind-password_reset"')[1].split("</div>\n")[0]
    assert "checked disabled" in reset and "Always sent" in reset
    assert 'name="kinds" value="password_reset"' not in page.text
    assert (
        'name="kinds" value="project_milestone_added" id="kind-project_milestone_added" checked'
        in page.text
    )


def test_unticking_a_kind_turns_it_off_and_ticking_it_turns_it_back_on(user_client, user):
    everything_but_due_soon = [
        kind.code
        for kind in kinds_all()
        if kind.unsubscribable and kind.code != "project_milestone_due_soon"
    ]
    response = user_client.post(URL, {"kinds": everything_but_due_soon}, follow=True)
    assert "Your email choices are saved." in response.text
    assert list(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True)) == [
        "project_milestone_due_soon"
    ]
    assert 'value="project_milestone_due_soon" id="kind-project_milestone_due_soon" aria' in (
        response.text
    )

    user_client.post(URL, {"kinds": [*everything_but_due_soon, "project_milestone_due_soon"]})
    assert not NotificationOptOut.objects.filter(user=user).exists()


def test_an_empty_form_turns_off_everything_but_account_emails(user_client, user):
    user_client.post(URL, {})
    turned_off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    assert turned_off == {kind.code for kind in kinds_all() if kind.unsubscribable}
    assert "password_reset" not in turned_off


def test_an_account_email_cannot_be_turned_off(user_client, user):
    response = user_client.post(URL, {"kinds": ["password_reset"]})
    assert response.status_code == 200
    assert "were not saved" in response.text
    assert not NotificationOptOut.objects.exists()
    with pytest.raises(Exception, match="cannot be turned off"):
        notification_kind_turn_off(recipient=user, kind="password_reset")


def test_one_persons_choices_leave_anothers_alone(user_client, user, other_user):
    notification_kind_turn_off(recipient=other_user, kind="project_milestone_added")
    user_client.post(URL, {"kinds": ["project_milestone_added"]})
    assert NotificationOptOut.objects.filter(user=other_user).count() == 1


def test_the_page_needs_signing_in_and_is_in_the_account_menu(client, user):
    assert client.get(URL).status_code == 302
    client.force_login(user)
    assert f'href="{URL}"' in client.get(reverse("home")).text


def test_other_apps_add_sections_to_the_page(user_client, user, monkeypatch, tmp_path, settings):
    (tmp_path / "feed_section.html").write_text(
        '<section data-testid="feed">Your feed: {{ section.feed_url }}</section>'
    )
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    monkeypatch.setattr(sections, "_sections", [])
    sections.preferences_section_register(
        template_name="feed_section.html",
        context=lambda request: {"feed_url": f"https://cairn.example/feed/{request.user.pk}/"},
    )
    sections.preferences_section_register(
        template_name="feed_section.html", context=lambda request: None
    )

    page = user_client.get(URL)
    assert page.text.count('data-testid="feed"') == 1
    assert f"Your feed: https://cairn.example/feed/{user.pk}/" in page.text
