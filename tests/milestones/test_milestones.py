import datetime
import zoneinfo

import pytest
from django.urls import reverse

from milestones.models import Milestone
from tests.factories import MilestoneFactory, UserFactory, session_on
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")

SETTINGS = {
    "name": "Initial Skill Assessment",
    "description": "This milestone evaluates the current skill level of participants.",
    "kind": "assessment",
    "post_action_required": "True",
    "multi_day": "False",
    "upload_progress": "mandatory",
    "attendance_marking": "self",
    "session_connect": "coach",
}


def meeting(**overrides):
    data = {
        "meeting_link": "https://zoom.example.com/j/1",
        "passcode": "1234",
        "location": "",
        "schedule": "confirmed",
        "starts_at": "2027-03-01T10:00",
        "ends_at": "2027-03-01T12:00",
    }
    data.update(overrides)
    return data


def test_a_new_milestone_with_all_settings_appears_last_in_the_list(project_admin_client, plan):
    MilestoneFactory(plan=plan, name="Kick-off", order=0)
    response = project_admin_client.post(
        reverse("milestones:create", args=[plan.pk]), SETTINGS, follow=True
    )

    milestone = Milestone.objects.get(name="Initial Skill Assessment")
    assert milestone.order == 1
    assert milestone.kind == "assessment"
    assert milestone.post_action_required is True
    assert milestone.multi_day is False
    assert (milestone.upload_progress, milestone.attendance_marking, milestone.session_connect) == (
        "mandatory",
        "self",
        "coach",
    )
    assert "is added to the plan" in response.text

    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    names = [row.milestone.name for row in page.context["milestones"]]
    assert names == ["Kick-off", "Initial Skill Assessment"]
    assert "Not scheduled yet" in page.text


def test_a_milestone_needs_a_name(project_admin_client, plan):
    response = project_admin_client.post(
        reverse("milestones:create", args=[plan.pk]), {**SETTINGS, "name": ""}
    )
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert "This milestone evaluates" in response.text
    assert not Milestone.objects.exists()


def test_meeting_times_are_typed_in_the_plans_time_zone(client, plan, milestone):
    plan.time_zone = "Asia/Kolkata"
    plan.save()
    viewer = UserFactory(time_zone="America/New_York")
    plan.memberships.create(user=viewer, role="project_admin")
    client.force_login(viewer)

    response = client.post(
        reverse("milestones:meeting", args=[plan.pk, milestone.pk]),
        meeting(starts_at="2027-03-01T23:00", ends_at="2027-03-01T23:45"),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.starts_at == datetime.datetime(2027, 3, 1, 17, 30, tzinfo=datetime.UTC)
    form = client.get(reverse("milestones:meeting", args=[plan.pk, milestone.pk]))
    assert 'value="2027-03-01T23:00"' in form.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"starts_at": "2027-03-01T12:00", "ends_at": "2027-03-01T10:00"},
            "ends_at",
            "The session must end after it starts.",
        ),
        (
            {"starts_at": "2027-03-01T22:00", "ends_at": "2027-03-02T01:00"},
            "ends_at",
            "This is a single-day milestone: it must end on the day it starts.",
        ),
        ({"meeting_link": "ftp://files.example.com/x"}, "meeting_link", "Enter a full http"),
        ({"meeting_link": "zoom meeting"}, "meeting_link", "Enter a full http"),
        (
            {"meeting_link": "", "location": ""},
            "schedule",
            "A confirmed session needs a meeting link (online) or a location (offline).",
        ),
        (
            {"starts_at": "", "ends_at": ""},
            "schedule",
            "Set the start and end before confirming the session.",
        ),
        ({"ends_at": ""}, "ends_at", "Give the end as well as the start."),
    ],
)
def test_bad_meeting_details_are_refused_next_to_the_field(
    project_admin_client, plan, milestone, data, field, message
):
    response = project_admin_client.post(
        reverse("milestones:meeting", args=[plan.pk, milestone.pk]), meeting(**data)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert 'value="1234"' in response.text  # what was typed stays
    milestone.refresh_from_db()
    assert milestone.starts_at is None and milestone.passcode == ""


def test_an_offline_session_is_confirmed_with_a_location(project_admin_client, plan, milestone):
    project_admin_client.post(
        reverse("milestones:meeting", args=[plan.pk, milestone.pk]),
        meeting(meeting_link="", location="Room 2, Harbour Road"),
    )
    milestone.refresh_from_db()
    assert milestone.is_confirmed and milestone.location == "Room 2, Harbour Road"


def test_a_multi_day_event_may_end_on_a_later_day(project_admin_client, plan, milestone):
    milestone.multi_day = True
    milestone.save()
    project_admin_client.post(
        reverse("milestones:meeting", args=[plan.pk, milestone.pk]),
        meeting(starts_at="2027-03-01T09:00", ends_at="2027-03-02T17:00"),
    )
    milestone.refresh_from_db()
    assert milestone.ends_at.astimezone(LONDON).day == 2
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    assert "Mon 1 Mar 2027, 09:00 – Tue 2 Mar, 17:00" in page.text


def test_a_scheduled_multi_day_session_cannot_quietly_become_single_day(
    project_admin_client, plan, milestone
):
    milestone.multi_day = True
    milestone.starts_at = datetime.datetime(2027, 3, 1, 9, tzinfo=LONDON)
    milestone.ends_at = datetime.datetime(2027, 3, 2, 17, tzinfo=LONDON)
    milestone.save()
    response = project_admin_client.post(
        reverse("milestones:edit", args=[plan.pk, milestone.pk]), {**SETTINGS, "multi_day": "False"}
    )
    assert "scheduled over several days" in response.text
    milestone.refresh_from_db()
    assert milestone.multi_day is True


def test_status_shows_tentative_or_confirmed_and_upcoming_or_past(project_admin_client, plan):
    MilestoneFactory(
        plan=plan,
        name="Done",
        schedule="confirmed",
        starts_at=session_on(-3, zone=plan.time_zone)[0],
        ends_at=session_on(-3, zone=plan.time_zone)[1],
    )
    MilestoneFactory(
        plan=plan,
        name="Soon",
        schedule="tentative",
        starts_at=session_on(3, zone=plan.time_zone)[0],
        ends_at=session_on(3, zone=plan.time_zone)[1],
    )
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk])).text
    done, soon = page.split('data-testid="milestone-row"')[1:]
    assert "Confirmed" in done and "Past" in done
    assert "Tentative" in soon and "Upcoming" in soon


def test_milestones_are_reordered(project_admin_client, plan):
    first, second, third = (MilestoneFactory(plan=plan, order=n) for n in (0, 5, 5))
    project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, third.pk]), {"direction": "up"}
    )
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    order = [row.milestone.pk for row in page.context["milestones"]]
    assert order == [first.pk, third.pk, second.pk]

    project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, first.pk]), {"direction": "up"}
    )
    project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, first.pk]), {"direction": "down"}
    )
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    order = [row.milestone.pk for row in page.context["milestones"]]
    assert order == [third.pk, first.pk, second.pk]


def test_deleting_a_milestone_says_what_goes_with_it(project_admin_client, plan, milestone):
    from tests.factories import ActivityFactory, TrainerFactory

    ActivityFactory(milestone=milestone)
    ActivityFactory(milestone=milestone, phase="post")
    trainer = TrainerFactory(plan=plan)
    milestone.trainers.add(trainer)
    milestone.surveys.create(title="Feedback")

    page = project_admin_client.get(reverse("milestones:delete", args=[plan.pk, milestone.pk]))
    assert "2 pre- and post-session activities" in page.text
    assert "0 attendance records; 0 progress uploads" in visible_text(page)
    assert "1 survey" in visible_text(page)
    assert "trainer stays in the plan" in page.text
    assert Milestone.objects.filter(pk=milestone.pk).exists()

    project_admin_client.post(reverse("milestones:delete", args=[plan.pk, milestone.pk]))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    trainer.refresh_from_db()  # still there


def test_the_deletion_page_counts_what_participants_recorded(project_admin_client, plan, milestone):
    from tests.factories import (
        AttendanceFactory,
        PostActionFactory,
        ProgressUploadFactory,
        SurveyFactory,
    )

    day = datetime.date(2027, 3, 1)
    for _ in range(3):
        AttendanceFactory(milestone=milestone, day=day)
    ProgressUploadFactory.create_batch(2, milestone=milestone)
    PostActionFactory(milestone=milestone)
    survey = SurveyFactory(milestone=milestone, is_active=True)
    for _ in range(4):
        survey.responses.create(respondent=UserFactory())
    # Another milestone's records are not counted.
    other = MilestoneFactory(plan=plan)
    AttendanceFactory(milestone=other, day=day)
    ProgressUploadFactory(milestone=other)

    page = visible_text(
        project_admin_client.get(reverse("milestones:delete", args=[plan.pk, milestone.pk]))
    )
    assert (
        "0 pre- and post-session activities, with their files; "
        "3 attendance records; "
        "2 progress uploads, with their files; "
        "1 follow-up action, with any attachments; "
        "1 survey (one active, 4 responses); "
        "its meeting details."
    ) in page


def test_a_milestone_whose_survey_has_answers_is_deleted_with_them(
    project_admin_client, plan, milestone
):
    from surveys.models import Answer, Question, Response

    survey = milestone.surveys.create(title="Feedback", is_active=True)
    question = survey.questions.create(text="How was it?", type=Question.Type.OVERALL_RATING)
    response = Response.objects.create(survey=survey, respondent=UserFactory())
    Answer.objects.create(response=response, question=question, rating=4)

    page = project_admin_client.get(reverse("milestones:delete", args=[plan.pk, milestone.pk]))
    assert "1 survey (one active, 1 response)" in visible_text(page)
    project_admin_client.post(reverse("milestones:delete", args=[plan.pk, milestone.pk]))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert not Answer.objects.exists()

    # A whole plan goes the same way (platform admins delete plans in the admin site).
    other = MilestoneFactory(plan=plan)
    survey = other.surveys.create(title="Again")
    question = survey.questions.create(text="Again?", type=Question.Type.TEXT)
    response = Response.objects.create(survey=survey, respondent=UserFactory())
    Answer.objects.create(response=response, question=question, text="Yes")
    plan.delete()
    assert not Answer.objects.exists()


def test_a_name_another_milestone_of_the_plan_has_is_saved_with_a_warning(
    project_admin_client, plan
):
    MilestoneFactory(plan=plan, name="Kick-off", order=0)
    coaching = MilestoneFactory(plan=plan, name="Coaching session", order=1)
    MilestoneFactory(name="Coaching session 2")  # another plan's names do not count

    response = project_admin_client.post(
        reverse("milestones:create", args=[plan.pk]),
        {**SETTINGS, "name": "coaching  Session"},
        follow=True,
    )
    assert Milestone.objects.filter(plan=plan, name="coaching  Session").exists()
    assert "Milestone 2 of this plan is also called “Coaching session”." in visible_text(response)

    # The plan's list marks both, by each other's numbers.
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    assert [row.same_name_as for row in page.context["milestones"]] == [[], [3], [2]]
    assert "Same name as milestone 3" in visible_text(page)

    # Renaming one apart ends the warning; the form says it while the name repeats.
    edit = reverse("milestones:edit", args=[plan.pk, coaching.pk])
    assert "also called" in visible_text(project_admin_client.get(edit))
    response = project_admin_client.post(
        edit, {**SETTINGS, "name": "Coaching session 1", "based_on": ""}, follow=True
    )
    assert "The milestone's details are saved." in visible_text(response)
    assert "also called" not in visible_text(response)
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    assert [row.same_name_as for row in page.context["milestones"]] == [[], [], []]
    assert "also called" not in visible_text(project_admin_client.get(edit))


def test_renaming_a_milestone_to_a_name_in_use_saves_it_and_warns(project_admin_client, plan):
    MilestoneFactory(plan=plan, name="Kick-off", order=0)
    other = MilestoneFactory(plan=plan, name="Workshop", order=1)
    edit = reverse("milestones:edit", args=[plan.pk, other.pk])

    response = project_admin_client.post(
        edit, {**SETTINGS, "name": "Kick-off", "based_on": ""}, follow=True
    )
    other.refresh_from_db()
    assert other.name == "Kick-off"
    assert "Milestone 1 of this plan is also called “Kick-off”." in visible_text(response)

    # A form sent back for another reason warns of the name typed in it.
    response = project_admin_client.post(
        edit, {**SETTINGS, "name": "Kick-off", "kind": "nonsense", "based_on": ""}
    )
    assert response.status_code == 200
    assert "also called “Kick-off”" in visible_text(response)


def test_the_details_tab_names_the_milestones_trainers(project_admin_client, plan, milestone):
    from tests.factories import TrainerFactory

    details = reverse("milestones:detail", args=[plan.pk, milestone.pk])
    assert "Trainers None yet. Select trainers" in visible_text(project_admin_client.get(details))

    milestone.trainers.add(
        TrainerFactory(plan=plan, name="Theo Trainer", organisation="Lean Path"),
        TrainerFactory(plan=plan, name="Ada Coach", organisation=""),
    )
    TrainerFactory(plan=plan, name="Not On This One")
    page = visible_text(project_admin_client.get(details))
    assert "Trainers Ada Coach Theo Trainer (Lean Path) Change trainers" in page
    assert "Not On This One" not in page


def test_a_milestone_is_moved_to_a_numbered_position(project_admin_client, plan):
    a, _b, _c, d = (
        MilestoneFactory(plan=plan, order=n, name=name) for n, name in enumerate("ABCD")
    )
    move = reverse("milestones:move", args=[plan.pk, d.pk])
    response = project_admin_client.post(move, {"position": "2"})
    assert response["Location"].endswith(f"#milestone-{d.pk}")
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    assert [row.milestone.name for row in page.context["milestones"]] == ["A", "D", "B", "C"]
    assert list(plan.milestones.order_by("order").values_list("order", flat=True)) == [0, 1, 2, 3]

    # Past the end is the end; junk is no page, and moves nothing.
    project_admin_client.post(reverse("milestones:move", args=[plan.pk, a.pk]), {"position": "99"})
    for junk in ({"position": "0"}, {"position": "abc"}, {"direction": "sideways"}, {}):
        assert project_admin_client.post(move, junk).status_code == 404
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    assert [row.milestone.name for row in page.context["milestones"]] == ["D", "B", "C", "A"]
    # The list offers every position, the row's own selected.
    options = page.text.split(f'id="milestone-{d.pk}-position" name="position">')[1]
    assert options.split("</select>")[0].strip() == (
        '<option value="1" selected>1</option><option value="2">2</option>'
        '<option value="3">3</option><option value="4">4</option>'
    )
