import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from milestones.attendance.selectors import session_dates
from milestones.models import Attendance
from tests.factories import MilestoneFactory, PlanMembershipFactory, UserFactory, session_on

pytestmark = pytest.mark.django_db


def past_session(plan, name):
    starts, ends = session_on(-3, hours=1, zone=plan.time_zone)
    return MilestoneFactory(plan=plan, name=name, starts_at=starts, ends_at=ends)


def participant(plan, name):
    return PlanMembershipFactory(
        plan=plan,
        user__display_name=name,
        joined_at=timezone.now() - datetime.timedelta(days=30),
    ).user


def attend(milestone, person):
    Attendance.objects.create(
        milestone=milestone, participant=person, day=session_dates(milestone)[0], status="present"
    )


@pytest.fixture
def cohort(plan):
    kickoff, workshop = past_session(plan, "Kick-off"), past_session(plan, "Workshop")
    ada, bob = participant(plan, "Ada"), participant(plan, "Bob")
    attend(kickoff, ada)
    attend(workshop, ada)
    attend(kickoff, bob)
    return kickoff, workshop, ada, bob


def test_the_dashboard_shows_participants_by_milestones_with_totals(
    project_admin_client, plan, cohort
):
    response = project_admin_client.get(reverse("progress:dashboard", args=[plan.pk]))
    rows = {
        line.row.membership.user.display_name: [c.state for c in line.cells]
        for line in response.context["lines"]
    }
    assert rows == {"Ada": ["complete", "complete"], "Bob": ["complete", "missing"]}
    assert [t["complete"] for t in response.context["board"].totals()] == [2, 1]
    assert "2/2" in response.text and "1/2" in response.text
    assert "Missing: Attend the session" in response.text
    assert "once its session has ended and everything it asks is done" in response.text


def test_filtering_by_milestone_and_status(project_admin_client, plan, cohort):
    _kickoff, workshop, ada, bob = cohort
    url = reverse("progress:dashboard", args=[plan.pk])
    response = project_admin_client.get(url, {"milestone": workshop.pk, "status": "missing"})
    assert [line.row.membership.user for line in response.context["lines"]] == [bob]
    assert [m.name for m in response.context["board"].milestones] == ["Workshop"]
    response = project_admin_client.get(url, {"status": "complete", "milestone": workshop.pk})
    assert [line.row.membership.user for line in response.context["lines"]] == [ada]


def header(number, name):
    return (
        f'<th scope="col" class="cairn-milestone-col" title="{number}. {name}" '
        f'data-testid="milestone-header"><span aria-hidden="true">{number}</span>'
        f'<span class="visually-hidden">{number}. {name}</span></th>'
    )


def test_milestone_columns_are_numbered_in_plan_order_with_their_names_at_hand(
    project_admin_client, plan, cohort
):
    _kickoff, workshop, _ada, _bob = cohort
    url = reverse("progress:dashboard", args=[plan.pk])
    html = project_admin_client.get(url).text

    assertInHTML(header(1, "Kick-off"), html)
    assertInHTML(header(2, "Workshop"), html)
    assertInHTML(
        '<li><span class="cairn-milestone-key-number">2</span>Workshop</li>', html, count=1
    )
    # Each cell says which milestone it is about, on hover, in its popover and when read out.
    assertInHTML(
        '<button type="button" class="cairn-cell cairn-cell-missing" '
        'title="2. Workshop · Missing: Attend the session" '
        'aria-label="2. Workshop · Missing: Attend the session" '
        'data-milestone="2. Workshop" data-state="Missing: Attend the session">'
        '<i class="fa-solid fa-xmark" aria-hidden="true"></i></button>',
        html,
        count=1,
    )

    # A milestone keeps its number when the board shows it alone.
    html = project_admin_client.get(url, {"milestone": workshop.pk}).text
    assertInHTML(header(2, "Workshop"), html)
    assert 'title="1. Kick-off"' not in html


def test_the_grid_scrolls_inside_a_labelled_box_that_the_keyboard_can_reach(
    project_admin_client, plan, cohort
):
    html = project_admin_client.get(reverse("progress:dashboard", args=[plan.pk])).text
    assert (
        '<div class="card cairn-progress-table" tabindex="0" role="region" '
        'aria-label="Progress by participant and milestone" data-testid="progress-grid">'
    ) in html


def test_the_csv_export_has_a_row_per_participant(project_admin_client, plan, cohort):
    response = project_admin_client.get(
        reverse("progress:dashboard", args=[plan.pk]), {"format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="northwind-progress.csv"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("\ufeff")  # spreadsheet apps then read it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
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
    project_admin_client, plan, cohort, django_assert_num_queries
):
    url = reverse("progress:dashboard", args=[plan.pk])
    with CaptureQueriesContext(connection) as baseline:
        project_admin_client.get(url)
    for n in range(15):
        person = participant(plan, f"P{n}")
        attend(past_session(plan, f"M{n}"), person)
    with django_assert_num_queries(len(baseline)):
        project_admin_client.get(url)


def test_the_dashboard_travels_compressed(project_admin_client, plan, cohort):
    response = project_admin_client.get(
        reverse("progress:dashboard", args=[plan.pk]), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Encoding"] == "gzip"
