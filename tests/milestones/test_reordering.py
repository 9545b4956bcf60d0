"""Rows dragged to a new place: milestones in their plan and activities in their milestone's
phase. The page's script posts the place it was dropped at to the row's move address, as the
"Move to" form does, and reads the order as saved from the answer; the move service alone
decides what is allowed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bip.models import Plan
from milestones import services
from milestones.models import Activity, Milestone
from tests.factories import ActivityFactory, MilestoneFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

# What the page's script sends; a form sends a browser's usual Accept header.
SCRIPT = {"headers": {"Accept": "application/json"}}


def milestones_in(plan) -> list[str]:
    return list(plan.milestones.order_by("order", "pk").values_list("name", flat=True))


def activities_in(milestone, phase="pre") -> list[str]:
    return list(
        milestone.activities.filter(phase=phase)
        .order_by("order", "pk")
        .values_list("title", flat=True)
    )


def archive(plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(archived_at=timezone.now())


@pytest.fixture
def four(plan):
    return [MilestoneFactory(plan=plan, order=n, name=name) for n, name in enumerate("ABCD")]


def test_moving_a_milestone_to_a_position_keeps_the_others_in_order_and_answers_the_new_order(
    plan, four
):
    a, b, c, d = four
    assert services.milestone_move(milestone=a, position=2) == [b.pk, c.pk, a.pk, d.pk]
    assert milestones_in(plan) == ["B", "C", "A", "D"]
    # Before the start is the start, past the end the end.
    assert services.milestone_move(milestone=c, position=-3) == [c.pk, b.pk, a.pk, d.pk]
    assert services.milestone_move(milestone=c, position=99) == [b.pk, a.pk, d.pk, c.pk]
    assert list(plan.milestones.order_by("order").values_list("order", flat=True)) == [0, 1, 2, 3]


def test_a_milestone_of_an_archived_plan_is_not_moved_to_a_position(plan, four):
    archive(plan)
    with pytest.raises(ValidationError) as refused:
        services.milestone_move(milestone=Milestone.objects.get(pk=four[0].pk), position=3)
    assert Plan.ARCHIVED_MESSAGE in refused.value.messages
    assert milestones_in(plan) == ["A", "B", "C", "D"]


def test_a_dropped_milestone_is_answered_with_the_plans_order_as_saved(
    project_admin_client, plan, four
):
    a, b, c, d = four
    response = project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, d.pk]), {"position": "2"}, **SCRIPT
    )
    assert response.status_code == 200
    assert response.json() == {"order": [a.pk, d.pk, b.pk, c.pk]}
    assert milestones_in(plan) == ["A", "D", "B", "C"]
    # Nothing waits to be shown on the next page: the script said all there was to say.
    page = project_admin_client.get(reverse("milestones:plan", args=[plan.pk]))
    assert not list(page.context["messages"])


def test_a_drop_on_an_archived_plan_is_refused_with_the_reason_and_moves_nothing(
    project_admin_client, plan, four
):
    archive(plan)
    response = project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, four[3].pk]), {"position": "1"}, **SCRIPT
    )
    assert response.status_code == 409
    assert response.json() == {"error": Plan.ARCHIVED_MESSAGE}
    assert milestones_in(plan) == ["A", "B", "C", "D"]


def test_a_drop_of_junk_or_of_another_plans_milestone_is_no_page(project_admin_client, plan, four):
    move = reverse("milestones:move", args=[plan.pk, four[0].pk])
    for junk in ({"position": "0"}, {"position": "two"}, {}):
        assert project_admin_client.post(move, junk, **SCRIPT).status_code == 404
    elsewhere = MilestoneFactory(name="Elsewhere")
    response = project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, elsewhere.pk]), {"position": "1"}, **SCRIPT
    )
    assert response.status_code == 404
    assert milestones_in(plan) == ["A", "B", "C", "D"]


def test_a_dropped_activity_moves_within_its_phase_and_answers_that_phases_order(
    project_admin_client, plan, milestone
):
    first, second, third = (
        ActivityFactory(milestone=milestone, title=title, order=n)
        for n, title in enumerate(("First", "Second", "Third"))
    )
    ActivityFactory(milestone=milestone, phase=Activity.Phase.POST, title="After")
    response = project_admin_client.post(
        reverse("milestones:activity_move", args=[plan.pk, milestone.pk, first.pk]),
        {"position": "3"},
        **SCRIPT,
    )
    assert response.json() == {"order": [second.pk, third.pk, first.pk]}
    assert activities_in(milestone) == ["Second", "Third", "First"]
    assert activities_in(milestone, "post") == ["After"]


def test_a_dropped_activity_is_refused_on_an_archived_plan_and_elsewhere_is_no_page(
    project_admin_client, plan, milestone
):
    first, _second = (ActivityFactory(milestone=milestone, title=t) for t in ("First", "Second"))
    other = ActivityFactory(milestone=MilestoneFactory(plan=plan), title="Other milestone's")
    response = project_admin_client.post(
        reverse("milestones:activity_move", args=[plan.pk, milestone.pk, other.pk]),
        {"position": "1"},
        **SCRIPT,
    )
    assert response.status_code == 404

    archive(plan)
    response = project_admin_client.post(
        reverse("milestones:activity_move", args=[plan.pk, milestone.pk, first.pk]),
        {"position": "2"},
        **SCRIPT,
    )
    assert response.status_code == 409
    assert response.json() == {"error": Plan.ARCHIVED_MESSAGE}
    assert activities_in(milestone) == ["First", "Second"]


def test_the_move_form_on_an_archived_plan_still_says_why_on_the_page(
    project_admin_client, plan, four
):
    archive(plan)
    response = project_admin_client.post(
        reverse("milestones:move", args=[plan.pk, four[3].pk]), {"position": "1"}, follow=True
    )
    assert Plan.ARCHIVED_MESSAGE in visible_text(response)
    assert milestones_in(plan) == ["A", "B", "C", "D"]


def test_a_move_takes_as_many_queries_for_a_long_list_as_for_a_short_one(
    project_admin_client, plan, milestone, django_assert_num_queries
):
    def drop_last_first():
        last = plan.milestones.order_by("order", "pk").last()
        return project_admin_client.post(
            reverse("milestones:move", args=[plan.pk, last.pk]), {"position": "1"}, **SCRIPT
        )

    MilestoneFactory(plan=plan)
    with CaptureQueriesContext(connection) as queries:
        assert drop_last_first().status_code == 200
    MilestoneFactory.create_batch(20, plan=plan)
    with django_assert_num_queries(len(queries)):
        drop_last_first()


def test_rows_get_a_drag_handle_only_where_they_can_move(project_admin_client, plan, milestone):
    plan_page = reverse("milestones:plan", args=[plan.pk])
    activities = reverse("milestones:activities", args=[plan.pk, milestone.pk, "pre"])
    ActivityFactory(milestone=milestone, title="Only one")
    # One milestone and one activity have nowhere to go.
    for url in (plan_page, activities):
        page = project_admin_client.get(url).text
        assert "data-reorder-handle" not in page and "reorder.js" not in page

    MilestoneFactory(plan=plan, name="Kick-off")
    ActivityFactory(milestone=milestone, title="Read the primer")
    page = project_admin_client.get(plan_page).text
    assert page.count("data-reorder-handle") == 2
    assert "Move Kick-off" in page and 'aria-describedby="milestone-reorder-help"' in page
    assert "{name} picked up. Position {position} of {total}." in page
    assert "reorder.js" in page and "vendor/sortablejs/Sortable.min.js" in page
    page = project_admin_client.get(activities).text
    assert page.count("data-reorder-handle") == 2 and "Move Read the primer" in page

    archive(plan)
    for url in (plan_page, activities):
        assert "data-reorder-handle" not in project_admin_client.get(url).text
