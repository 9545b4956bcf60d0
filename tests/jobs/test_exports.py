"""A big CSV export is written in the background, and holds exactly what the direct download
gives; a small one still downloads at once."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from tests.downloads import downloaded
from tests.factories import (
    AnswerFactory,
    McqQuestionFactory,
    MilestoneFactory,
    PlanMembershipFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    session_on,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def cohort(plan):
    for name in ["Kick-off", "Workshop", "Review"]:
        starts, ends = session_on(-3, hours=1, zone=plan.time_zone)
        MilestoneFactory(plan=plan, name=name, starts_at=starts, ends_at=ends)
    for name in ["Ada", "Bob", "=Cleo", "Dev"]:
        PlanMembershipFactory(
            plan=plan,
            user__display_name=name,
            joined_at=timezone.now() - datetime.timedelta(days=30),
        )


@pytest.fixture
def small_exports_only(settings):
    """Every export counts as big, so each goes through a job."""
    settings.CSV_INSTANT_CELLS = 0


def direct(client, url, params=None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content


def test_a_small_plans_progress_downloads_at_once(project_admin_client, plan, cohort):
    page = project_admin_client.get(reverse("progress:dashboard", args=[plan.pk]))
    assert "?format=csv" in page.text
    assert reverse("progress:export", args=[plan.pk]) not in page.text


def test_a_big_plans_progress_csv_is_prepared_in_the_background_with_the_same_content(
    project_admin_client, plan, cohort, small_exports_only, run_on_commit
):
    url = reverse("progress:dashboard", args=[plan.pk])
    page = project_admin_client.get(url, {"status": "missing"})
    export = reverse("progress:export", args=[plan.pk])
    assert f'action="{export}"' in page.text
    assert '<input type="hidden" name="status" value="missing">' in page.text

    with time_machine.travel(timezone.now(), tick=False):
        with run_on_commit():
            response = project_admin_client.post(export, {"status": "missing", "milestone": ""})
        expected = direct(project_admin_client, url, {"status": "missing", "format": "csv"})

    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.done, job.total) == ("progress_csv", "done", 4, 4)
    page = project_admin_client.get(response["Location"])
    text = visible_text(page)
    assert "Progress CSV of Northwind is finished: 4 rows, ready to download." in text
    assert "Download northwind-progress.csv" in text

    content, disposition = downloaded(project_admin_client, reverse("jobs:download", args=[job.pk]))
    assert content == expected
    assert 'filename="northwind-progress.csv"' in disposition
    # A name a spreadsheet would take for a formula is written as text in the file too.
    assert any(line.startswith("'=Cleo,") for line in content.decode("utf-8").splitlines())


def test_a_big_surveys_results_csv_matches_the_direct_download_in_the_starters_time_zone(
    client, plan, project_admin, small_exports_only, run_on_commit
):
    project_admin.time_zone = "Asia/Kolkata"
    project_admin.save()
    client.force_login(project_admin)
    milestone = MilestoneFactory(plan=plan)
    survey = SurveyFactory(milestone=milestone, title="Workshop feedback", is_active=True)
    choice = McqQuestionFactory(survey=survey, text="Pace?")
    comment = QuestionFactory(survey=survey, text="Anything else?")
    for name in ["Ada", "Bob", "Cleo"]:
        respondent = PlanMembershipFactory(plan=plan, user__display_name=name).user
        response = ResponseFactory(survey=survey, respondent=respondent)
        AnswerFactory(response=response, question=choice, option=choice.options.first(), text="")
        AnswerFactory(response=response, question=comment, text=f"+ more from {name}")
    args = [plan.pk, milestone.pk, survey.pk]

    page = client.get(reverse("surveys:results", args=args))
    assert f'action="{reverse("surveys:results_export", args=args)}"' in page.text
    with run_on_commit():
        started = client.post(reverse("surveys:results_export", args=args))
    job = Job.objects.get()
    assert started["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.summary) == ("survey_results_csv", "done", {"rows": 3})

    content, _ = downloaded(client, reverse("jobs:download", args=[job.pk]))
    assert content == direct(client, reverse("surveys:results_csv", args=args))
    assert b"+05:30" in content


def test_an_export_for_someone_no_longer_managing_the_plan_fails_and_says_why(
    client, plan, project_admin, cohort, small_exports_only, django_capture_on_commit_callbacks
):
    client.force_login(project_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("progress:export", args=[plan.pk]))
    plan.memberships.filter(user=project_admin).update(role="participant")
    for callback in queued:
        callback()

    job = Job.objects.get()
    assert job.state == "failed"
    assert not job.file
    page = visible_text(client.get(reverse("jobs:detail", args=[job.pk])))
    assert "You no longer manage this plan, so its progress cannot be exported for you." in page


def test_the_export_file_is_for_its_starter_the_plans_managers_and_staff(
    client, plan, project_admin, cohort, small_exports_only, run_on_commit
):
    other_admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    elsewhere_admin = PlanMembershipFactory(role="project_admin").user
    participant = plan.memberships.filter(role="participant").first().user
    client.force_login(project_admin)
    with run_on_commit():
        client.post(reverse("progress:export", args=[plan.pk]))
    job = Job.objects.get()
    urls = [reverse("jobs:detail", args=[job.pk]), reverse("jobs:download", args=[job.pk])]

    for person, allowed in [
        (project_admin, True),
        (other_admin, True),
        (elsewhere_admin, False),
        (participant, False),
    ]:
        client.force_login(person)
        for url in urls:
            assert (client.get(url).status_code != 404) is allowed, (person, url)
    # Its starter keeps seeing what they started after leaving the plan's admins.
    plan.memberships.filter(user=project_admin).delete()
    client.force_login(project_admin)
    assert client.get(urls[0]).status_code == 200
