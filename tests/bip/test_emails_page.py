"""A plan's managers see what Cairn emailed about it, and can send a failed email again;
nobody else sees that log."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import NotificationFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(plan, participant):
    return {
        "sent": NotificationFactory(
            recipient=participant,
            scope=f"plan:{plan.pk}",
            subject="Invitation: Initial Skill Assessment",
            status=Notification.Status.SENT,
        ),
        "failed": NotificationFactory(
            recipient=participant,
            scope=f"plan:{plan.pk}",
            subject="Tomorrow: Initial Skill Assessment",
            status=Notification.Status.FAILED,
            last_error="SMTPRecipientsRefused: 550 No such user",
        ),
        "elsewhere": NotificationFactory(scope="plan:999999", subject="Another plan's email"),
    }


def test_the_plans_managers_see_its_emails_with_what_went_wrong(project_admin_client, plan, log):
    page = project_admin_client.get(reverse("bip:emails", args=[plan.pk]))
    text = visible_text(page)
    assert "Invitation: Initial Skill Assessment" in text
    assert "550 No such user" in text
    assert "Another plan's email" not in text


def test_a_failed_email_is_sent_again(project_admin_client, plan, log):
    response = project_admin_client.post(
        reverse("bip:email_resend", args=[plan.pk]), {"notification": log["failed"].pk}
    )
    assert response.status_code == 302
    log["failed"].refresh_from_db()
    assert log["failed"].status in (Notification.Status.QUEUED, Notification.Status.SENT)


@pytest.mark.parametrize("junk", ["abc", "²", "99999999999999999999", ""])
def test_junk_in_place_of_an_email_is_not_found(project_admin_client, plan, log, junk):
    response = project_admin_client.post(
        reverse("bip:email_resend", args=[plan.pk]), {"notification": junk}
    )
    assert response.status_code == 404


def test_another_plans_email_cannot_be_resent_from_here(project_admin_client, plan, log):
    response = project_admin_client.post(
        reverse("bip:email_resend", args=[plan.pk]), {"notification": log["elsewhere"].pk}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["participant", "assigned trainer", "other plan's admin"])
def test_nobody_else_sees_the_log(client, plan, people, log, who):
    client.force_login(people[who])
    assert client.get(reverse("bip:emails", args=[plan.pk])).status_code == 404
    resend = reverse("bip:email_resend", args=[plan.pk])
    assert client.post(resend, {"notification": log["failed"].pk}).status_code == 404
