from decimal import Decimal

import pytest
from django.utils import timezone

from collaboration.models import ChatMessage, Project, ProjectMilestone
from collaboration.selectors import milestone_board, projects_for_user
from demo.people import load_people
from demo.projects import load_projects

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_project_in_every_stage_and_loads_twice_without_duplicates():
    people = load_people()
    first = load_projects(people)
    second = load_projects(people)

    assert [p.pk for p in first] == [p.pk for p in second]
    assert Project.objects.count() == 5
    by_title = {p.title: p for p in Project.objects.all()}
    for project in by_title.values():
        assert project.consultant.email == "consultant@cairn.example"
        assert project.client.email == "client@cairn.example"

    assert by_title["Retail footfall analysis"].awaiting_payment
    ready = by_title["Pricing strategy review"]
    assert ready.payment_recorded and not ready.milestones_open

    today = timezone.localdate()
    churn = milestone_board(by_title["Customer churn model"], today=today)
    states = {
        "complete": any(m.is_complete for m in churn.milestones),
        "overdue": churn.overdue > 0,
        "reopened": any(m.reopened_at and not m.is_complete for m in churn.milestones),
        "upcoming": any(not m.is_complete and m.due_date > today for m in churn.milestones),
    }
    assert all(states.values()), states
    assert not churn.last_due_date_differs

    late = milestone_board(by_title["Supplier survey 2026"], today=today)
    assert late.overdue > 0 and late.last_due_date_differs
    assert (
        by_title["Customer churn model"].messages.filter(kind=ChatMessage.Kind.SYSTEM).count() == 9
    )


def test_the_demo_has_a_project_with_acceptance_deliverables_payments_and_unread_messages():
    people = load_people()
    load_projects(people)
    sizing = Project.objects.get(title="Market sizing study")
    board = milestone_board(sizing, today=timezone.localdate())
    states = [(m.title, m.accepted_at is not None, m.awaiting_client) for m in board.milestones]
    assert states[0][1] and states[1][2]
    assert any(m.changes_requested for m in board.milestones)
    assert {d.title for m in board.milestones for d in m.deliverables} == {
        "Survey results (slides)",
        "Raw responses",
    }
    assert board.money.currency == "GBP" and board.money.paid == Decimal("3500.00")
    rows = projects_for_user(people["consultant@cairn.example"], today=timezone.localdate())
    assert {row.project.title: row.unread_count for row in rows}["Market sizing study"] == 1
    # Every demo milestone is as its client last heard of it: nothing waits to be emailed.
    assert all(
        m.announced == m.told() and m.announce_after is None for m in ProjectMilestone.objects.all()
    )
