"""The chat reaches people: unread markers, and emails for what they have not read once the
conversation has gone quiet, several messages in one."""

import datetime

import lxml.html
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collaboration import services
from collaboration.models import ProjectReader
from notifications.models import Notification
from notifications.services import notification_kind_turn_off
from tests.factories import ProjectFactory, ProjectMilestoneFactory, UserFactory
from tests.pages import screen


def marked(response, name) -> list[str]:
    """The visible text of each element marked data-testid=`name`, in page order."""
    tree = lxml.html.fromstring(response.content)
    return [
        " ".join(element.text_content().split())
        for element in tree.xpath(f'//*[@data-testid="{name}"]')
    ]


pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


def minutes(n):
    return START + datetime.timedelta(minutes=n)


def post(project, author, body, at):
    with time_machine.travel(at, tick=False):
        return services.chat_message_post(project=project, author=author, body=body)


def send(at, django_capture_on_commit_callbacks):
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        return services.chat_emails_send()


def chat_emails(person):
    return Notification.objects.filter(recipient=person, kind="project_chat_messages")


class TestChatEmails:
    def test_messages_not_read_are_emailed_together_once_the_conversation_is_quiet(
        self, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        post(project, consultant, "Hello Chris,\nthe data is in.", minutes(0))
        post(project, consultant, "Can we talk on Friday?", minutes(2))
        post(project, consultant, "Or Monday.", minutes(4))

        # Quiet for five minutes after the last message: not yet at 8, sent at 9.
        assert send(minutes(8), django_capture_on_commit_callbacks) == 0
        assert send(minutes(9), django_capture_on_commit_callbacks) == 1

        email = chat_emails(customer).get()
        assert email.subject == "3 new messages on Churn model"
        assert "> Hello Chris,\n> the data is in." in email.body_text
        assert "> Or Monday." in email.body_text
        assert f"/projects/{project.pk}/#chat" in email.body_text
        assert [m.to for m in mail.outbox] == [[customer.email]]
        # The author is not emailed their own words.
        assert not chat_emails(consultant).exists()

    def test_nothing_is_sent_to_someone_who_read_the_messages_in_time(
        self, as_user, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        post(project, consultant, "Are you there?", minutes(0))
        with time_machine.travel(minutes(2), tick=False):
            as_user(customer).get(reverse("collaboration:project", args=[project.pk]))
        assert send(minutes(10), django_capture_on_commit_callbacks) == 0
        assert not chat_emails(customer).exists()

    def test_only_the_messages_since_the_last_email_or_read_are_sent(
        self, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        post(project, consultant, "First", minutes(0))
        send(minutes(6), django_capture_on_commit_callbacks)
        post(project, consultant, "Second", minutes(20))
        send(minutes(26), django_capture_on_commit_callbacks)

        second = chat_emails(customer).order_by("pk").last()
        assert second.subject == "A new message on Churn model"
        assert "> Second" in second.body_text and "First" not in second.body_text

    def test_a_busy_conversation_holds_the_email_back_at_most_three_quiet_periods(
        self, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        for n in range(0, 16, 2):
            post(project, consultant, f"Message {n}", minutes(n))
        # The first came at 0: whatever follows, the email goes at 15.
        assert send(minutes(15), django_capture_on_commit_callbacks) == 1

    def test_a_second_run_sends_nothing_twice(
        self, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        post(project, consultant, "Hello", minutes(0))
        assert send(minutes(6), django_capture_on_commit_callbacks) == 1
        assert send(minutes(7), django_capture_on_commit_callbacks) == 0
        assert chat_emails(customer).count() == 1

    def test_both_members_hear_of_a_platform_admins_message(
        self, project, consultant, customer, platform_admin, django_capture_on_commit_callbacks
    ):
        post(project, platform_admin, "I have opened the milestones.", minutes(0))
        assert send(minutes(6), django_capture_on_commit_callbacks) == 2
        assert chat_emails(consultant).exists() and chat_emails(customer).exists()

    def test_someone_who_turned_chat_emails_off_gets_none(
        self, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        notification_kind_turn_off(recipient=customer, kind="project_chat_messages")
        post(project, consultant, "Hello", minutes(0))
        send(minutes(6), django_capture_on_commit_callbacks)
        assert mail.outbox == []
        assert chat_emails(customer).get().status == Notification.Status.SKIPPED

    def test_the_email_offers_a_one_click_unsubscribe(
        self, project, consultant, customer, django_capture_on_commit_callbacks
    ):
        post(project, consultant, "Hello", minutes(0))
        send(minutes(6), django_capture_on_commit_callbacks)
        assert "List-Unsubscribe" in mail.outbox[0].extra_headers


class TestUnread:
    def test_the_list_menu_and_home_show_what_each_member_has_not_read(
        self, as_user, project, consultant, customer
    ):
        quiet = ProjectFactory(consultant=consultant, client=customer, title="Quiet one")
        for body in ("One", "Two"):
            services.chat_message_post(project=project, author=consultant, body=body)

        browser = as_user(customer)
        listed = browser.get(reverse("collaboration:projects"))
        assert marked(listed, "unread") == ["2 unread"]
        rows = marked(listed, "project-row")
        assert [row for row in rows if "Quiet one" in row] != []
        home = browser.get(reverse("home"))
        assert marked(home, "nav-unread") == ["2, 2 unread messages"]
        assert marked(home, "card-unread") == ["2 unread"]
        # The author has read their own messages.
        assert marked(as_user(consultant).get(reverse("collaboration:projects")), "unread") == []

        browser = as_user(customer)
        browser.get(reverse("collaboration:project", args=[project.pk]))
        assert marked(browser.get(reverse("collaboration:projects")), "unread") == []
        assert quiet.title == "Quiet one"

    def test_an_older_stretch_of_the_chat_does_not_count_as_read(
        self, as_user, project, consultant, customer
    ):
        message = services.chat_message_post(project=project, author=consultant, body="New")
        as_user(customer).get(
            reverse("collaboration:project", args=[project.pk]) + f"?before={message.pk}"
        )
        assert not ProjectReader.objects.filter(user=customer, last_read_id__gt=0).exists()

    def test_system_lines_are_not_unread_messages(self, as_user, project, consultant, customer):
        ProjectMilestoneFactory(project=project)
        services.project_milestone_complete(milestone=project.milestones.get(), actor=consultant)
        listed = as_user(customer).get(reverse("collaboration:projects"))
        assert marked(listed, "unread") == []


class TestProjectList:
    @pytest.fixture
    def projects(self, consultant, customer):
        today = timezone.localdate()
        waiting = ProjectFactory(consultant=consultant, client=customer, title="Waiting one")
        late = ProjectFactory(consultant=consultant, client=customer, open=True, title="Late one")
        ProjectMilestoneFactory(
            project=late, title="Overdue step", due_date=today - datetime.timedelta(days=2)
        )
        ProjectMilestoneFactory(
            project=late, title="Later step", due_date=today + datetime.timedelta(days=9)
        )
        other = UserFactory(display_name="Zed Zeta")
        fine = ProjectFactory(consultant=consultant, client=other, open=True, title="Fine one")
        ProjectMilestoneFactory(
            project=fine, title="Next step", due_date=today + datetime.timedelta(days=3)
        )
        return waiting, late, fine

    def titles(self, response):
        tree = lxml.html.fromstring(response.content)
        return [
            link.text_content().strip()
            for link in tree.xpath('//*[@data-testid="project-row"]/td[1]/a[1]')
        ]

    @pytest.mark.parametrize(
        ("query", "shown"),
        [
            ("", ["Waiting one", "Late one", "Fine one"]),
            ("?state=waiting", ["Waiting one"]),
            ("?state=open", ["Late one", "Fine one"]),
            ("?state=overdue", ["Late one"]),
            ("?q=zeta", ["Fine one"]),
            ("?state=open&q=late", ["Late one"]),
            ("?state=nonsense", ["Waiting one", "Late one", "Fine one"]),
        ],
    )
    def test_the_list_filters_by_state_and_search(
        self, as_user, projects, consultant, query, shown
    ):
        response = as_user(consultant).get(reverse("collaboration:projects") + query)
        assert sorted(self.titles(response)) == sorted(shown)

    def test_each_row_shows_the_next_milestone_due_and_the_overdue_count(
        self, as_user, projects, consultant
    ):
        text = screen(as_user(consultant).get(reverse("collaboration:projects"))).text
        assert "Overdue step" in text and "1 overdue" in text
        assert "Next step" in text
        assert "Waiting for the initial payment" in text

    def test_a_filter_that_matches_nothing_says_so(self, as_user, projects, consultant):
        response = as_user(consultant).get(reverse("collaboration:projects") + "?q=nothing")
        assert "No project matches" in screen(response).text


class TestUndoPage:
    def test_undo_works_as_a_plain_form(self, as_user, project, consultant, settle):
        milestone = ProjectMilestoneFactory(project=project, title="Data cleaning")
        browser = as_user(consultant)
        browser.post(
            reverse("collaboration:milestone_completion", args=[project.pk, milestone.pk]),
            {"completed": "1"},
        )
        response = browser.post(
            reverse("collaboration:milestone_undo", args=[project.pk, milestone.pk]), follow=True
        )
        seen = screen(response)
        assert "Undone: “Data cleaning” is back as Chris Client last heard of it." in seen.text
        assert seen.checkboxes == {"Complete: Data cleaning": False}
        assert settle() == 0
        assert not Notification.objects.exists()

    def test_undo_after_the_email_went_says_why_it_cannot(
        self, as_user, project, consultant, settle
    ):
        milestone = ProjectMilestoneFactory(project=project, title="Data cleaning")
        response = as_user(consultant).post(
            reverse("collaboration:milestone_undo", args=[project.pk, milestone.pk]), follow=True
        )
        assert "has already been emailed about this change" in screen(response).text
