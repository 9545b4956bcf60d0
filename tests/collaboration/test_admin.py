import pytest
from django.urls import reverse

from tests.collaboration.factories import ChatMessageFactory, ProjectMilestoneFactory

pytestmark = pytest.mark.django_db


def test_the_admin_site_lists_and_shows_projects_and_chat(client, admin):
    admin.is_superuser = True
    admin.save()
    milestone = ProjectMilestoneFactory(title="Data cleaning")
    ChatMessageFactory(project=milestone.project, body="Hello from the client")
    client.force_login(admin)

    pages = [
        reverse("admin:collaboration_project_changelist"),
        reverse("admin:collaboration_project_change", args=[milestone.project.pk]),
        reverse("admin:collaboration_project_add"),
        reverse("admin:collaboration_chatmessage_changelist"),
    ]
    contents = [client.get(url) for url in pages]

    assert [r.status_code for r in contents] == [200, 200, 200, 200]
    assert "Data cleaning" in contents[1].content.decode()
    assert "Hello from the client" in contents[3].content.decode()
