"""A programme of 30 milestones, each with a session, a trainer, a file and a link, and a
survey of three questions: created in one transaction, in as many queries as one of 3."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bip.models import Plan
from milestones.models import Activity, Milestone
from programmes.selectors import Programme
from programmes.services import plan_start, template_save
from surveys.models import Option, Question, Survey
from tests.factories import (
    ActivityFactory,
    McqQuestionFactory,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    QuestionFactory,
    SurveyFactory,
    TrainerFactory,
    UserFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db
ZONE = zoneinfo.ZoneInfo("Europe/London")


def programme_plan(milestones: int) -> Plan:
    start = datetime.date(2026, 9, 7)
    plan = PlanFactory(start_date=start, end_date=start + datetime.timedelta(days=7 * milestones))
    for number in range(milestones):
        day = start + datetime.timedelta(days=7 * number)
        starts = datetime.datetime.combine(day, datetime.time(9), ZONE)
        milestone = MilestoneFactory(
            plan=plan, order=number, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
        )
        milestone.trainers.add(TrainerFactory(plan=plan))
        ActivityFactory(milestone=milestone, upload_type="file", url="", file=pdf_file("a.pdf"))
        ActivityFactory(milestone=milestone, phase="post")
        survey = SurveyFactory(milestone=milestone, is_active=True)
        McqQuestionFactory(survey=survey)
        QuestionFactory(survey=survey, type="RATING")
        QuestionFactory(survey=survey, type="OVERALL_TEXT_BASED_RESPONSE")
    return plan


def start(template, name="New cohort"):
    return plan_start(
        programme=Programme.from_json(template.content),
        name=name,
        start_date=datetime.date(2027, 1, 4),
        time_zone="Europe/London",
    )


def test_a_large_programme_is_created_in_as_many_queries_as_a_small_one():
    admin = UserFactory()
    small = template_save(plan=programme_plan(3), name="S", with_trainers=True, created_by=admin)
    large = template_save(plan=programme_plan(30), name="L", with_trainers=True, created_by=admin)
    with CaptureQueriesContext(connection) as few:
        start(small, "Small")
    with CaptureQueriesContext(connection) as many:
        plan = start(large, "Large")
    assert len(many) == len(few) <= 25
    assert plan.milestones.count() == 30
    assert Activity.objects.filter(milestone__plan=plan).count() == 60
    assert Survey.objects.filter(milestone__plan=plan, is_active=True).count() == 30
    assert Question.objects.filter(survey__milestone__plan=plan).count() == 90
    assert Option.objects.filter(question__survey__milestone__plan=plan).count() == 90
    assert plan.trainers.count() == 30


def test_saving_a_large_plan_as_a_template_takes_as_many_queries_as_a_small_one():
    admin = UserFactory()
    small, large = programme_plan(3), programme_plan(30)
    with CaptureQueriesContext(connection) as few:
        template_save(plan=small, name="S", with_trainers=True, created_by=admin)
    with CaptureQueriesContext(connection) as many:
        template_save(plan=large, name="L", with_trainers=True, created_by=admin)
    assert len(many) == len(few) <= 12


def test_the_copy_preview_runs_in_a_fixed_number_of_queries(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    params = {"name": "Again", "start_date": "2027-01-04", "time_zone": "Europe/London"}
    counts = []
    for size in (3, 30):
        url = reverse("programmes:copy", args=[programme_plan(size).pk])
        client.get(url, params)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, params)
        assert page.text.count('data-testid="calendar-row"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_start_preview_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    template = template_save(
        plan=programme_plan(30), name="L", with_trainers=True, created_by=staff
    )
    url = reverse("programmes:start")
    params = {"template": template.pk, "name": "N", "start_date": "2027-01-04", "time_zone": "UTC"}
    client.get(url, params)
    with django_assert_max_num_queries(12):
        assert client.get(url, params).status_code == 200


def test_a_failure_late_in_the_creation_leaves_no_plan_and_no_files(monkeypatch, tmp_path):
    from django.core.files.storage import default_storage

    admin = UserFactory()
    template = template_save(
        plan=programme_plan(30), name="L", with_trainers=True, created_by=admin
    )
    plans, milestones = Plan.objects.count(), Milestone.objects.count()
    _, files_before = default_storage.listdir(f"activities/{datetime.date.today():%Y/%m}")

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("programmes.services.surveys_build", broken)
    with pytest.raises(RuntimeError):
        start(template)
    assert (Plan.objects.count(), Milestone.objects.count()) == (plans, milestones)
    _, files_after = default_storage.listdir(f"activities/{datetime.date.today():%Y/%m}")
    assert sorted(files_after) == sorted(files_before)


def test_starting_a_template_needs_the_admin_who_saved_it_not_its_plan():
    admin = PlanMembershipFactory(role="project_admin").user
    plan = programme_plan(2)
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    plan.delete()
    assert start(template).milestones.count() == 2
