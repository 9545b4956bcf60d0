import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bip.models import Plan
from milestones.models import Milestone
from programmes.models import PlanTemplate
from programmes.services import template_save
from tests.factories import PlanMembershipFactory, UserFactory
from tests.rows import row_counts

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def start_params(chosen, **changes):
    return {
        "template": chosen.pk,
        "name": "Operations Excellence, autumn",
        "start_date": "2027-01-08",
        "time_zone": "Europe/London",
        **changes,
    }


def test_a_project_admin_saves_their_plan_as_a_template(client, source):
    plan, admin = source
    client.force_login(admin)
    url = reverse("programmes:save", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Operations Excellence", "with_trainers": "on"})
    assert response.status_code == 302
    template = PlanTemplate.objects.get()
    assert (template.name, template.created_by, template.with_trainers) == (
        "Operations Excellence",
        admin,
        True,
    )
    assert template.milestone_count == 3
    assert "saved as a template with its 3 milestones" in texts(response)[0]


def test_a_template_needs_a_name(client, source):
    plan, admin = source
    client.force_login(admin)
    response = client.post(reverse("programmes:save", args=[plan.pk]), {"name": " "})
    assert response.status_code == 200
    assert "Give the template a name." in response.text
    assert not PlanTemplate.objects.exists()


def test_project_admins_see_only_the_templates_they_saved(client, source, staff):
    plan, admin = source
    mine = template_save(plan=plan, name="Mine", with_trainers=False, created_by=admin)
    colleague = PlanMembershipFactory(plan=plan, role="project_admin").user
    theirs = template_save(plan=plan, name="Theirs", with_trainers=False, created_by=colleague)

    client.force_login(admin)
    page = client.get(reverse("programmes:list"))
    assert "Mine" in page.text and "Theirs" not in page.text
    assert "Start a plan" not in page.text
    assert client.get(reverse("programmes:edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("programmes:delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("programmes:edit", args=[mine.pk])).status_code == 200

    client.force_login(staff)
    page = client.get(reverse("programmes:list"))
    assert "Mine" in page.text and "Theirs" in page.text


def test_the_templates_page_is_not_for_participants(client, source):
    plan, _ = source
    participant = plan.memberships.get(role="participant").user
    client.force_login(participant)
    assert client.get(reverse("programmes:list")).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("programmes:list")).status_code == 404


def test_a_template_is_renamed_and_deleted(client, source, django_capture_on_commit_callbacks):
    plan, admin = source
    template = template_save(plan=plan, name="Old", with_trainers=False, created_by=admin)
    client.force_login(admin)
    response = client.post(
        reverse("programmes:edit", args=[template.pk]), {"name": "New", "description": "Why"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.description) == ("New", "Why")
    assert (
        "Give the template a name."
        in client.post(reverse("programmes:edit", args=[template.pk]), {"name": ""}).text
    )

    assert "cannot be undone" in client.get(reverse("programmes:delete", args=[template.pk])).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programmes:delete", args=[template.pk]))
    assert not PlanTemplate.objects.exists()
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_the_templates_page_runs_in_a_fixed_number_of_queries(client, source, staff):
    plan, admin = source
    template_save(plan=plan, name="One", with_trainers=False, created_by=admin)
    client.force_login(staff)
    url = reverse("programmes:list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(5):
        template_save(plan=plan, name=f"More {number}", with_trainers=False, created_by=admin)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).text.count('data-testid="template-row"') == 6
    assert len(many) == len(few)


def test_the_preview_shows_the_calendar_and_creates_nothing(client, source, staff):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    client.force_login(staff)
    before = row_counts()
    response = client.get(reverse("programmes:start"), start_params(template, skip_weekends="on"))
    assert response.status_code == 200
    assert row_counts() == before
    text = response.text
    assert text.count('data-testid="calendar-row"') == 3
    # Day 2 is Sunday 10 January 2027: moved to the Monday.
    assert "Mon 11 Jan 2027, 09:30 – 12:00" in text
    assert "moved from Sunday 10 Jan" in text
    assert "Sat 30 Jan 2027, 10:00 – Mon 1 Feb, 16:00" not in text
    assert "Fri 29 Jan 2027, 10:00 – Sun 31 Jan, 16:00" in text
    assert "No date yet" in text
    assert 'name="skip_weekends" value="on"' in text


def test_starting_a_plan_creates_it_tentative_and_says_what_comes_next(client, source, staff):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    client.force_login(staff)
    response = client.post(reverse("programmes:start"), start_params(template))
    new = Plan.objects.get(name="Operations Excellence, autumn")
    assert response["Location"] == reverse("milestones:plan", args=[new.pk])
    assert new.milestones.count() == 3
    assert not new.milestones.filter(schedule=Milestone.Schedule.CONFIRMED).exists()
    assert "confirm each session" in texts(response)[0]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Give the new plan a name."),
        ({"start_date": "2027-02-30"}, "Enter the start date as a date"),
        ({"start_date": "next week"}, "Enter the start date as a date"),
        ({"start_date": ""}, "Give the date the new plan starts."),
        ({"template": "999999"}, "That template does not exist"),
        ({"template": "abc"}, "That template does not exist"),
        ({"template": "9" * 30}, "That template does not exist"),
        ({"template": ""}, "Choose the template to start from."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
    ],
)
def test_bad_input_says_what_is_wrong_and_creates_nothing(client, source, staff, changes, message):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    client.force_login(staff)
    before = row_counts()
    for send in (client.get, client.post):
        response = send(reverse("programmes:start"), start_params(template, **changes))
        assert response.status_code == 200
        assert message in response.text
        assert 'data-testid="calendar-preview"' not in response.text
    assert row_counts() == before


def test_the_start_page_offers_the_template_it_was_opened_for(client, source, staff):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    client.force_login(staff)
    page = client.get(reverse("programmes:start"), {"template": template.pk})
    assert f'<option value="{template.pk}" selected>' in page.text
    assert "Give the new plan a name." not in page.text


def test_a_platform_admin_copies_a_plan_with_a_preview(client, source, staff):
    plan, _ = source
    client.force_login(staff)
    url = reverse("programmes:copy", args=[plan.pk])
    form = client.get(url)
    assert "Operations Excellence, spring (copy)" in form.text
    params = {"name": "Autumn", "start_date": "2027-01-04", "time_zone": "Europe/London"}
    before = row_counts()
    preview = client.get(url, params)
    assert "Wed 6 Jan 2027, 09:30 – 12:00" in preview.text
    assert row_counts() == before
    response = client.post(url, params)
    new = Plan.objects.get(name="Autumn")
    assert response["Location"] == reverse("milestones:plan", args=[new.pk])
    assert new.trainers.count() == 1


def test_project_admins_save_templates_but_do_not_create_plans(client, source):
    plan, admin = source
    client.force_login(admin)
    page = client.get(reverse("milestones:plan", args=[plan.pk]))
    assert reverse("programmes:save", args=[plan.pk]) in page.text
    assert reverse("programmes:copy", args=[plan.pk]) not in page.text
    assert client.get(reverse("programmes:copy", args=[plan.pk])).status_code == 404
    assert client.get(reverse("programmes:start")).status_code == 404


def test_an_archived_plan_can_still_be_saved_as_a_template_and_copied(client, source, staff):
    from django.utils import timezone

    plan, _ = source
    Plan.objects.filter(pk=plan.pk).update(archived_at=timezone.now())
    client.force_login(staff)
    client.post(reverse("programmes:save", args=[plan.pk]), {"name": "From the archive"})
    assert PlanTemplate.objects.filter(name="From the archive").exists()
    client.post(
        reverse("programmes:copy", args=[plan.pk]),
        {"name": "Again", "start_date": "2027-01-04", "time_zone": "UTC"},
    )
    assert not Plan.objects.get(name="Again").is_archived
