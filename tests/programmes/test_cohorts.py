"""Plans started from one template are cohorts of one programme: each remembers where it
came from, and the template's Cohorts page sets them side by side."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bip.services import plan_archive
from milestones.models import Milestone
from programmes.models import PlanOrigin
from programmes.selectors import Programme, cohort_comparison
from programmes.services import plan_copy, plan_start, template_save
from tests.factories import (
    AnswerFactory,
    AttendanceFactory,
    PlanMembershipFactory,
    PostActionFactory,
    ProgressUploadFactory,
    ResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2025, 1, 1))


def cohort(template, start, name="Operations Excellence, summer"):
    """A plan started from the template, its dated sessions confirmed as its admins would."""
    plan = plan_start(
        programme=Programme.from_json(template.content),
        template=template,
        name=name,
        start_date=start,
        time_zone="Europe/London",
    )
    Milestone.objects.filter(plan=plan, starts_at__isnull=False).update(schedule="confirmed")
    return plan


def participants(plan, count):
    return [PlanMembershipFactory(plan=plan, joined_at=LONG_AGO).user for _ in range(count)]


def attended(milestone, person, days):
    for session_day in milestone.session_days()[:days]:
        AttendanceFactory(milestone=milestone, participant=person, day=session_day.day)


@pytest.fixture
def template(source):
    plan, admin = source
    return template_save(
        plan=plan, name="Operations Excellence", with_trainers=True, created_by=admin
    )


@pytest.fixture
def summer(template):
    """An earlier cohort, finished and archived: one participant did everything, the other
    only came to some of the sessions."""
    plan = cohort(template, datetime.date(2026, 6, 1))
    ada, bo = participants(plan, 2)
    workshop = plan.milestones.get(name="Lean workshop")
    review = plan.milestones.get(name="Assessment days")
    attended(workshop, ada, 1)
    attended(workshop, bo, 1)
    ProgressUploadFactory(milestone=workshop, participant=ada, status="accepted")
    PostActionFactory(milestone=workshop, participant=ada, validated_at=workshop.ends_at)
    attended(review, ada, 3)
    attended(review, bo, 1)
    survey = review.surveys.get(is_active=True)
    response = ResponseFactory(survey=survey, respondent=ada)
    AnswerFactory(response=response, question=survey.questions.get(text="Rate it"), rating=7)
    AnswerFactory(response=response, question=survey.questions.get(text="Overall"), rating=4)
    plan_archive(plan=plan, archived_by=UserFactory(is_staff=True))
    return plan


def test_a_plan_started_from_a_template_remembers_it_and_its_copies_join_the_cohorts(
    template, staff
):
    started = cohort(template, datetime.date(2027, 1, 4), name="Winter")
    assert PlanOrigin.objects.get(plan=started).template == template

    copy = plan_copy(
        plan=started, name="Winter again", start_date=datetime.date(2027, 5, 3), time_zone="UTC"
    )
    origin = PlanOrigin.objects.get(plan=copy)
    assert (origin.template, origin.copied_from) == (template, started)


def test_a_copy_of_a_plan_from_no_template_records_only_the_plan(source):
    plan, _ = source
    copy = plan_copy(plan=plan, name="Again", start_date=datetime.date(2027, 5, 3), time_zone="UTC")
    origin = PlanOrigin.objects.get(plan=copy)
    assert (origin.template, origin.copied_from) == (None, plan)


def test_the_cohorts_page_sets_each_plans_figures_side_by_side(client, source, template, summer):
    plan, _ = source
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("programmes:cohorts", args=[template.pk]))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    # Oldest first: the archived summer cohort, then the plan the template was saved from.
    assert [c.plan for c in comparison.cohorts] == [summer, plan]
    first, saved_from = comparison.cohorts
    assert (first.participant_count, saved_from.participant_count) == (2, 1)
    # Workshop (1 day) and assessment (3 days) were confirmed and held: 8 days expected.
    assert (first.attendance.count, first.attendance.total) == (6, 8)
    assert first.attendance.percent == 75
    workshop, review, closing = comparison.milestones
    assert [(s.count, s.total) for s in [workshop.completion[0], review.completion[0]]] == [
        (1, 2),
        (1, 2),
    ]
    assert closing.completion[0].count == 0
    feedback, old = comparison.surveys
    assert (feedback.title, old.title) == ("Assessment feedback", "Old survey")
    assert old.cells[0].score.rating_average is None
    # A 7 of 7 is five stars; with a 4-star overall rating that averages 4.5.
    assert feedback.cells[0].score.rating_average == 4.5
    assert feedback.cells[0].response_rate == 50
    assert "Archived" in response.text and "Saved as this template" in response.text


def test_a_milestone_renamed_in_a_plan_is_still_matched_by_its_place(template, summer, staff):
    summer.milestones.filter(name="Lean workshop").update(name="Lean workshop (in person)")
    comparison = cohort_comparison(template, staff)
    workshop = comparison.milestones[0]
    assert workshop.completion[0] is not None and workshop.completion[0].count == 1


def test_a_milestone_a_plan_dropped_shows_as_missing(template, summer, staff):
    summer.milestones.filter(name="Closing review").delete()
    comparison = cohort_comparison(template, staff)
    assert comparison.milestones[2].completion[0] is None


def test_project_admins_compare_only_the_plans_they_manage(client, source, template, summer):
    plan, admin = source
    client.force_login(admin)
    response = client.get(reverse("programmes:cohorts", args=[template.pk]))
    assert [c.plan for c in response.context["comparison"].cohorts] == [plan]
    assert summer.name not in response.text

    PlanMembershipFactory(plan=summer, user=admin, role="project_admin")
    response = client.get(reverse("programmes:cohorts", args=[template.pk]))
    assert [c.plan for c in response.context["comparison"].cohorts] == [summer, plan]


def test_the_cohorts_page_is_not_found_for_anyone_else(client, source, template, summer):
    plan, _ = source
    url = reverse("programmes:cohorts", args=[template.pk])
    participant = plan.memberships.get(role="participant").user
    colleague = PlanMembershipFactory(plan=plan, role="project_admin").user
    for person in (participant, colleague, UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_the_plans_of_a_template_link_to_its_cohorts(client, source, template, summer, staff):
    client.force_login(staff)
    link = reverse("programmes:cohorts", args=[template.pk])
    assert link in client.get(reverse("milestones:plan", args=[summer.pk])).text
    assert link in client.get(reverse("programmes:list")).text
    plan, admin = source
    client.force_login(admin)
    assert link in client.get(reverse("milestones:plan", args=[plan.pk])).text


def test_the_cohorts_page_costs_the_same_however_many_plans_and_people(
    client, template, summer, django_assert_num_queries
):
    client.force_login(UserFactory(is_staff=True))
    url = reverse("programmes:cohorts", args=[template.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        plan = cohort(template, datetime.date(2026, 7, 6 + n), name=f"Cohort {n}")
        for person in participants(plan, 4):
            workshop = plan.milestones.get(name="Lean workshop")
            attended(workshop, person, 1)
            review = plan.milestones.get(name="Assessment days")
            ResponseFactory(survey=review.surveys.get(is_active=True), respondent=person)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200
    assert len(client.get(url).context["comparison"].cohorts) == 5
