"""Who may open which collaboration URL: every URL, every method, every kind of person."""

import datetime

import pytest
from django.urls import reverse

from collaboration.models import ChatMessage, Project, ProjectMilestone
from notifications.models import Notification
from tests.factories import ProjectMilestoneFactory

pytestmark = pytest.mark.django_db

ROLES = ["consultant", "client", "admin", "outsider", "anonymous"]
MEMBERS = {"consultant", "client", "admin"}
MANAGERS = {"consultant", "admin"}
ADMINS = {"admin"}
EVERYONE = {"consultant", "client", "admin", "outsider"}


def milestone_data(everyone):
    return {
        "due_date": (everyone["project"].completion_date).isoformat(),
        "title": "Crafted",
        "description": "Written by whoever sent the request.",
    }


def project_data(everyone):
    return {
        "title": "Renamed",
        "consultant": everyone["consultant"].pk,
        "client": everyone["client"].pk,
        "completion_date": "2026-12-31",
        "initial_payment_required": "",
    }


# (url name, kwargs, method, form data, who may, status for them)
CASES = [
    ("projects", "none", "get", None, EVERYONE, 200),
    ("project_new", "none", "get", None, ADMINS, 200),
    ("project_new", "none", "post", project_data, ADMINS, 302),
    ("people_search", "none", "get", lambda w: {"q": "c", "role": "client"}, ADMINS, 200),
    ("project", "project", "get", None, MEMBERS, 200),
    ("project_edit", "project", "get", None, ADMINS, 200),
    ("project_edit", "project", "post", project_data, ADMINS, 302),
    ("payment", "closed", "get", None, ADMINS, 200),
    (
        "payment",
        "closed",
        "post",
        lambda w: {
            "payment_amount": "100",
            "payment_received_on": "2026-01-05",
            "payment_reference": "X",
        },
        ADMINS,
        302,
    ),
    ("milestones_open", "unpaid_free", "post", lambda w: {}, ADMINS, 302),
    ("chat", "project", "post", lambda w: {"body": "Hello"}, MEMBERS, 302),
    ("milestone_add", "project", "get", None, MANAGERS, 200),
    ("milestone_add", "project", "post", milestone_data, MANAGERS, 302),
    ("milestone_edit", "milestone", "get", None, MANAGERS, 200),
    ("milestone_edit", "milestone", "post", milestone_data, MANAGERS, 302),
    ("milestone_delete", "milestone", "get", None, MANAGERS, 200),
    ("milestone_delete", "milestone", "post", lambda w: {}, MANAGERS, 302),
    ("milestone_completion", "milestone", "post", lambda w: {"completed": "1"}, MANAGERS, 302),
]


@pytest.fixture
def everyone(project, closed_project, consultant, customer, platform_admin, outsider):
    free = Project.objects.create(
        title="No payment needed",
        consultant=consultant,
        client=customer,
        completion_date=datetime.date(2026, 9, 30),
        initial_payment_required=False,
    )
    return {
        "project": project,
        "closed": closed_project,
        "unpaid_free": free,
        "milestone": ProjectMilestoneFactory(project=project, title="Data cleaning"),
        "consultant": consultant,
        "client": customer,
        "admin": platform_admin,
        "outsider": outsider,
    }


def url_for(name, target, everyone):
    if target == "none":
        return reverse(f"collaboration:{name}")
    if target == "milestone":
        milestone = everyone["milestone"]
        return reverse(f"collaboration:{name}", args=[milestone.project_id, milestone.pk])
    return reverse(f"collaboration:{name}", args=[everyone[target].pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "method", "data", "allowed", "status"),
    CASES,
    ids=[f"{c[2].upper()} {c[0]}" for c in CASES],
)
def test_permission_matrix(client, everyone, role, name, target, method, data, allowed, status):
    if role != "anonymous":
        client.force_login(everyone[role])
    url = url_for(name, target, everyone)

    response = getattr(client, method)(url, data(everyone) if data else None)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif role in allowed:
        assert response.status_code == status, response.content[:500]
    else:
        assert response.status_code == 404


# Every write, by each person who may not make it.
FORBIDDEN_WRITES = [
    (role, *case)
    for case in CASES
    if case[2] == "post"
    for role in ("client", "outsider")
    if role not in case[4]
]


@pytest.mark.parametrize(
    ("role", "name", "target", "method", "data", "allowed", "status"),
    FORBIDDEN_WRITES,
    ids=[f"{c[0]} POST {c[1]}" for c in FORBIDDEN_WRITES],
)
def test_a_crafted_write_changes_nothing(
    client, everyone, role, name, target, method, data, allowed, status
):
    client.force_login(everyone[role])
    milestone = everyone["milestone"]
    snapshot = {
        "projects": list(Project.objects.order_by("pk").values()),
        "milestones": list(ProjectMilestone.objects.order_by("pk").values()),
        "messages": ChatMessage.objects.count(),
        "emails": Notification.objects.count(),
    }

    response = client.post(url_for(name, target, everyone), data(everyone))

    assert response.status_code == 404
    assert snapshot == {
        "projects": list(Project.objects.order_by("pk").values()),
        "milestones": list(ProjectMilestone.objects.order_by("pk").values()),
        "messages": ChatMessage.objects.count(),
        "emails": Notification.objects.count(),
    }
    milestone.refresh_from_db()
    assert milestone.title == "Data cleaning"


def test_a_milestone_of_another_project_is_not_found_through_yours(as_user, everyone, consultant):
    stranger = ProjectMilestoneFactory()
    response = as_user(consultant).post(
        reverse("collaboration:milestone_completion", args=[everyone["project"].pk, stranger.pk]),
        {"completed": "1"},
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert not stranger.is_complete


@pytest.mark.parametrize(
    "name", ["milestones_open", "chat", "milestone_completion"], ids=lambda n: f"GET {n}"
)
def test_state_changes_only_on_post(as_user, everyone, platform_admin, name):
    target = "milestone" if name.startswith("milestone_") else "project"
    response = as_user(platform_admin).get(url_for(name, target, everyone))
    assert response.status_code == 405
