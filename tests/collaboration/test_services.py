import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from collaboration import services
from collaboration.models import ChatMessage, Project, ProjectMilestone
from collaboration.selectors import milestone_board
from notifications.models import Notification
from tests.factories import ProjectFactory, ProjectMilestoneFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 4)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def add(project, actor, due_date, title="Data cleaning", description="Clean the data."):
    return services.project_milestone_create(
        project=project, actor=actor, due_date=due_date, title=title, description=description
    )


def client_emails(project):
    return Notification.objects.filter(recipient=project.client).order_by("pk")


def system_messages(project):
    return list(
        project.messages.filter(kind=ChatMessage.Kind.SYSTEM).values_list("event", flat=True)
    )


class TestOrdering:
    def test_milestones_are_listed_by_due_date_whatever_order_they_were_added_in(
        self, project, consultant
    ):
        add(project, consultant, day(30), "Report")
        add(project, consultant, day(5), "Data cleaning")
        add(project, consultant, day(14), "Analysis")
        same_day_later = add(project, consultant, day(14), "Interim call")

        board = milestone_board(project, today=TODAY)

        assert [m.title for m in board.milestones] == [
            "Data cleaning",
            "Analysis",
            "Interim call",
            "Report",
        ]
        assert board.milestones[2].pk == same_day_later.pk


class TestAddEditDelete:
    def test_adding_a_milestone_posts_to_the_chat_and_emails_the_client_once_it_settles(
        self, project, consultant, django_capture_on_commit_callbacks, settle
    ):
        with django_capture_on_commit_callbacks(execute=True):
            milestone = add(project, consultant, day(7))
        assert system_messages(project) == ["added"]
        assert mail.outbox == []

        assert settle() == 1

        message = project.messages.get()
        assert message.author == consultant
        assert "Carla Consultant added the milestone “Data cleaning”" in message.body

        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == [project.client.email]
        assert email.subject == "New milestone on Churn model: Data cleaning (due 11 May 2026)"
        assert "Clean the data." in email.body
        assert f"/projects/{project.pk}/" in email.body
        assert client_emails(project).get().subject_object == milestone

    def test_a_closed_project_takes_no_milestones(self, closed_project, consultant):
        with pytest.raises(ValidationError, match="not open yet"):
            add(closed_project, consultant, day(7))
        assert not ProjectMilestone.objects.exists()
        assert not Notification.objects.exists()

    def test_an_edit_emails_the_old_and_new_values(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_update(
            milestone=milestone,
            actor=consultant,
            due_date=day(9),
            title="Data cleaning and checks",
            description="Clean the data.",
        )
        settle()

        email = mail.outbox[-1]
        assert email.subject == "Milestone edited on Churn model: Data cleaning"
        assert "Due date\n  was: Mon 11 May 2026\n  now: Wed 13 May 2026" in email.body
        assert "Title\n  was: Data cleaning\n  now: Data cleaning and checks" in email.body
        assert "Description" not in email.body.split("The milestone now reads")[0]
        html = email.alternatives[0][0]
        assert "Mon 11 May 2026" in html and "Wed 13 May 2026" in html
        assert system_messages(project) == ["added", "changed"]
        assert "due date Mon 11 May 2026 → Wed 13 May 2026" in project.messages.last().body
        milestone.refresh_from_db()
        assert (milestone.due_date, milestone.version) == (day(9), 2)

    def test_an_edit_that_changes_nothing_records_nothing(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_update(
            milestone=milestone,
            actor=consultant,
            due_date=day(7),
            title="Data cleaning",
            description="Clean the data.",
        )
        assert settle() == 0
        assert client_emails(project).count() == 1
        assert system_messages(project) == ["added"]

    def test_deleting_emails_the_client_at_once_and_posts_to_the_chat(
        self, project, consultant, django_capture_on_commit_callbacks, settle
    ):
        milestone = add(project, consultant, day(7))
        settle()
        with django_capture_on_commit_callbacks(execute=True):
            services.project_milestone_delete(milestone=milestone, actor=consultant)

        assert not project.milestones.exists()
        assert system_messages(project) == ["added", "deleted"]
        assert mail.outbox[-1].subject == "Milestone deleted on Churn model: Data cleaning"
        assert client_emails(project).last().subject_object == project

    def test_the_client_never_hears_of_a_milestone_deleted_before_it_settled(
        self, project, consultant, settle
    ):
        milestone = add(project, consultant, day(7))
        services.project_milestone_delete(milestone=milestone, actor=consultant)
        assert settle() == 0
        assert not client_emails(project).exists()
        assert system_messages(project) == ["added", "deleted"]

    def test_the_deletion_email_names_the_milestone_as_the_client_knew_it(
        self, project, consultant, settle
    ):
        milestone = add(project, consultant, day(7), "Data cleaning")
        settle()
        services.project_milestone_update(
            milestone=milestone,
            actor=consultant,
            due_date=day(8),
            title="Renamed",
            description="Clean the data.",
        )
        services.project_milestone_delete(milestone=milestone, actor=consultant)
        assert client_emails(project).last().subject == (
            "Milestone deleted on Churn model: Data cleaning"
        )
        assert settle() == 0

    def test_a_platform_admin_can_change_milestones_too(self, project, platform_admin, settle):
        milestone = add(project, platform_admin, day(7))
        services.project_milestone_complete(milestone=milestone, actor=platform_admin)
        assert "Ada Admin marked" in project.messages.last().body
        settle()
        assert client_emails(project).count() == 1
        assert "Ada Admin added" in client_emails(project).get().body_text


class TestCompletion:
    def test_completing_and_uncompleting_keep_who_and_when(
        self, project, consultant, platform_admin
    ):
        milestone = add(project, consultant, day(7))
        ticked_at = timezone.now()

        services.project_milestone_complete(milestone=milestone, actor=consultant)
        milestone.refresh_from_db()
        assert milestone.is_complete and milestone.completed_by == consultant
        assert milestone.completed_at >= ticked_at

        services.project_milestone_uncomplete(milestone=milestone, actor=platform_admin)
        milestone.refresh_from_db()
        assert not milestone.is_complete and milestone.completed_by is None
        assert milestone.reopened_by == platform_admin and milestone.reopened_at >= ticked_at

        trail = project.messages.filter(kind=ChatMessage.Kind.SYSTEM).order_by("pk")
        assert [(m.event, m.author) for m in trail] == [
            ("added", consultant),
            ("completed", consultant),
            ("uncompleted", platform_admin),
        ]

    def test_ticks_inside_the_settling_window_are_one_email_with_the_final_state(
        self, project, consultant, settle
    ):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        assert client_emails(project).count() == 1

        assert settle() == 1
        assert list(client_emails(project).values_list("kind", flat=True)) == [
            "project_milestone_added",
            "project_milestone_completed",
        ]
        assert mail.outbox[-1].subject == "Milestone complete on Churn model: Data cleaning"
        # The chat told of every step as it happened.
        assert system_messages(project) == ["added", "completed", "uncompleted", "completed"]

    def test_an_untick_after_a_tick_sends_nothing(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
        assert settle() == 0
        assert client_emails(project).count() == 1
        milestone.refresh_from_db()
        assert milestone.announce_after is None

    def test_a_tick_and_an_edit_are_one_email_listing_both(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        services.project_milestone_update(
            milestone=milestone,
            actor=consultant,
            due_date=day(7),
            title="Data cleaning",
            description="Clean and check the data.",
        )
        settle()
        email = client_emails(project).last()
        assert email.kind == "project_milestone_changed"
        assert "Status\n  was: Not complete\n  now: Complete" in email.body_text
        assert "Description\n  was: Clean the data.\n  now: Clean and check the data." in (
            email.body_text
        )

    def test_every_change_moves_the_window_on(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        almost = timezone.now() + services.settling_window() - datetime.timedelta(seconds=10)
        with time_machine.travel(almost, tick=False):
            services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
            assert services.project_milestones_settled_announce(now=almost) == 0
        with time_machine.travel(almost + datetime.timedelta(seconds=30), tick=False):
            # The first change's window is over, the second's is not.
            assert services.project_milestones_settled_announce() == 0
        assert client_emails(project).count() == 1

    def test_a_change_after_the_window_is_its_own_email(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        settle()
        services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
        settle()
        assert list(client_emails(project).values_list("kind", flat=True)) == [
            "project_milestone_added",
            "project_milestone_completed",
            "project_milestone_uncompleted",
        ]

    def test_announcing_twice_sends_once(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        later = timezone.now() + services.settling_window() + datetime.timedelta(seconds=1)
        assert services.project_milestone_announce(milestone_id=milestone.pk, now=later)
        assert services.project_milestone_announce(milestone_id=milestone.pk, now=later) is None
        assert settle() == 0
        assert client_emails(project).count() == 1

    def test_an_early_announcement_sends_nothing(self, project, consultant):
        milestone = add(project, consultant, day(7))
        assert services.project_milestone_announce(milestone_id=milestone.pk) is None
        assert not client_emails(project).exists()


class TestUndo:
    def test_undo_puts_the_milestone_back_as_the_client_knows_it_and_sends_nothing(
        self, project, consultant, settle
    ):
        milestone = add(project, consultant, day(7))
        settle()
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        services.project_milestone_update(
            milestone=milestone,
            actor=consultant,
            due_date=day(20),
            title="Renamed",
            description="Something else.",
        )

        services.project_milestone_undo(milestone=milestone, actor=consultant)

        milestone.refresh_from_db()
        assert (milestone.title, milestone.due_date, milestone.description) == (
            "Data cleaning",
            day(7),
            "Clean the data.",
        )
        assert not milestone.is_complete and not milestone.settling
        assert system_messages(project)[-1] == "undone"
        assert settle() == 0
        assert client_emails(project).count() == 1

    def test_undo_keeps_a_completion_the_client_was_told_of(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        settle()
        ticked = ProjectMilestone.objects.get(pk=milestone.pk).completed_at
        services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
        services.project_milestone_undo(milestone=milestone, actor=consultant)
        milestone.refresh_from_db()
        assert milestone.completed_at == ticked and milestone.completed_by == consultant

    def test_undoing_a_new_milestone_withdraws_it(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        assert services.project_milestone_undo(milestone=milestone, actor=consultant) is None
        assert not project.milestones.exists()
        assert settle() == 0
        assert not client_emails(project).exists()

    def test_a_change_already_emailed_cannot_be_undone(self, project, consultant, settle):
        milestone = add(project, consultant, day(7))
        settle()
        with pytest.raises(ValidationError, match="already been emailed"):
            services.project_milestone_undo(milestone=milestone, actor=consultant)

    def test_ticking_a_complete_milestone_again_changes_and_sends_nothing(
        self, project, consultant
    ):
        milestone = add(project, consultant, day(7))
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        services.project_milestone_uncomplete(milestone=milestone, actor=consultant)
        services.project_milestone_uncomplete(milestone=milestone, actor=consultant)

        assert system_messages(project) == ["added", "completed", "uncompleted"]


@pytest.mark.django_db(transaction=True)
class TestOutbox:
    def test_the_email_is_sent_once_the_change_commits(self, project, consultant):
        milestone = add(project, consultant, day(7))
        later = timezone.now() + services.settling_window() + datetime.timedelta(seconds=1)
        with time_machine.travel(later, tick=False), transaction.atomic():
            services.project_milestone_announce(milestone_id=milestone.pk)
            assert client_emails(project).count() == 1
            assert mail.outbox == []
        assert len(mail.outbox) == 1
        assert client_emails(project).get().status == Notification.Status.SENT

    def test_a_change_that_rolls_back_leaves_no_email_and_no_chat_message(
        self, project, consultant
    ):
        with pytest.raises(RuntimeError), transaction.atomic():
            add(project, consultant, day(7))
            raise RuntimeError("the request failed after the change")

        assert not project.milestones.exists()
        assert not project.messages.exists()
        assert not Notification.objects.exists()
        assert mail.outbox == []


class TestBoard:
    def test_the_notice_shows_when_the_last_milestone_is_not_due_on_the_completion_date(
        self, consultant, customer
    ):
        project = ProjectFactory(
            consultant=consultant, client=customer, open=True, completion_date=day(30)
        )
        add(project, consultant, day(10))
        assert milestone_board(project, today=TODAY).last_due_date_differs

        add(project, consultant, day(30), "Final report")
        board = milestone_board(project, today=TODAY)
        assert not board.last_due_date_differs and not board.after_completion

        add(project, consultant, day(35), "Handover")
        board = milestone_board(project, today=TODAY)
        assert board.last_due_date_differs
        assert [row.title for row in board.after_completion] == ["Handover"]

    def test_overdue_milestones_and_progress(self, project, consultant):
        done_late = ProjectMilestoneFactory(project=project, due_date=day(-3))
        ProjectMilestoneFactory(project=project, due_date=day(-1))
        ProjectMilestoneFactory(project=project, due_date=TODAY)
        ProjectMilestoneFactory(project=project, due_date=day(20))
        services.project_milestone_complete(milestone=done_late, actor=consultant)

        board = milestone_board(project, today=TODAY)

        assert [m.overdue for m in board.milestones] == [False, True, False, False]
        assert board.overdue == 1
        assert (board.completed, board.total, board.percent) == (1, 4, 25)

    def test_an_empty_board_has_no_notice(self, project):
        board = milestone_board(project, today=TODAY)
        assert (board.total, board.percent, board.last_due_date_differs) == (0, 0, False)


class TestOpening:
    def test_the_milestones_open_only_after_the_payment_is_recorded(
        self, closed_project, platform_admin
    ):
        with pytest.raises(ValidationError, match="initial payment"):
            services.project_milestones_open(project=closed_project, opened_by=platform_admin)

        services.project_payment_record(
            project=closed_project,
            amount=Decimal("2500.00"),
            received_on=TODAY,
            reference="BANK-778",
            recorded_by=platform_admin,
        )
        project = services.project_milestones_open(project=closed_project, opened_by=platform_admin)

        assert project.milestones_open and project.milestones_opened_by == platform_admin
        assert (
            project.payment_recorded_by == platform_admin
            and project.payment_reference == "BANK-778"
        )
        assert project.next_no_milestones_reminder_at == project.milestones_opened_at + (
            datetime.timedelta(days=2)
        )
        assert system_messages(project) == ["opened"]

    def test_a_project_without_a_payment_opens_at_once_and_only_once(
        self, consultant, customer, platform_admin
    ):
        project = ProjectFactory(
            consultant=consultant, client=customer, initial_payment_required=False
        )
        services.project_milestones_open(project=project, opened_by=platform_admin)
        services.project_milestones_open(project=project, opened_by=platform_admin)
        assert system_messages(project) == ["opened"]

    def test_the_consultant_is_emailed_the_first_steps_once(
        self, consultant, customer, platform_admin
    ):
        project = ProjectFactory(
            consultant=consultant, client=customer, initial_payment_required=False
        )
        services.project_milestones_open(project=project, opened_by=platform_admin)
        services.project_milestones_open(project=project, opened_by=platform_admin)

        (email,) = Notification.objects.filter(kind="project_milestones_opened")
        assert email.recipient == consultant
        assert email.subject == f"{project} is open: add its milestones"
        assert "Add a milestone for each step of the project" in email.body_text
        assert f"/projects/{project.pk}/" in email.body_text


class TestProjectRules:
    """The project's rules hold for every caller: no form is involved here."""

    @time_machine.travel(datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC), tick=False)
    def test_a_payment_cannot_be_received_in_the_future(self, closed_project, platform_admin):
        with pytest.raises(ValidationError) as refused:
            services.project_payment_record(
                project=closed_project,
                amount=Decimal("2500.00"),
                received_on=day(1),
                reference="BANK-778",
                recorded_by=platform_admin,
            )

        assert refused.value.message_dict == {
            "payment_received_on": ["A payment cannot be received in the future."]
        }
        closed_project.refresh_from_db()
        assert not closed_project.payment_recorded

        services.project_payment_record(
            project=closed_project,
            amount=Decimal("2500.00"),
            received_on=TODAY,
            reference="BANK-778",
            recorded_by=platform_admin,
        )
        closed_project.refresh_from_db()
        assert closed_project.payment_received_on == TODAY

    @time_machine.travel(datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC), tick=False)
    def test_the_rule_is_the_model_s_own(self, consultant, customer):
        project = Project(
            title="Pricing study",
            consultant=consultant,
            client=customer,
            completion_date=day(60),
            payment_amount=Decimal("10.00"),
            payment_received_on=day(1),
        )
        with pytest.raises(ValidationError) as refused:
            project.full_clean()
        assert list(refused.value.message_dict) == ["payment_received_on"]

    def test_a_payment_must_be_more_than_zero(self, closed_project, platform_admin):
        with pytest.raises(ValidationError) as refused:
            services.project_payment_record(
                project=closed_project,
                amount=Decimal("0.00"),
                received_on=TODAY,
                reference="",
                recorded_by=platform_admin,
            )
        assert refused.value.message_dict == {
            "payment_amount": ["The amount must be more than zero."]
        }

    def test_the_consultant_and_client_must_differ(self, consultant, platform_admin):
        with pytest.raises(ValidationError) as refused:
            services.project_create(
                title="Self-review",
                consultant=consultant,
                client=consultant,
                completion_date=TODAY,
                initial_payment_required=False,
                created_by=platform_admin,
            )
        assert refused.value.message_dict == {
            "client": ["The client must be someone other than the consultant."]
        }
        assert not Project.objects.exists()

    def test_an_update_obeys_the_same_rules(self, project, consultant):
        with pytest.raises(ValidationError) as refused:
            services.project_update(
                project=project,
                title=project.title,
                consultant=consultant,
                client=consultant,
                completion_date=project.completion_date,
                initial_payment_required=True,
            )
        assert list(refused.value.message_dict) == ["client"]
        project.refresh_from_db()
        assert project.client != consultant

    def test_open_milestones_cannot_wait_for_a_payment_again(
        self, consultant, customer, platform_admin
    ):
        project = ProjectFactory(
            consultant=consultant, client=customer, initial_payment_required=False
        )
        services.project_milestones_open(project=project, opened_by=platform_admin)

        with pytest.raises(ValidationError) as refused:
            services.project_update(
                project=project,
                title=project.title,
                consultant=consultant,
                client=customer,
                completion_date=project.completion_date,
                initial_payment_required=True,
            )

        assert list(refused.value.message_dict) == ["initial_payment_required"]
        project.refresh_from_db()
        assert not project.initial_payment_required


class TestChat:
    def test_people_post_messages(self, project, customer):
        message = services.chat_message_post(
            project=project, author=customer, body="  Looks good!  "
        )
        assert (message.body, message.kind, message.is_system) == (
            "Looks good!",
            "person",
            False,
        )

    def test_a_blank_message_is_refused(self, project, customer):
        with pytest.raises(ValidationError):
            services.chat_message_post(project=project, author=customer, body="   ")
        assert not project.messages.exists()
