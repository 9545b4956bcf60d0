import pytest
from django.utils import timezone

from collaboration.models import ChatMessage, Project
from collaboration.selectors import milestone_board
from demo.people import load_people
from demo.projects import load_projects

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_project_in_every_stage_and_loads_twice_without_duplicates():
    people = load_people()
    first = load_projects(people)
    second = load_projects(people)

    assert [p.pk for p in first] == [p.pk for p in second]
    assert Project.objects.count() == 4
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
