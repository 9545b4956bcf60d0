"""Who changed what: the History tab, and two admins editing one milestone at once."""

import pytest
from django.test import Client
from django.urls import reverse

from milestones.attendance.services import attendance_register_save
from milestones.models import Milestone, ProgressUpload
from milestones.uploads.services import upload_request_changes
from tests.factories import MilestoneFactory, PlanMembershipFactory, UserFactory
from tests.milestones.test_milestones import SETTINGS, meeting
from tests.pages import controls, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_admins(plan, project_admin):
    second = PlanMembershipFactory(
        plan=plan, role="project_admin", user=UserFactory(display_name="Sam Second")
    ).user
    clients = []
    for admin in (project_admin, second):
        browser = Client()
        browser.force_login(admin)
        clients.append(browser)
    return clients


def opened(browser, url) -> dict:
    """The form's fields as the page filled them in, ready to post back."""
    page = browser.get(url)
    return {
        control["name"]: control.get("value", "")
        for control in controls(page, "based_on") + controls(page, "name")
    }


def edit_url(milestone):
    return reverse("milestones:edit", args=[milestone.plan_id, milestone.pk])


def test_a_save_over_someone_elses_newer_change_shows_it_and_saves_nothing(
    plan, milestone, two_admins
):
    pam, sam = two_admins
    milestone.name = "Kick-off"
    milestone.save()
    pams_form = opened(pam, edit_url(milestone))
    sams_form = opened(sam, edit_url(milestone))

    response = sam.post(edit_url(milestone), {**SETTINGS, **sams_form, "name": "Launch day"})
    assert response.status_code == 302

    response = pam.post(edit_url(milestone), {**SETTINGS, **pams_form, "name": "Kick-off meeting"})
    assert response.status_code == 200
    text = visible_text(response)
    assert "Sam Second saved this milestone at" in text
    assert "Milestone name: Kick-off → Launch day" in text
    assert Milestone.objects.get(pk=milestone.pk).name == "Launch day"
    # Pam's version is still in the form; saving again keeps it, knowingly.
    assert controls(response, "name")[0]["value"] == "Kick-off meeting"
    again = {control["name"]: control["value"] for control in controls(response, "based_on")}
    response = pam.post(edit_url(milestone), {**SETTINGS, **again, "name": "Kick-off meeting"})
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).name == "Kick-off meeting"


def test_changes_to_other_fields_merge_without_a_word(plan, milestone, two_admins):
    pam, sam = two_admins
    meeting_url = reverse("milestones:meeting", args=[plan.pk, milestone.pk])
    pams_form = opened(pam, meeting_url)
    sams_form = opened(sam, edit_url(milestone))

    assert sam.post(edit_url(milestone), {**SETTINGS, **sams_form}).status_code == 302
    assert pam.post(meeting_url, {**meeting(), **pams_form}).status_code == 302

    milestone.refresh_from_db()
    assert milestone.name == SETTINGS["name"]
    assert milestone.meeting_link == "https://zoom.example.com/j/1"


def test_the_history_tab_shows_who_changed_what(
    project_admin_client, plan, milestone, project_admin, participant
):
    milestone.name = "Kick-off"
    milestone.save()
    project_admin_client.post(
        edit_url(milestone), {**opened(project_admin_client, edit_url(milestone)), **SETTINGS}
    )
    project_admin_client.post(
        reverse("milestones:meeting", args=[plan.pk, milestone.pk]),
        {
            **meeting(),
            **opened(
                project_admin_client, reverse("milestones:meeting", args=[plan.pk, milestone.pk])
            ),
        },
    )
    milestone.refresh_from_db()
    day = milestone.session_days()[0].day
    attendance_register_save(
        milestone=milestone, day=day, marks={participant.pk: "absent"}, marked_by=project_admin
    )
    attendance_register_save(
        milestone=milestone, day=day, marks={participant.pk: "present"}, marked_by=project_admin
    )
    upload = ProgressUpload.objects.create(
        milestone=milestone, participant=participant, file="x.pdf"
    )
    upload_request_changes(upload=upload, reviewer=project_admin, comment="Add the budget.")

    page = project_admin_client.get(reverse("milestones:history", args=[plan.pk, milestone.pk]))
    text = visible_text(page)
    assert "Milestone changed by Pam Admin" in text
    assert "Milestone name: Kick-off → Initial Skill Assessment" in text
    assert (
        "Meeting link: https://meet.example.com/cairn-session → https://zoom.example.com/j/1"
        in (text)
    )
    assert "→ Mon 1 Mar 2027, 10:00 (Europe/London)" in text
    assert f"Attendance of {participant}" in text
    assert "Status: Absent → Present" in text
    assert f"Upload by {participant} changed by Pam Admin" in text
    assert "Review comment: — → Add the budget." in text


@pytest.mark.parametrize("who", ["participant", "other plan's admin", "outsider"])
def test_only_those_who_manage_the_plan_see_the_history(client, plan, milestone, people, who):
    client.force_login(people[who])
    url = reverse("milestones:history", args=[plan.pk, milestone.pk])
    assert client.get(url).status_code == 404


def test_the_history_page_costs_the_same_however_much_changed(
    project_admin_client, plan, django_assert_max_num_queries, project_admin
):
    milestone = MilestoneFactory(plan=plan)
    url = reverse("milestones:history", args=[plan.pk, milestone.pk])
    project_admin_client.get(url)
    for n in range(30):
        milestone.name = f"Name {n}"
        milestone.save()
    with django_assert_max_num_queries(12):
        project_admin_client.get(url)
