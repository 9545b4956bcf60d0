import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from milestones.attendance import session_days
from milestones.models import Attendance
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(name="Northwind")


@pytest.fixture
def admin_client(client, plan):
    client.force_login(PlanMembershipFactory(plan=plan, role="project_admin").user)
    return client


def past_session(plan, name):
    starts = timezone.now() - datetime.timedelta(days=3)
    return MilestoneFactory(
        plan=plan, name=name, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )


def participant(plan, name):
    return PlanMembershipFactory(
        plan=plan,
        user__display_name=name,
        joined_at=timezone.now() - datetime.timedelta(days=30),
    ).user


def attend(milestone, person):
    Attendance.objects.create(
        milestone=milestone, participant=person, day=session_days(milestone)[0], status="present"
    )


@pytest.fixture
def cohort(plan):
    kickoff, workshop = past_session(plan, "Kick-off"), past_session(plan, "Workshop")
    ada, bob = participant(plan, "Ada"), participant(plan, "Bob")
    attend(kickoff, ada)
    attend(workshop, ada)
    attend(kickoff, bob)
    return kickoff, workshop, ada, bob


def test_the_dashboard_shows_participants_by_milestones_with_totals(admin_client, plan, cohort):
    response = admin_client.get(reverse("progress:dashboard", args=[plan.pk]))
    rows = {
        row.membership.user.display_name: [c.state for c in cells]
        for row, cells in response.context["rows"]
    }
    assert rows == {"Ada": ["complete", "complete"], "Bob": ["complete", "missing"]}
    assert [t["complete"] for t in response.context["totals"]] == [2, 1]
    assert "2/2" in response.text and "1/2" in response.text
    assert "Missing: Attend the session" in response.text


def test_filtering_by_milestone_and_status(admin_client, plan, cohort):
    _kickoff, workshop, ada, bob = cohort
    url = reverse("progress:dashboard", args=[plan.pk])
    response = admin_client.get(url, {"milestone": workshop.pk, "status": "missing"})
    assert [row.membership.user for row, _ in response.context["rows"]] == [bob]
    assert [m.name for m in response.context["milestones"]] == ["Workshop"]
    response = admin_client.get(url, {"status": "complete", "milestone": workshop.pk})
    assert [row.membership.user for row, _ in response.context["rows"]] == [ada]


def test_the_csv_export_has_a_row_per_participant(admin_client, plan, cohort):
    response = admin_client.get(reverse("progress:dashboard", args=[plan.pk]), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="northwind-progress.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Participant",
        "Email",
        "Milestones complete",
        "Milestones expected",
        "Kick-off",
        "Workshop",
    ]
    bob = next(row for row in rows if row[0] == "Bob")
    assert bob[2:] == ["1", "2", "Complete", "Missing (Attend the session)"]


@pytest.mark.parametrize("who", ["participant", "other admin", "outsider"])
def test_only_the_plans_managers_see_the_dashboard(client, plan, cohort, who):
    person = {
        "participant": cohort[2],
        "other admin": PlanMembershipFactory(role="project_admin").user,
        "outsider": UserFactory(),
    }[who]
    client.force_login(person)
    url = reverse("progress:dashboard", args=[plan.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "csv"}).status_code == 404


def test_anonymous_visitors_sign_in_first(client, plan):
    response = client.get(reverse("progress:dashboard", args=[plan.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_runs_a_fixed_number_of_queries(
    admin_client, plan, cohort, django_assert_num_queries
):
    url = reverse("progress:dashboard", args=[plan.pk])
    with CaptureQueriesContext(connection) as baseline:
        admin_client.get(url)
    for n in range(15):
        person = participant(plan, f"P{n}")
        attend(past_session(plan, f"M{n}"), person)
    with django_assert_num_queries(len(baseline)):
        admin_client.get(url)
