"""The admin site lets support staff look at projects, milestones and chat, and change none of
them: every change goes through the project pages, which post to the chat and email the
client."""

import pytest
from django.urls import reverse

from collaboration.models import ChatMessage, Project
from notifications.models import Notification
from tests.factories import ChatMessageFactory, ProjectMilestoneFactory
from tests.pages import screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_milestone(db):
    project_milestone = ProjectMilestoneFactory(title="Data cleaning", project__title="Churn model")
    ChatMessageFactory(project=project_milestone.project, body="Hello from the client")
    return project_milestone


def test_the_admin_site_lists_and_shows_projects_and_chat(
    as_user, platform_admin, project_milestone
):
    browser = as_user(platform_admin)
    message = project_milestone.project.messages.get()

    pages = [
        reverse("admin:collaboration_project_changelist"),
        reverse("admin:collaboration_project_change", args=[project_milestone.project.pk]),
        reverse("admin:collaboration_chatmessage_changelist"),
        reverse("admin:collaboration_chatmessage_change", args=[message.pk]),
    ]
    responses = [browser.get(url) for url in pages]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    project_page = screen(responses[1])
    assert "Churn model" in project_page.text and "Data cleaning" in project_page.text
    assert "Save" not in project_page.buttons
    assert "Hello from the client" in screen(responses[2]).text


def test_the_admin_site_adds_nothing(as_user, platform_admin):
    browser = as_user(platform_admin)
    for model in ("project", "chatmessage"):
        assert browser.get(reverse(f"admin:collaboration_{model}_add")).status_code == 403
    assert not Project.objects.exists()


def test_a_project_cannot_be_changed_or_deleted_there(as_user, platform_admin, project_milestone):
    project = project_milestone.project
    browser = as_user(platform_admin)
    before = {
        "projects": list(Project.objects.values()),
        "messages": list(ChatMessage.objects.values()),
        "emails": Notification.objects.count(),
    }

    change = browser.post(
        reverse("admin:collaboration_project_change", args=[project.pk]),
        {
            "title": "Renamed",
            "consultant": project.consultant_id,
            "client": project.client_id,
            "completion_date": project.completion_date.isoformat(),
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "1",
        },
    )
    delete = browser.post(
        reverse("admin:collaboration_project_delete", args=[project.pk]), {"post": "yes"}
    )
    bulk_delete = browser.post(
        reverse("admin:collaboration_project_changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk], "post": "yes"},
    )

    assert (change.status_code, delete.status_code) == (403, 403)
    assert "delete_selected" not in bulk_delete.content.decode()
    assert project.milestones.get() == project_milestone
    assert before == {
        "projects": list(Project.objects.values()),
        "messages": list(ChatMessage.objects.values()),
        "emails": Notification.objects.count(),
    }


def test_chat_messages_cannot_be_changed_or_deleted_there(
    as_user, platform_admin, project_milestone
):
    message = project_milestone.project.messages.get()
    browser = as_user(platform_admin)

    change = browser.post(
        reverse("admin:collaboration_chatmessage_change", args=[message.pk]),
        {"body": "Rewritten"},
    )
    delete = browser.post(
        reverse("admin:collaboration_chatmessage_delete", args=[message.pk]), {"post": "yes"}
    )

    assert (change.status_code, delete.status_code) == (403, 403)
    message.refresh_from_db()
    assert message.body == "Hello from the client"
