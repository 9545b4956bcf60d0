"""A template's page: rename it, and edit, reorder and remove its milestones with the plan's
milestone form; plans started afterwards run the edited programme."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse

from programmes.models import PlanTemplate
from programmes.selectors import Programme
from programmes.services import plan_start, template_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(source):
    plan, admin = source
    return template_save(
        plan=plan, name="Operations Excellence", with_trainers=True, created_by=admin
    )


def programme(template) -> Programme:
    template.refresh_from_db()
    return Programme.from_json(template.content)


def names(template) -> list[str]:
    return [m.name for m in programme(template).milestones.milestones]


def key_of(template, name) -> int:
    return next(m.key for m in programme(template).milestones.milestones if m.name == name)


def edit_url(template, name):
    return reverse("programmes:milestone_edit", args=[template.pk, key_of(template, name)])


def milestone_data(**changes):
    return {
        "name": "Lean workshop, revised",
        "description": "Half a day on flow.",
        "kind": "training",
        "post_action_required": "False",
        "multi_day": "False",
        "upload_progress": "optional",
        "attendance_marking": "project_admin",
        "session_connect": "mentor",
        "meeting_link": "meet.example.com/flow",
        "passcode": "",
        "location": "Room 4",
        "start_day": "3",
        "start_time": "13:00",
        "end_time": "16:30",
        "days": "1",
        **changes,
    }


def test_the_template_page_lists_its_milestones_with_their_days(client, source, template):
    _, admin = source
    client.force_login(admin)
    page = client.get(reverse("programmes:edit", args=[template.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Day 2, 09:30–12:00" in text
    assert "Day 21 to day 23, 10:00–16:00" in text
    assert "No date yet" in text


def test_a_milestone_is_edited_with_the_plans_form_and_new_plans_run_it(client, source, template):
    _, admin = source
    client.force_login(admin)
    url = edit_url(template, "Lean workshop")
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Lean workshop"' in page.text and 'value="09:30"' in page.text

    response = client.post(url, milestone_data())
    assert response.status_code == 302
    workshop = programme(template).milestones.milestones[0]
    assert workshop.name == "Lean workshop, revised"
    assert workshop.settings["upload_progress"] == "optional"
    assert workshop.settings["meeting_link"] == "https://meet.example.com/flow"
    assert workshop.settings["location"] == "Room 4"
    assert (workshop.timing.start_day, workshop.timing.start_time) == (3, datetime.time(13))
    assert workshop.timing.duration == datetime.timedelta(hours=3, minutes=30)
    # Its activities and surveys stay with it.
    assert len(workshop.activities) == 2

    plan = plan_start(
        programme=programme(template),
        name="Winter",
        start_date=datetime.date(2027, 1, 4),
        time_zone="Europe/London",
    )
    milestone = plan.milestones.get(name="Lean workshop, revised")
    local = milestone.starts_at.astimezone(milestone.zone)
    assert (local.date(), local.time()) == (datetime.date(2027, 1, 7), datetime.time(13))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"end_time": "09:00"}, "end_time", "The session must end after it starts."),
        ({"days": "2"}, "days", "This is a single-day milestone"),
        ({"start_day": ""}, "start_day", "Give the day as well as the times."),
        ({"end_time": ""}, "end_time", "Give the end as well as the start."),
        ({"meeting_link": "ftp://x"}, "meeting_link", "Enter a full http:// or https:// link."),
        ({"start_day": "-1"}, "start_day", "greater than or equal to 0"),
    ],
)
def test_a_milestone_is_validated_like_a_plans(client, source, template, changes, field, message):
    _, admin = source
    client.force_login(admin)
    before = template.content
    response = client.post(edit_url(template, "Lean workshop"), milestone_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    template.refresh_from_db()
    assert template.content == before


def test_a_multi_day_milestone_runs_over_its_days_and_may_lose_its_date(client, source, template):
    _, admin = source
    client.force_login(admin)
    url = edit_url(template, "Assessment days")
    data = milestone_data(name="Assessment days", multi_day="True", days="2", end_time="09:00")
    assert client.post(url, data).status_code == 302
    timing = programme(template).milestones.milestones[1].timing
    assert (timing.days, timing.duration) == (2, datetime.timedelta(hours=20))

    undated = milestone_data(name="Assessment days", start_day="", start_time="", end_time="")
    assert client.post(url, undated).status_code == 302
    assert programme(template).milestones.milestones[1].timing is None


def test_milestones_move_up_and_down(client, source, template):
    _, admin = source
    client.force_login(admin)
    move = reverse(
        "programmes:milestone_move", args=[template.pk, key_of(template, "Closing review")]
    )
    client.post(move, {"direction": "up"})
    assert names(template) == ["Lean workshop", "Closing review", "Assessment days"]
    client.post(move, {"direction": "up"})
    client.post(move, {"direction": "up"})
    assert names(template) == ["Closing review", "Lean workshop", "Assessment days"]
    assert client.post(move, {"direction": "sideways"}).status_code == 404


def test_a_removed_milestone_takes_its_files_and_surveys_but_not_the_last_one(
    client, source, template, django_capture_on_commit_callbacks
):
    _, admin = source
    client.force_login(admin)
    (copy,) = programme(template).file_names
    assert default_storage.exists(copy)
    workshop = key_of(template, "Lean workshop")
    url = reverse("programmes:milestone_remove", args=[template.pk, workshop])
    assert "Remove “Lean workshop”" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert names(template) == ["Assessment days", "Closing review"]
    assert template.milestone_count == 2
    assert not default_storage.exists(copy)
    # The trainer ran only the workshop.
    assert programme(template).milestones.trainers == []

    for name in ["Assessment days"]:
        client.post(
            reverse("programmes:milestone_remove", args=[template.pk, key_of(template, name)])
        )
    assert programme(template).survey_count == 0
    last = reverse(
        "programmes:milestone_remove", args=[template.pk, key_of(template, "Closing review")]
    )
    response = client.post(last)
    assert names(template) == ["Closing review"]
    assert "at least one milestone" in str(list(get_messages(response.wsgi_request))[-1])


def test_a_key_the_template_does_not_have_is_not_found(client, source, template):
    _, admin = source
    client.force_login(admin)
    for name in ("milestone_edit", "milestone_remove"):
        assert (
            client.get(reverse(f"programmes:{name}", args=[template.pk, 999999])).status_code == 404
        )


def test_renaming_keeps_the_person_on_the_template_page(client, source, template):
    _, admin = source
    client.force_login(admin)
    url = reverse("programmes:edit", args=[template.pk])
    response = client.post(url, {"name": "Ops Excellence", "description": ""})
    assert response["Location"] == url
    assert PlanTemplate.objects.get().name == "Ops Excellence"
    response = client.post(url, {"name": "", "description": ""})
    assert "Give the template a name." in response.text
    assert '<h1 class="h3 mb-0">Ops Excellence</h1>' in response.text
