import datetime

import pytest
import time_machine
from django.utils import timezone

from collaboration import services
from collaboration.tasks import send_project_reminders
from notifications.models import Notification
from tests.factories import ProjectFactory, ProjectMilestoneFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


def at(days: float = 0, hours: float = 0):
    return time_machine.travel(MONDAY + datetime.timedelta(days=days, hours=hours), tick=False)


def sent(kind: str):
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("recipient__display_name", flat=True)
    )


@pytest.fixture
def opened_project(consultant, customer, platform_admin):
    with at():
        project = ProjectFactory(
            consultant=consultant, client=customer, initial_payment_required=False
        )
        return services.project_milestones_open(project=project, opened_by=platform_admin)


class TestNoMilestonesReminder:
    KIND = "project_no_milestones_reminder"

    def test_the_consultant_is_reminded_after_two_days_then_every_three(self, opened_project):
        with at(days=1, hours=23):
            assert services.project_no_milestones_reminders_send() == 0
        with at(days=2):
            assert services.project_no_milestones_reminders_send() == 1
            assert services.project_no_milestones_reminders_send() == 0
        with at(days=4):
            send_project_reminders.apply()
        assert sent(self.KIND) == ["Carla Consultant"]

        with at(days=5):
            send_project_reminders.apply()
            send_project_reminders.apply()
        assert sent(self.KIND) == ["Carla Consultant", "Carla Consultant"]
        keys = Notification.objects.filter(kind=self.KIND).values_list("idempotency_key")
        assert sorted(k for (k,) in keys) == [
            f"project-no-milestones:{opened_project.pk}:1",
            f"project-no-milestones:{opened_project.pk}:2",
        ]
        body = Notification.objects.filter(kind=self.KIND).earliest("pk").body_text
        assert "open for 2 days" in body and f"/projects/{opened_project.pk}/" in body

    def test_the_reminders_stop_once_a_milestone_is_added(self, opened_project, consultant):
        with at(days=2):
            services.project_no_milestones_reminders_send()
        with at(days=3):
            services.project_milestone_create(
                project=opened_project,
                actor=consultant,
                due_date=timezone.localdate(),
                title="Kick-off",
                description="Agree the scope.",
            )
        with at(days=30):
            assert services.project_no_milestones_reminders_send() == 0
        assert len(sent(self.KIND)) == 1
        opened_project.refresh_from_db()
        assert opened_project.next_no_milestones_reminder_at is None

    def test_a_project_that_is_not_open_is_never_reminded(self, closed_project):
        with at(days=30):
            assert services.project_no_milestones_reminders_send() == 0

    def test_the_delays_come_from_the_settings(self, opened_project, settings):
        settings.COLLABORATION_NO_MILESTONES_REPEAT_DAYS = 1
        with at(days=2):
            services.project_no_milestones_reminders_send()
        with at(days=3):
            assert services.project_no_milestones_reminders_send() == 1


class TestDueSoonAndOverdue:
    @pytest.fixture
    def project_milestone(self, project):
        return ProjectMilestoneFactory(
            project=project, due_date=datetime.date(2026, 5, 8), title="Data cleaning"
        )

    def test_both_parties_hear_two_days_before_and_once_only(self, project_milestone):
        with at(days=1):  # due in three days
            assert services.project_milestone_due_soon_reminders_send() == 0
        with at(days=2):
            assert services.project_milestone_due_soon_reminders_send() == 1
        with at(days=3):
            send_project_reminders.apply()
            send_project_reminders.apply()

        assert sent("project_milestone_due_soon") == ["Carla Consultant", "Chris Client"]
        subjects = set(
            Notification.objects.filter(kind="project_milestone_due_soon").values_list(
                "subject", flat=True
            )
        )
        assert subjects == {"Milestone due in 2 days on Churn model: Data cleaning"}

    def test_both_parties_hear_once_when_it_is_overdue(self, project_milestone):
        with at(days=4):  # its due date: not overdue yet
            assert services.project_milestone_overdue_reminders_send() == 0
        with at(days=5):
            assert services.project_milestone_overdue_reminders_send() == 1
            assert services.project_milestone_overdue_reminders_send() == 0
        with at(days=9):
            send_project_reminders.apply()

        assert sent("project_milestone_overdue") == ["Carla Consultant", "Chris Client"]
        body = Notification.objects.filter(kind="project_milestone_overdue").last().body_text
        assert "was due 1 day ago" in body

    def test_a_new_due_date_re_arms_both_reminders(self, project_milestone, consultant):
        with at(days=5):
            send_project_reminders.apply()
        assert len(sent("project_milestone_due_soon")) == 0  # already past: straight to overdue
        assert len(sent("project_milestone_overdue")) == 2

        with at(days=5, hours=1):
            services.project_milestone_update(
                milestone=project_milestone,
                actor=consultant,
                due_date=datetime.date(2026, 5, 12),
                title=project_milestone.title,
                description=project_milestone.description,
            )
        with at(days=6):
            send_project_reminders.apply()
        with at(days=7):
            send_project_reminders.apply()
        with at(days=9):
            send_project_reminders.apply()

        assert len(sent("project_milestone_due_soon")) == 2
        assert len(sent("project_milestone_overdue")) == 4
        keys = set(
            Notification.objects.filter(
                kind="project_milestone_overdue", recipient=consultant
            ).values_list("idempotency_key", flat=True)
        )
        assert keys == {
            f"project_milestone_overdue:{project_milestone.pk}:2026-05-08:consultant",
            f"project_milestone_overdue:{project_milestone.pk}:2026-05-12:consultant",
        }

    def test_a_complete_milestone_is_never_reminded(self, project_milestone, consultant):
        services.project_milestone_complete(milestone=project_milestone, actor=consultant)
        with at(days=2):
            send_project_reminders.apply()
        with at(days=9):
            send_project_reminders.apply()
        assert not Notification.objects.filter(
            kind__in=["project_milestone_due_soon", "project_milestone_overdue"]
        ).exists()

    def test_moving_back_to_a_date_already_reminded_sends_nothing_twice(
        self, project_milestone, consultant
    ):
        def move(to):
            services.project_milestone_update(
                milestone=project_milestone,
                actor=consultant,
                due_date=to,
                title=project_milestone.title,
                description=project_milestone.description,
            )

        with at(days=2):
            send_project_reminders.apply()
            move(datetime.date(2026, 5, 7))
            send_project_reminders.apply()
            move(datetime.date(2026, 5, 8))
            send_project_reminders.apply()

        assert len(sent("project_milestone_due_soon")) == 4
