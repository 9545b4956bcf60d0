import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from milestones.models import ActivityView
from tests.factories import (
    ActivityFactory,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    UserFactory,
    session_on,
)
from tests.pages import all_controls, controls, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(plan, client):
    membership = PlanMembershipFactory(
        plan=plan,
        user__time_zone="Asia/Kolkata",
        joined_at=timezone.now() - datetime.timedelta(days=60),
    )
    client.force_login(membership.user)
    return membership.user


def scheduled(plan, *, in_days, **settings):
    starts, ends = session_on(in_days, zone=plan.time_zone)
    return MilestoneFactory(plan=plan, starts_at=starts, ends_at=ends, **settings)


def test_home_shows_the_next_session_what_waits_and_progress(client, plan, me):
    past = scheduled(
        plan, in_days=-7, name="Kick-off", post_action_required=True, schedule="confirmed"
    )
    upcoming = scheduled(
        plan,
        in_days=3,
        name="Workshop",
        schedule="confirmed",
        meeting_link="https://meet.example.com/w",
        passcode="4242",
    )
    ActivityFactory(milestone=upcoming, title="Read this first")
    ActivityFactory(milestone=past, title="Old reading")
    page = client.get(reverse("home"))
    assert (
        "Workshop" in page.text
        and "https://meet.example.com/w" in page.text
        and "4242" in page.text
    )
    local = upcoming.starts_at.astimezone(
        datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    )
    assert local.strftime("%H:%M") in page.text  # in the participant's own zone
    waiting = page.text.split('data-testid="home-waiting"')[1].split("</ul>")[0]
    assert "Review “Read this first” before the session" in waiting
    assert "Submit your follow-up action" in waiting
    assert "Old reading" not in waiting
    assert "0 of 2 complete" in page.text


def test_home_queries_stay_fixed_with_more_plans(client, plan, me, django_assert_num_queries):
    ActivityFactory(milestone=scheduled(plan, in_days=4))
    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse("home"))
    for _ in range(3):
        membership = PlanMembershipFactory(user=me)
        scheduled(membership.plan, in_days=2)
        ActivityFactory(milestone=scheduled(membership.plan, in_days=4))
    with django_assert_num_queries(len(baseline)):
        client.get(reverse("home"))


def test_the_plan_page_lists_milestones_with_their_state(client, plan, me):
    scheduled(plan, in_days=-3, name="Held")
    scheduled(plan, in_days=5, name="Ahead")
    page = client.get(reverse("progress:my_plan", args=[plan.pk]))
    assert page.status_code == 200
    text = page.text.split('data-testid="my-milestone"', 1)[1]
    assert text.index("Held") < text.index("Ahead")
    assert "Missing" in text and "Not due yet" in text


def test_the_milestone_page_has_what_a_participant_needs(client, plan, me):
    milestone = scheduled(
        plan,
        in_days=1,
        name="Coaching",
        schedule="tentative",
        location="Room 2",
        upload_progress="mandatory",
        post_action_required=True,
    )
    ActivityFactory(milestone=milestone, phase="pre", title="Prep notes")
    ActivityFactory(milestone=milestone, phase="post", title="Follow-up notes")
    page = client.get(reverse("progress:my_milestone", args=[plan.pk, milestone.pk]))
    assert page.status_code == 200
    for text in (
        "Room 2",
        "Tentative",
        "Prep notes",
        "Follow-up notes",
        "An accepted progress upload",
        "A validated follow-up action",
        "Attend the session",
    ):
        assert text in page.text, text


def test_opening_an_activity_is_recorded_once(client, plan, me):
    activity = ActivityFactory(
        milestone=scheduled(plan, in_days=2), url="https://lean.example.com/read"
    )
    url = reverse("milestones:activity_open", args=[plan.pk, activity.pk])
    assert client.get(url).status_code == 405  # opening records something: a POST
    response = client.post(url)
    assert response["Location"] == "https://lean.example.com/read"
    client.post(url)
    assert ActivityView.objects.filter(activity=activity, participant=me).count() == 1
    page = client.get(reverse("progress:my_milestone", args=[plan.pk, activity.milestone.pk]))
    assert "Opened" in page.text


@pytest.mark.parametrize("who", ["project admin", "other participant", "outsider"])
def test_participant_pages_are_for_the_plans_participants(client, plan, who):
    milestone = scheduled(plan, in_days=2)
    activity = ActivityFactory(milestone=milestone)
    person = {
        "project admin": PlanMembershipFactory(plan=plan, role="project_admin").user,
        "other participant": PlanMembershipFactory().user,
        "outsider": UserFactory(),
    }[who]
    client.force_login(person)
    for url in (
        reverse("progress:my_plan", args=[plan.pk]),
        reverse("progress:my_milestone", args=[plan.pk, milestone.pk]),
    ):
        assert client.get(url).status_code == 404, (who, url)
    opening = reverse("milestones:activity_open", args=[plan.pk, activity.pk])
    assert client.post(opening).status_code == 404
    assert not ActivityView.objects.exists()


def test_a_milestone_of_another_plan_is_404(client, plan, me):
    other = scheduled(PlanFactory(), in_days=2)
    assert client.get(reverse("progress:my_milestone", args=[plan.pk, other.pk])).status_code == 404


def test_a_trainer_with_an_account_finds_their_sessions_on_the_home_page(client, plan):
    from tests.factories import TrainerFactory

    trainer_user = UserFactory()
    trainer = TrainerFactory(plan=plan, user=trainer_user)
    mine = scheduled(plan, in_days=2, name="Coaching I run")
    mine.trainers.add(trainer)
    scheduled(plan, in_days=3, name="Someone else's session")
    client.force_login(trainer_user)
    page = client.get(reverse("home"))
    assert "Coaching I run" in page.text and "Someone else" not in page.text
    register = reverse("milestones:attendance", args=[plan.pk, mine.pk])
    assert register in page.text
    assert client.get(register).status_code == 200


def test_waiting_asks_for_a_follow_up_only_once_the_session_has_started(client, plan, me):
    MilestoneFactory(plan=plan, name="Not dated yet", post_action_required=True)
    scheduled(plan, in_days=3, name="Still ahead", post_action_required=True)
    scheduled(plan, in_days=-2, name="Held", post_action_required=True)
    page = client.get(reverse("progress:my_plan", args=[plan.pk]))
    waiting = page.text.split('data-testid="waiting"')[1].split("</ul>")[0]
    assert "Held" in waiting
    assert "Not dated yet" not in waiting and "Still ahead" not in waiting


def test_what_follows_a_session_ahead_says_when_it_opens(client, plan, me):
    milestone = scheduled(plan, in_days=2, post_action_required=True)
    ActivityFactory(milestone=milestone, phase="post", title="Slides from the day")
    page = client.get(reverse("progress:my_milestone", args=[plan.pk, milestone.pk]))
    text = visible_text(page)
    local = milestone.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))
    when = f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
    opens = f"Opens when the session starts, {when} (Asia/Kolkata)."
    assert text.count(opens) >= 2  # the follow-up action and the material after the session
    assert "Slides from the day" in text
    assert not controls(page, "text")  # no follow-up form yet
    opening = reverse("milestones:activity_open", args=[plan.pk, milestone.activities.get().pk])
    assert opening not in page.text


def test_the_to_do_list_comes_before_the_rest_of_the_milestone_page(client, plan, me):
    milestone = scheduled(plan, in_days=-1, upload_progress="mandatory", post_action_required=True)
    page = client.get(reverse("progress:my_milestone", args=[plan.pk, milestone.pk])).text
    main = page.split('id="main"', 1)[1]
    assert main.index("To complete this milestone") < main.index('id="session-heading"')
    assert 'class="col-xl-4 order-xl-last"' in main  # beside the page on a wide screen


def test_every_id_on_the_milestone_page_is_unique_and_every_label_finds_its_control(
    client, plan, me
):
    milestone = scheduled(plan, in_days=-1, upload_progress="optional", post_action_required=True)
    page = client.get(reverse("progress:my_milestone", args=[plan.pk, milestone.pk]))
    ids = re.findall(r'\sid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    files = [c for c in all_controls(page) if c.get("type") == "file"]
    assert len(files) == 2
    labels = re.findall(r'<label[^>]*\sfor="([^"]+)"', page.text)
    assert labels
    for target in labels:
        assert ids.count(target) == 1, target
    for control in files:
        assert control["id"] in labels


def test_the_menu_links_to_each_plan_a_participant_takes_part_in(client, plan, me):
    other = PlanMembershipFactory(user=me, plan__name="Second cohort").plan
    PlanMembershipFactory(user=me, plan__name="Long over", plan__archived_at=timezone.now())
    menu = client.get(reverse("home")).text.split('data-testid="nav-my-plans"')[1].split("</ul>")[0]
    assert reverse("progress:my_plan", args=[plan.pk]) in menu
    assert reverse("progress:my_plan", args=[other.pk]) in menu
    assert "Long over" not in menu
