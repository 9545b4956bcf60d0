"""Management pages run a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    MilestoneFactory,
    PostActionFactory,
    ProgressUploadFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def pages(plan, milestone):
    return [
        reverse("milestones:plan", args=[plan.pk]),
        reverse("milestones:detail", args=[plan.pk, milestone.pk]),
        reverse("milestones:milestone_trainers", args=[plan.pk, milestone.pk]),
        reverse("milestones:activities", args=[plan.pk, milestone.pk, "pre"]),
        reverse("milestones:activities", args=[plan.pk, milestone.pk, "post"]),
        reverse("milestones:trainers", args=[plan.pk]),
        reverse("milestones:delete", args=[plan.pk, milestone.pk]),
    ]


def add_rows(plan, milestone, count):
    for _ in range(count):
        other = MilestoneFactory(plan=plan)
        trainer = TrainerFactory(plan=plan)
        milestone.trainers.add(trainer)
        other.trainers.add(trainer)
        ActivityFactory(milestone=milestone, phase="pre")
        ActivityFactory(milestone=milestone, phase="post")
        ActivityFactory(milestone=other)
        other.surveys.create(title="Feedback")
        # What the deletion page counts for the milestone.
        AttendanceFactory(milestone=milestone, day=datetime.date(2027, 3, 1))
        ProgressUploadFactory(milestone=milestone)
        PostActionFactory(milestone=milestone)
        milestone.surveys.create(title="Feedback").responses.create(respondent=UserFactory())


def test_query_counts_do_not_grow_with_rows(
    project_admin_client, plan, milestone, django_assert_num_queries
):
    add_rows(plan, milestone, 1)
    baseline = {}
    for url in pages(plan, milestone):
        with CaptureQueriesContext(connection) as queries:
            assert project_admin_client.get(url).status_code == 200
        baseline[url] = len(queries)
    add_rows(plan, milestone, 12)
    for url in pages(plan, milestone):
        with django_assert_num_queries(baseline[url]):
            project_admin_client.get(url)
