"""A finished plan is archived: it leaves the menus, the home pages' current plans and the
periodic emails, stays readable under Past plans, cannot be changed until it is restored,
and says when and by whom it was archived."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bip import services
from bip.models import Plan
from milestones import services as milestone_services
from milestones.models import Activity, Milestone, Trainer
from milestones.notices.services import review_digests_send, session_reminders_send
from progress.services import nudges_send, plan_digests_send
from tests.factories import (
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    ProgressUploadFactory,
    SurveyFactory,
    TrainerFactory,
    UserFactory,
)
from tests.pages import links, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(plan):
    """Northwind ran from 100 days ago until 10 days ago."""
    today = timezone.localdate()
    plan.start_date = today - datetime.timedelta(days=100)
    plan.end_date = today - datetime.timedelta(days=10)
    plan.save()
    return plan


@pytest.fixture
def trainer(plan, milestone):
    """Theo runs the plan's milestone and has an account."""
    theo = TrainerFactory(plan=plan, name="Theo Trainer", user=UserFactory(display_name="Theo"))
    milestone.trainers.add(theo)
    return theo


def archive(plan, by) -> Plan:
    return services.plan_archive(plan=plan, archived_by=by)


def test_a_project_admin_archives_a_finished_plan_after_confirming_and_the_page_says_so(
    finished, milestone, project_admin, project_admin_client
):
    url = reverse("bip:archive", args=[finished.pk])
    assert "Archive “Northwind”?" in visible_text(project_admin_client.get(url))
    finished.refresh_from_db()
    assert finished.archived_at is None  # looking is not archiving

    response = project_admin_client.post(url, follow=True)

    finished.refresh_from_db()
    assert finished.archived_by == project_admin
    assert finished.archived_at is not None
    text = visible_text(response)
    assert "“Northwind” is archived" in text
    assert f"Archived on {timezone.localdate():%-d %B %Y} by Pam Admin" in text
    assert "Create milestone" not in text and "Restore" in text


def test_a_platform_admin_can_archive_any_finished_plan(finished, platform_admin_client):
    platform_admin_client.post(reverse("bip:archive", args=[finished.pk]))
    finished.refresh_from_db()
    assert finished.is_archived


def test_a_plan_still_running_cannot_be_archived_yet(plan, project_admin, project_admin_client):
    url = reverse("bip:archive", args=[plan.pk])
    page = visible_text(project_admin_client.get(url))
    assert "a plan can be archived once it has ended" in page
    assert "Archive plan" not in page

    response = project_admin_client.post(url, follow=True)

    assert "a plan can be archived once it has ended" in visible_text(response)
    plan.refresh_from_db()
    assert not plan.is_archived
    with pytest.raises(ValidationError):
        archive(plan, project_admin)


def test_archiving_twice_keeps_the_first_record(finished, project_admin, platform_admin):
    first = archive(finished, project_admin)
    again = archive(finished, platform_admin)
    assert (again.archived_at, again.archived_by) == (first.archived_at, project_admin)


def test_an_archived_plan_leaves_the_menu_and_the_current_plans_and_shows_under_past_plans(
    finished, project_admin, project_admin_client
):
    current = PlanMembershipFactory(
        role="project_admin", user=project_admin, plan__name="Southwind"
    ).plan
    archive(finished, project_admin)

    home = project_admin_client.get(reverse("home"))
    menu = home.content.decode().split('data-testid="nav-milestones"')[1].split("</ul>")[0]
    assert "Southwind" in menu and "Northwind" not in menu
    text = visible_text(home)
    current_plans, past_plans = text.split("Past plans")
    assert "Southwind" in current_plans and "Northwind" not in current_plans
    assert "Northwind" in past_plans
    assert links(home)["Northwind"] == reverse("milestones:plan", args=[finished.pk])

    plans = visible_text(project_admin_client.get(reverse("bip:list")))
    current_plans, past_plans = plans.split("Past plans")
    assert "Southwind" in current_plans and "Northwind" not in current_plans
    assert "Northwind" in past_plans and "by Pam Admin" in past_plans
    assert current.pk != finished.pk


def test_a_participant_finds_an_archived_plan_under_past_plans_and_can_still_read_it(
    finished, milestone, participant, participant_client, project_admin
):
    Milestone.objects.filter(pk=milestone.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=20, hours=2),
        ends_at=timezone.now() - datetime.timedelta(days=20),
    )
    archive(finished, project_admin)

    home = participant_client.get(reverse("home"))
    text = visible_text(home)
    assert "Waiting for you" not in text  # an archived plan asks nothing more
    assert "Your plans" not in text
    assert "Past plans" in text and "Participant" in text.split("Past plans")[1]
    assert links(home)["Northwind"] == reverse("progress:my_plan", args=[finished.pk])

    plan_page = participant_client.get(reverse("progress:my_plan", args=[finished.pk]))
    assert plan_page.status_code == 200
    assert "Archived on" in visible_text(plan_page)
    milestone_page = participant_client.get(
        reverse("progress:my_milestone", args=[finished.pk, milestone.pk])
    )
    assert milestone_page.status_code == 200
    assert "Initial Skill Assessment" in visible_text(milestone_page)


def test_a_trainer_finds_the_sessions_they_ran_under_past_plans(
    finished, milestone, trainer, project_admin, client
):
    archive(finished, project_admin)
    client.force_login(trainer.user)

    home = client.get(reverse("home"))

    text = visible_text(home)
    assert "Sessions you run" not in text
    past = text.split("Past plans")[1]
    assert "Northwind" in past and "Initial Skill Assessment" in past
    register = reverse("milestones:attendance", args=[finished.pk, milestone.pk])
    assert register in links(home).values()
    assert client.get(register).status_code == 200
    uploads = reverse("milestones:uploads_review", args=[finished.pk, milestone.pk])
    assert client.get(uploads).status_code == 200


def test_an_archived_plans_pages_stay_readable_without_edit_controls(
    finished, milestone, participant, project_admin, project_admin_client
):
    ProgressUploadFactory(milestone=milestone, participant=participant)
    survey = SurveyFactory(milestone=milestone, is_active=True)
    archive(finished, project_admin)
    pages = [
        reverse("milestones:plan", args=[finished.pk]),
        reverse("milestones:detail", args=[finished.pk, milestone.pk]),
        reverse("progress:dashboard", args=[finished.pk]),
        reverse("milestones:attendance", args=[finished.pk, milestone.pk]),
        reverse("milestones:uploads_review", args=[finished.pk, milestone.pk]),
        reverse("surveys:results", args=[finished.pk, milestone.pk, survey.pk]),
        reverse("bip:members", args=[finished.pk]),
    ]
    for url in pages:
        response = project_admin_client.get(url)
        assert response.status_code == 200, url
        assert "Archived on" in visible_text(response), url
    detail = visible_text(project_admin_client.get(pages[1]))
    assert "Edit" not in detail.split() and "Delete" not in detail.split()


def test_restoring_brings_the_plan_back_and_it_can_be_changed_again(
    finished, milestone, project_admin, project_admin_client
):
    archive(finished, project_admin)

    response = project_admin_client.post(reverse("bip:restore", args=[finished.pk]), follow=True)

    finished.refresh_from_db()
    assert finished.archived_at is None and finished.archived_by is None
    text = visible_text(response)
    assert "“Northwind” is restored" in text and "Archived on" not in text
    menu = response.content.decode().split('data-testid="nav-milestones"')[1]
    assert "Northwind" in menu.split("</ul>")[0]
    milestone.name = "Renamed"
    milestone_services.milestone_save(milestone=milestone)


# Read-only while archived


@pytest.fixture
def archived(finished, milestone, project_admin):
    archive(finished, project_admin)
    return Plan.objects.get(pk=finished.pk)


def fresh(milestone) -> Milestone:
    return Milestone.objects.select_related("plan").get(pk=milestone.pk)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: milestone_services.milestone_save(milestone=m), id="milestone_save"),
        pytest.param(
            lambda m: milestone_services.milestone_create(
                milestone=Milestone(plan=m.plan, name="New one")
            ),
            id="milestone_create",
        ),
        pytest.param(
            lambda m: milestone_services.milestone_move(milestone=m, direction="up"),
            id="milestone_move",
        ),
        pytest.param(lambda m: milestone_services.milestone_delete(milestone=m), id="delete"),
        pytest.param(
            lambda m: milestone_services.trainer_save(trainer=Trainer(plan=m.plan, name="T")),
            id="trainer_save",
        ),
        pytest.param(
            lambda m: milestone_services.activity_save(
                activity=Activity(
                    milestone=m, phase="pre", title="R", upload_type="link", url="https://x.io"
                )
            ),
            id="activity_save",
        ),
        pytest.param(
            lambda m: milestone_services.plan_schedule_shift(plan=m.plan, days=7), id="shift"
        ),
        pytest.param(lambda m: services.plan_save(plan=m.plan), id="plan_save"),
    ],
)
def test_every_way_of_changing_an_archived_plan_is_refused_with_a_clear_message(
    archived, milestone, change
):
    with pytest.raises(ValidationError) as refused:
        change(fresh(milestone))
    assert Plan.ARCHIVED_MESSAGE in refused.value.messages
    assert Milestone.objects.filter(plan=archived).count() == 1
    assert not Trainer.objects.exists() and not Activity.objects.exists()


def test_the_meeting_form_of_an_archived_plan_says_why_it_cannot_be_saved(
    archived, milestone, project_admin_client
):
    response = project_admin_client.post(
        reverse("milestones:meeting", args=[archived.pk, milestone.pk]),
        {"schedule": "tentative", "meeting_link": "https://meet.example.com/new"},
    )
    assert response.status_code == 200
    assert Plan.ARCHIVED_MESSAGE in visible_text(response)
    assert fresh(milestone).meeting_link == "https://meet.example.com/cairn-session"


def test_deleting_a_milestone_of_an_archived_plan_is_refused_with_a_message(
    archived, milestone, project_admin_client
):
    response = project_admin_client.post(
        reverse("milestones:delete", args=[archived.pk, milestone.pk]), follow=True
    )
    assert Plan.ARCHIVED_MESSAGE in visible_text(response)
    assert Milestone.objects.filter(pk=milestone.pk).exists()


# The periodic jobs leave archived plans alone

LONDON = ZoneInfo("Europe/London")


def at(day, hour=12):
    return datetime.datetime(2027, 3, day, hour, tzinfo=LONDON)


@pytest.fixture
def running_but_archived(plan, milestone, participant, project_admin, trainer):
    """A plan whose dates say it runs through March 2027, archived all the same (say, a
    cohort called off), with a confirmed session on 3 March and everything waiting for
    someone: an upload to review, a follow-up action and a survey to answer."""
    plan.start_date, plan.end_date = datetime.date(2027, 2, 1), datetime.date(2027, 3, 31)
    plan.save()
    Milestone.objects.filter(pk=milestone.pk).update(
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=at(3, 10),
        ends_at=at(3, 12),
        upload_progress=Milestone.UploadProgress.MANDATORY,
        post_action_required=True,
    )
    SurveyFactory(milestone=milestone, is_active=True)
    ProgressUploadFactory(milestone=milestone, participant=participant)
    Plan.objects.filter(pk=plan.pk).update(archived_at=at(1, 9), archived_by=project_admin)
    return plan


@pytest.mark.parametrize(
    ("job", "when"),
    [
        (session_reminders_send, at(2, 11)),  # the day before
        (session_reminders_send, at(3, 9)),  # an hour before
        (nudges_send, at(4, 12)),
        (plan_digests_send, at(4, 9)),
        (review_digests_send, at(4, 9)),
    ],
)
def test_the_periodic_jobs_send_nothing_about_an_archived_plan(
    running_but_archived, job, when, django_capture_on_commit_callbacks
):
    with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert job() == 0
    assert mail.outbox == []


def test_once_restored_the_periodic_jobs_write_again(
    running_but_archived, django_capture_on_commit_callbacks
):
    services.plan_restore(plan=running_but_archived)
    with (
        time_machine.travel(at(4, 12), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert nudges_send() > 0


# Query counts


def test_the_archive_page_the_plans_list_and_the_home_page_run_a_fixed_number_of_queries(
    finished, project_admin, participant, client, django_assert_num_queries
):
    archive(finished, project_admin)

    def add_past_plans(count):
        for _ in range(count):
            past = PlanFactory(
                start_date=finished.start_date,
                end_date=finished.end_date,
                archived_at=timezone.now(),
                archived_by=project_admin,
            )
            PlanMembershipFactory(plan=past, user=project_admin, role="project_admin")
            PlanMembershipFactory(plan=past, user=participant)
            MilestoneFactory(plan=past).trainers.add(TrainerFactory(plan=past, user=participant))

    urls = [
        (project_admin, reverse("bip:archive", args=[finished.pk])),
        (project_admin, reverse("bip:list")),
        (project_admin, reverse("home")),
        (participant, reverse("home")),
    ]
    add_past_plans(1)
    counts = {}
    for person, url in urls:
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[person.pk, url] = len(queries)
    add_past_plans(6)
    for person, url in urls:
        client.force_login(person)
        with django_assert_num_queries(counts[person.pk, url]):
            client.get(url)
