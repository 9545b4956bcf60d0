import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collaboration import services, views
from collaboration.models import ChatMessage, Project
from notifications.models import Notification
from tests.factories import (
    ChatMessageFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
)
from tests.pages import controls, screen, swapped_regions

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def page_url(project):
    return reverse("collaboration:project", args=[project.pk])


def chat_url(project):
    return reverse("collaboration:chat", args=[project.pk])


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


class TestProjectPage:
    def test_the_page_shows_the_project_milestones_and_chat(self, as_user, project, customer):
        ProjectMilestoneFactory(project=project, title="Data cleaning", due_date=day(3))
        ChatMessageFactory(project=project, author=customer, body="Hello Carla!")

        seen = screen(as_user(customer).get(page_url(project)))

        assert "Churn model" in seen.text
        assert "Data cleaning" in seen.text
        assert "Hello Carla!" in seen.text
        assert "You: client" in seen.text
        assert "Add a milestone" not in seen.links
        assert "Edit milestone" not in seen.links
        assert seen.checkboxes == {}
        assert "Platform admin" not in seen.text

    def test_the_consultant_gets_the_controls(self, as_user, project, consultant):
        ProjectMilestoneFactory(project=project, title="Data cleaning")
        seen = screen(as_user(consultant).get(page_url(project)))
        assert "Add a milestone" in seen.links
        assert "Edit milestone" in seen.links and "Delete milestone" in seen.links
        assert seen.checkboxes == {"Complete: Data cleaning": False}
        assert "Platform admin" not in seen.text

    def test_before_payment_the_page_says_what_it_is_waiting_for(
        self, as_user, closed_project, consultant
    ):
        seen = screen(as_user(consultant).get(page_url(closed_project)))
        assert "The milestones section is not open yet" in seen.text
        assert "the client's initial payment is received (waiting)" in seen.text
        assert "a Cairn admin opens the milestones section (waiting)" in seen.text
        assert "Add a milestone" not in seen.links

    def test_after_payment_it_waits_for_an_admin_only(self, as_user, closed_project, customer):
        closed_project.payment_received_on = timezone.localdate()
        closed_project.save()
        seen = screen(as_user(customer).get(page_url(closed_project)))
        assert "the client's initial payment is received (done)" in seen.text
        assert "a Cairn admin opens the milestones section (waiting)" in seen.text

    def test_overdue_milestones_the_notices_and_the_progress_are_shown(
        self, as_user, project, customer
    ):
        ProjectMilestoneFactory(project=project, title="Late one", due_date=day(-2))
        ProjectMilestoneFactory(
            project=project,
            title="Done one",
            due_date=day(-5),
            completed_at=timezone.now(),
            completed_by=project.consultant,
        )
        ProjectMilestoneFactory(
            project=project,
            title="Too late",
            due_date=project.completion_date + datetime.timedelta(days=1),
        )

        response = as_user(customer).get(page_url(project))
        seen = screen(response)

        assert "1 of 3 milestones complete 1 overdue" in seen.text
        assert seen.text.count("Overdue") == 1
        assert "Good to know: the last milestone, “Too late”, is due on" in seen.text
        assert "“Too late” is due after the project's completion date" in seen.text
        assert "Completed by Carla Consultant" in seen.text
        titles = [m.title for m in response.context["page"].board.milestones]
        assert titles == ["Done one", "Late one", "Too late"]

    def test_no_notice_when_the_last_milestone_is_due_on_the_completion_date(
        self, as_user, project, consultant
    ):
        ProjectMilestoneFactory(project=project, due_date=project.completion_date)
        seen = screen(as_user(consultant).get(page_url(project)))
        assert "Pro tip" not in seen.text
        assert "due after the project's completion date" not in seen.text

    def test_the_admin_panel_records_the_payment_and_opens_the_milestones(
        self, as_user, closed_project, platform_admin
    ):
        browser = as_user(platform_admin)
        seen = screen(browser.get(page_url(closed_project)))
        assert seen.buttons["Record the payment"] is True
        assert seen.buttons["Open the milestones section"] is False
        assert "Record the initial payment first." in seen.text

        response = browser.post(
            reverse("collaboration:payment", args=[closed_project.pk]),
            {
                "payment_amount": "1200.50",
                "payment_received_on": "2026-01-10",
                "payment_reference": "INV-77",
            },
        )
        assert response.status_code == 302
        browser.post(reverse("collaboration:milestones_open", args=[closed_project.pk]))

        closed_project.refresh_from_db()
        assert closed_project.milestones_open
        seen = screen(browser.get(page_url(closed_project)))
        assert "€1,200.50 received on 10 Jan 2026, reference INV-77." in seen.text
        assert "Recorded by Ada Admin" in seen.text
        assert "Opened by Ada Admin" in seen.text
        assert "Ada Admin opened the milestones section" in seen.text

    def test_opening_before_the_payment_says_why_it_cannot(
        self, as_user, closed_project, platform_admin
    ):
        response = as_user(platform_admin).post(
            reverse("collaboration:milestones_open", args=[closed_project.pk]), follow=True
        )
        assert "Record the client's initial payment before opening" in screen(response).text
        closed_project.refresh_from_db()
        assert not closed_project.milestones_open

    @pytest.mark.parametrize(
        ("amount", "received_on", "errors"),
        [
            ("-5", "", ["The amount must be more than zero.", "This field is required."]),
            ("", "2026-01-10", ["This field is required."]),
            ("100", day(1).isoformat(), ["A payment cannot be received in the future."]),
        ],
    )
    def test_a_bad_payment_is_not_recorded_and_the_form_says_why(
        self, as_user, closed_project, platform_admin, amount, received_on, errors
    ):
        response = as_user(platform_admin).post(
            reverse("collaboration:payment", args=[closed_project.pk]),
            {"payment_amount": amount, "payment_received_on": received_on},
        )
        assert response.status_code == 200
        text = screen(response).text
        assert [error for error in errors if error in text] == errors
        closed_project.refresh_from_db()
        assert not closed_project.payment_recorded


class TestMilestoneForms:
    def test_adding_a_milestone(self, as_user, project, consultant, settle):
        browser = as_user(consultant)
        response = browser.post(
            reverse("collaboration:milestone_add", args=[project.pk]),
            {"due_date": "2027-06-01", "title": "Data cleaning", "description": "Clean it."},
        )
        milestone = project.milestones.get()
        assert response.url == f"{page_url(project)}#milestone-{milestone.pk}"
        assert (milestone.title, milestone.due_date) == ("Data cleaning", datetime.date(2027, 6, 1))
        assert project.messages.get().event == "added"
        page = screen(browser.get(response.url))
        assert "Chris Client is emailed about it in 2 minutes" in page.text
        assert "Chris Client is emailed about this change at" in page.text
        assert not Notification.objects.exists()
        settle()
        assert Notification.objects.get().recipient == project.client
        assert "emailed about this change" not in screen(browser.get(response.url)).text

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"due_date": "", "title": "Data cleaning", "description": "Clean it."}, "due_date"),
            ({"due_date": "2027-06-01", "title": "  ", "description": "Clean it."}, "title"),
            ({"due_date": "2027-06-01", "title": "Data", "description": ""}, "description"),
            ({"due_date": "not a date", "title": "Data", "description": "x"}, "due_date"),
        ],
    )
    def test_bad_input_saves_nothing_and_shows_the_error_by_the_field(
        self, as_user, project, consultant, data, field
    ):
        response = as_user(consultant).post(
            reverse("collaboration:milestone_add", args=[project.pk]), data
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert list(form.errors) == [field]
        assert form.errors[field][0] in screen(response).text
        assert not project.milestones.exists()
        assert not project.messages.exists()
        assert not Notification.objects.exists()

    def test_editing_keeps_the_heading_when_the_input_is_bad(self, as_user, project, consultant):
        milestone = ProjectMilestoneFactory(project=project, title="Data cleaning")
        response = as_user(consultant).post(
            reverse("collaboration:milestone_edit", args=[project.pk, milestone.pk]),
            {"due_date": "", "title": "Renamed", "description": "x"},
        )
        assert "Edit “Data cleaning”" in screen(response).text
        milestone.refresh_from_db()
        assert milestone.title == "Data cleaning"

    def test_editing_sends_the_changes(self, as_user, project, consultant, settle):
        milestone = ProjectMilestoneFactory(
            project=project, title="Data cleaning", due_date=datetime.date(2027, 6, 1)
        )
        as_user(consultant).post(
            reverse("collaboration:milestone_edit", args=[project.pk, milestone.pk]),
            {"due_date": "2027-06-03", "title": "Data cleaning", "description": "New words."},
        )
        settle()
        email = Notification.objects.get()
        assert email.kind == "project_milestone_changed"
        assert "was: Tue 1 Jun 2027\n  now: Thu 3 Jun 2027" in email.body_text

    def test_saving_without_changes_tells_the_consultant_nobody_is_emailed(
        self, as_user, project, consultant
    ):
        milestone = ProjectMilestoneFactory(project=project)
        response = as_user(consultant).post(
            reverse("collaboration:milestone_edit", args=[project.pk, milestone.pk]),
            {
                "due_date": milestone.due_date.isoformat(),
                "title": milestone.title,
                "description": milestone.description,
            },
            follow=True,
        )
        assert "Nothing changed, so nobody is emailed." in screen(response).text
        assert not Notification.objects.exists()

    def test_delete_asks_first_then_deletes(self, as_user, project, consultant):
        milestone = ProjectMilestoneFactory(project=project, title="Data cleaning")
        url = reverse("collaboration:milestone_delete", args=[project.pk, milestone.pk])
        browser = as_user(consultant)

        confirm = browser.get(url)
        assert "Delete the milestone “Data cleaning”?" in screen(confirm).text
        assert project.milestones.exists()

        browser.post(url)
        assert not project.milestones.exists()
        assert project.messages.get().event == "deleted"

    def test_adding_to_a_closed_project_sends_the_consultant_back(
        self, as_user, closed_project, consultant
    ):
        response = as_user(consultant).get(
            reverse("collaboration:milestone_add", args=[closed_project.pk]), follow=True
        )
        assert response.redirect_chain[-1][0] == page_url(closed_project)
        assert "The milestones section of this project is not open yet." in screen(response).text

    def test_a_new_project(self, as_user, platform_admin, consultant, customer):
        response = as_user(platform_admin).post(
            reverse("collaboration:project_new"),
            {
                "title": "Pricing study",
                "consultant": consultant.pk,
                "client": customer.pk,
                "completion_date": "2026-09-30",
                "initial_payment_required": "on",
            },
        )
        project = Project.objects.get(title="Pricing study")
        assert response.url == page_url(project)
        assert project.created_by == platform_admin and project.awaiting_payment

    def test_a_project_needs_two_different_people(self, as_user, platform_admin, consultant):
        response = as_user(platform_admin).post(
            reverse("collaboration:project_new"),
            {
                "title": "Pricing study",
                "consultant": consultant.pk,
                "client": consultant.pk,
                "completion_date": "2026-09-30",
            },
        )
        assert response.context["form"].errors == {
            "client": ["The client must be someone other than the consultant."]
        }
        assert not Project.objects.exists()

    def test_the_payment_cannot_be_required_again_once_the_milestones_are_open(
        self, as_user, platform_admin, consultant, customer
    ):
        project = ProjectFactory(
            consultant=consultant, client=customer, initial_payment_required=False
        )
        project.milestones_opened_at = timezone.now()
        project.save()

        response = as_user(platform_admin).post(
            reverse("collaboration:project_edit", args=[project.pk]),
            {
                "title": project.title,
                "consultant": consultant.pk,
                "client": customer.pk,
                "completion_date": project.completion_date.isoformat(),
                "initial_payment_required": "on",
            },
        )

        assert response.context["form"].errors == {
            "initial_payment_required": [
                "The milestones are already open, so the initial payment can no longer be required."
            ]
        }
        project.refresh_from_db()
        assert not project.initial_payment_required

    def test_milestones_opened_while_the_details_were_edited_are_pointed_out(
        self, as_user, platform_admin, consultant, customer, monkeypatch
    ):
        project = ProjectFactory(
            consultant=consultant, client=customer, initial_payment_required=False
        )
        read = views.get_project_for_admin

        def read_then_open(user, pk):
            found = read(user, pk)
            # Another admin opens the milestones while this request is under way.
            services.project_milestones_open(project=found, opened_by=user)
            return found

        monkeypatch.setattr(views, "get_project_for_admin", read_then_open)
        response = as_user(platform_admin).post(
            reverse("collaboration:project_edit", args=[project.pk]),
            {
                "title": project.title,
                "consultant": consultant.pk,
                "client": customer.pk,
                "completion_date": project.completion_date.isoformat(),
                "initial_payment_required": "on",
            },
        )

        assert list(response.context["form"].errors) == ["initial_payment_required"]
        project.refresh_from_db()
        assert project.milestones_open and not project.initial_payment_required


class TestCheckbox:
    def completion(self, project, milestone):
        return reverse("collaboration:milestone_completion", args=[project.pk, milestone.pk])

    def test_without_javascript_the_form_posts_and_comes_back_to_the_milestone(
        self, as_user, project, consultant
    ):
        milestone = ProjectMilestoneFactory(project=project)
        response = as_user(consultant).post(self.completion(project, milestone), {"completed": "1"})
        assert response.url == f"{page_url(project)}#milestone-{milestone.pk}"
        milestone.refresh_from_db()
        assert milestone.completed_by == consultant

    def test_with_htmx_it_answers_with_the_milestones_and_the_chat(
        self, as_user, project, consultant, django_capture_on_commit_callbacks, settle
    ):
        milestone = ProjectMilestoneFactory(project=project, title="Data cleaning")
        browser = as_user(consultant)

        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(
                self.completion(project, milestone), {"completed": "1"}, headers=HTMX
            )

        assert response.status_code == 200
        regions = swapped_regions(response)
        # The chat's form is not in the answer: a message being typed there stays as it is.
        assert list(regions) == ["milestones", "chat-log"]
        assert regions["milestones"].checkboxes == {"Complete: Data cleaning": True}
        assert "1 of 1 milestone complete" in regions["milestones"].text
        assert "Carla Consultant marked the milestone “Data cleaning” complete." in (
            regions["chat-log"].text
        )
        assert "Undo" in regions["milestones"].text
        settle()
        assert [m.subject for m in mail.outbox] == [
            "Milestone complete on Churn model: Data cleaning"
        ]

        response = browser.post(
            self.completion(project, milestone), {"completed": "0"}, headers=HTMX
        )
        regions = swapped_regions(response)
        assert regions["milestones"].checkboxes == {"Complete: Data cleaning": False}
        assert "Marked not complete by Carla Consultant" in regions["milestones"].text
        milestone.refresh_from_db()
        assert not milestone.is_complete and milestone.reopened_by == consultant

    def test_a_garbled_state_is_refused(self, as_user, project, consultant):
        milestone = ProjectMilestoneFactory(project=project)
        response = as_user(consultant).post(self.completion(project, milestone), {"completed": ""})
        assert response.status_code == 400


class TestChat:
    def test_posting_a_message(self, as_user, project, customer):
        response = as_user(customer).post(
            reverse("collaboration:chat", args=[project.pk]), {"body": "When is the call?"}
        )
        assert response.url == f"{page_url(project)}#chat"
        message = project.messages.get()
        assert (message.author, message.body, message.kind) == (
            customer,
            "When is the call?",
            ChatMessage.Kind.PERSON,
        )

    def test_a_blank_message_shows_an_error(self, as_user, project, customer):
        response = as_user(customer).post(
            reverse("collaboration:chat", args=[project.pk]), {"body": "  "}
        )
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
        assert not project.messages.exists()

    def test_posting_with_htmx_answers_with_the_chat_and_an_empty_form(
        self, as_user, project, customer
    ):
        response = as_user(customer).post(
            reverse("collaboration:chat", args=[project.pk]), {"body": "Thanks!"}, headers=HTMX
        )
        assert response.status_code == 200
        regions = swapped_regions(response)
        assert list(regions) == ["chat-log", "chat-form"]
        assert "You" in regions["chat-log"].text and "Thanks!" in regions["chat-log"].text
        assert "Thanks!" not in regions["chat-form"].text
        assert project.messages.get().body == "Thanks!"

    def test_a_blank_message_with_htmx_comes_back_with_the_reason_and_saves_nothing(
        self, as_user, project, customer
    ):
        response = as_user(customer).post(
            reverse("collaboration:chat", args=[project.pk]), {"body": " "}, headers=HTMX
        )
        # Not a failure the page reports as lost: the form is swapped in, showing why.
        assert response.status_code == 422
        regions = swapped_regions(response)
        assert "This field is required." in regions["chat-form"].text
        assert not project.messages.exists()

    def test_system_messages_look_different_from_people(self, as_user, project, consultant):
        ChatMessageFactory(project=project, author=project.client, body="Hi there")
        ChatMessage.objects.create(
            project=project,
            kind=ChatMessage.Kind.SYSTEM,
            author=consultant,
            event=ChatMessage.Event.ADDED,
            body="Carla Consultant added the milestone “Data cleaning”.",
        )
        html = as_user(consultant).get(page_url(project)).content.decode()
        assert html.count('data-testid="chat-message"') == 1
        assert html.count('data-testid="chat-system"') == 1
        text = screen(html).text
        assert text.index("Hi there") < text.index("added the milestone")

    def test_the_newest_page_is_shown_with_a_link_to_earlier_messages(
        self, as_user, project, customer, settings
    ):
        settings.COLLABORATION_CHAT_PAGE_SIZE = 10
        messages = ChatMessageFactory.create_batch(25, project=project)
        browser = as_user(customer)

        response = browser.get(page_url(project))
        newest = response.context["page"].chat
        assert [m.pk for m in newest.messages] == [m.pk for m in messages[15:]]
        earlier = f"{page_url(project)}?before={messages[15].pk}#chat"
        assert screen(response).links["Earlier messages"] == earlier
        assert "Back to the latest messages" not in screen(response).links

        older = browser.get(page_url(project), {"before": newest.earlier_before})
        chat = older.context["page"].chat
        assert [m.pk for m in chat.messages] == [m.pk for m in messages[5:15]]
        earlier = f"{page_url(project)}?before={messages[5].pk}#chat"
        assert screen(older).links["Earlier messages"] == earlier
        assert screen(older).links["Back to the latest messages"] == f"{page_url(project)}#chat"

        oldest = browser.get(page_url(project), {"before": chat.earlier_before})
        assert [m.pk for m in oldest.context["page"].chat.messages] == [m.pk for m in messages[:5]]
        assert "Earlier messages" not in screen(oldest).links

    @pytest.mark.parametrize("junk", ["abc", "²", "99999999999999999999", "-1"])
    def test_junk_in_place_of_a_message_shows_the_latest(self, as_user, project, customer, junk):
        ChatMessageFactory(project=project, body="The latest word")
        response = as_user(customer).get(page_url(project), {"before": junk})
        assert response.status_code == 200
        assert "The latest word" in screen(response).text

    def test_messages_only_hides_the_lines_about_milestone_changes(
        self, as_user, project, customer
    ):
        ChatMessageFactory(project=project, body="Is the extract ready?")
        ChatMessage.objects.create(
            project=project, kind=ChatMessage.Kind.SYSTEM, body="Ann marked “Data” complete."
        )
        browser = as_user(customer)
        everything = screen(browser.get(page_url(project)))
        assert "Ann marked “Data” complete." in everything.text
        assert everything.links["Messages only"] == f"{page_url(project)}?show=messages#chat"

        only = browser.get(page_url(project), {"show": "messages"})
        assert "Is the extract ready?" in screen(only).text
        assert "Ann marked “Data” complete." not in screen(only).text
        assert screen(only).links["Everything"] == f"{page_url(project)}#chat"

        # Writing while the filter is on keeps it on.
        sent = browser.post(chat_url(project), {"body": "Yes, uploaded.", "show": "messages"})
        assert sent["Location"] == f"{page_url(project)}?show=messages#chat"
        swapped = browser.post(
            chat_url(project), {"body": "And the notes.", "show": "messages"}, headers=HTMX
        )
        assert "Ann marked" not in swapped.content.decode()

    def test_another_projects_messages_never_show(self, as_user, project, customer):
        ChatMessageFactory(body="Secret of another project")
        html = as_user(customer).get(page_url(project)).content.decode()
        assert "Secret of another project" not in html


class TestQueryCounts:
    def fill(self, project, milestones, messages):
        for n in range(milestones):
            ProjectMilestoneFactory(
                project=project,
                due_date=day(n - milestones // 2),
                completed_at=timezone.now() if n % 3 == 0 else None,
                completed_by=project.consultant if n % 3 == 0 else None,
                reopened_at=timezone.now() if n % 3 == 1 else None,
                reopened_by=project.client if n % 3 == 1 else None,
            )
        for n in range(messages):
            ChatMessageFactory(
                project=project, author=project.client if n % 2 else project.consultant
            )

    @pytest.mark.parametrize("role", ["consultant", "client", "admin"])
    def test_the_project_page_costs_the_same_whatever_its_size(
        self,
        as_user,
        project,
        role,
        consultant,
        customer,
        platform_admin,
        django_assert_num_queries,
        django_assert_max_num_queries,
    ):
        person = {"consultant": consultant, "client": customer, "admin": platform_admin}[role]
        browser = as_user(person)
        url = page_url(project)
        self.fill(project, milestones=1, messages=1)
        browser.get(url)
        # The session, the user, the project, its milestones, a page of chat and the menu's
        # lists (plans managed, plans taken part in, projects): a handful, never one per row.
        with django_assert_max_num_queries(9) as small:
            browser.get(url)

        self.fill(project, milestones=30, messages=100)
        with django_assert_num_queries(len(small.captured_queries)):
            response = browser.get(url)
        assert len(response.context["page"].board.milestones) == 31

    def test_the_htmx_answers_cost_the_same_whatever_the_size_of_the_project(
        self, as_user, project, consultant, django_assert_num_queries, django_assert_max_num_queries
    ):
        browser = as_user(consultant)
        chat = reverse("collaboration:chat", args=[project.pk])
        self.fill(project, milestones=1, messages=1)
        milestone = project.milestones.get()
        tick = reverse("collaboration:milestone_completion", args=[project.pk, milestone.pk])

        def change_and_answer():
            browser.post(tick, {"completed": "1"}, headers=HTMX)
            browser.post(tick, {"completed": "0"}, headers=HTMX)
            browser.post(chat, {"body": "Hello"}, headers=HTMX)

        change_and_answer()
        # Two ticks and a message, each a change, its chat message, the client's email and the
        # regions it changed: a fixed number of queries, never one per row.
        with django_assert_max_num_queries(46) as small:
            change_and_answer()

        self.fill(project, milestones=30, messages=100)
        with django_assert_num_queries(len(small.captured_queries)):
            change_and_answer()

    def test_the_project_list_and_home_cost_the_same_whatever_the_number_of_projects(
        self, as_user, platform_admin, django_assert_num_queries, django_assert_max_num_queries
    ):
        browser = as_user(platform_admin)
        for _ in range(2):
            ProjectMilestoneFactory(project__consultant=platform_admin)
        browser.get("/")
        with django_assert_max_num_queries(17) as few:
            browser.get(reverse("collaboration:projects"))
            browser.get("/")
        for _ in range(20):
            ProjectMilestoneFactory(project__consultant=platform_admin)
        with django_assert_num_queries(len(few.captured_queries)):
            browser.get(reverse("collaboration:projects"))
            browser.get("/")


class TestNavigationAndHome:
    def test_people_with_projects_see_them_in_the_menu_and_on_the_home_page(
        self, as_user, project, customer
    ):
        html = as_user(customer).get("/").content.decode()
        assert 'data-testid="nav-projects"' in html
        assert "Your projects" in html
        # Once in the menu (its full title on hover) and once on the home page.
        assert html.count(">Churn model<") == 2
        assert "New project" not in html

    def test_people_without_projects_see_neither(self, as_user, outsider, project):
        html = as_user(outsider).get("/").content.decode()
        assert 'data-testid="nav-projects"' not in html
        assert "Your projects" not in html

    def test_platform_admins_always_see_the_projects_section(self, as_user, platform_admin):
        html = as_user(platform_admin).get("/").content.decode()
        assert 'data-testid="nav-projects"' in html
        assert "All projects" in html and "New project" in html

    def test_the_list_shows_staff_every_project_and_others_their_own(
        self, as_user, project, platform_admin, outsider
    ):
        ProjectFactory(title="Someone else's")
        staff_html = as_user(platform_admin).get(reverse("collaboration:projects")).content.decode()
        assert staff_html.count('data-testid="project-row"') == 2
        outsider_html = as_user(outsider).get(reverse("collaboration:projects")).content.decode()
        assert outsider_html.count('data-testid="project-row"') == 0


class TestLiveForms:
    def test_each_form_that_updates_in_place_posts_the_same_way_without_javascript(
        self, as_user, project, consultant
    ):
        ProjectMilestoneFactory(project=project)
        live = [
            form
            for form in screen(as_user(consultant).get(page_url(project))).forms
            if "hx-post" in form
        ]

        assert [form["id"] for form in live if "id" in form] == ["chat-form"]
        assert len(live) == 2
        for form in live:
            assert form["method"] == "post" and form["action"] == form["hx-post"]
            # A second submit while the first is in flight is dropped.
            assert form["hx-sync"] == "this:drop"
            # A failure is shown by the form; the page never posts it again by itself.
            assert form["data-request-error"]


class TestDueDatesInThePast:
    def test_a_past_due_date_needs_a_confirmation_then_the_email_says_it_is_overdue(
        self, as_user, project, consultant, django_capture_on_commit_callbacks, settle
    ):
        browser = as_user(consultant)
        url = reverse("collaboration:milestone_add", args=[project.pk])
        data = {"due_date": day(-3).isoformat(), "title": "Kick-off", "description": "Late."}

        refused = browser.post(url, data)
        assert refused.status_code == 200
        text = screen(refused).text
        assert "the milestone will show as overdue at once" in text
        assert controls(refused, "confirm_overdue")
        assert not project.milestones.exists()

        with django_capture_on_commit_callbacks(execute=True):
            added = browser.post(url, {**data, "confirm_overdue": "on"})
        assert added.status_code == 302
        assert project.milestones.get().title == "Kick-off"
        settle()
        email = Notification.objects.get(kind="project_milestone_added")
        assert "(already overdue)" in email.body_text

    def test_a_future_date_or_an_unchanged_past_one_needs_no_confirmation(
        self, as_user, project, consultant
    ):
        browser = as_user(consultant)
        add = reverse("collaboration:milestone_add", args=[project.pk])
        data = {"due_date": day(5).isoformat(), "title": "Model", "description": "Train it."}
        page = browser.get(add)
        assert not controls(page, "confirm_overdue")
        assert browser.post(add, data).status_code == 302
        late = ProjectMilestoneFactory(project=project, due_date=day(-2), title="Late one")
        edit = reverse("collaboration:milestone_edit", args=[project.pk, late.pk])
        response = browser.post(
            edit,
            {"due_date": day(-2).isoformat(), "title": "Late one, renamed", "description": "x"},
        )
        assert response.status_code == 302


class TestLiveUpdates:
    def updates(self, project, after, **more):
        return (
            reverse("collaboration:project_updates", args=[project.pk])
            + f"?after={after}"
            + ("&show=messages" if more.get("people_only") else "")
        )

    def test_an_open_page_asks_after_its_newest_line_and_gets_nothing_until_news(
        self, as_user, project, customer, consultant
    ):
        first = ChatMessageFactory(project=project, author=consultant, body="Hello")
        browser = as_user(customer)
        poller = screen_poller(browser.get(page_url(project)))
        assert poller == self.updates(project, first.pk)

        assert browser.get(poller, headers=HTMX).status_code == 204
        ChatMessageFactory(project=project, author=consultant, body="The extract is ready.")
        news = browser.get(poller, headers=HTMX)
        assert news.status_code == 200
        assert "The extract is ready." in news.content.decode()
        # The new log asks after the new newest line.
        latest = project.messages.latest("pk").pk
        assert f"after={latest}" in news.content.decode()

    def test_asking_costs_one_query_however_long_the_chat(
        self, as_user, project, customer, consultant, django_assert_max_num_queries
    ):
        ChatMessageFactory.create_batch(50, project=project, author=consultant)
        browser = as_user(customer)
        latest = project.messages.latest("pk").pk
        browser.get(self.updates(project, latest), headers=HTMX)
        with django_assert_max_num_queries(4):
            assert browser.get(self.updates(project, latest), headers=HTMX).status_code == 204


def screen_poller(response):
    match = re.search(r'data-testid="live-updates" hx-get="([^"]+)"', response.content.decode())
    return match.group(1).replace("&amp;", "&")


def test_the_edit_page_shows_who_changed_the_milestone_and_how(
    as_user, project, consultant, platform_admin
):
    from collaboration import services

    milestone = services.project_milestone_create(
        project=project, actor=consultant, due_date=day(5), title="Data", description="Clean it."
    )
    services.project_milestone_update(
        milestone=milestone,
        actor=consultant,
        due_date=day(6),
        title="Data cleaning",
        description="Clean it.",
    )
    services.project_milestone_complete(milestone=milestone, actor=platform_admin)

    page = as_user(consultant).get(
        reverse("collaboration:milestone_edit", args=[project.pk, milestone.pk])
    )
    text = screen(page).text
    assert "Complete: no → yes" in text
    assert "Title: Data → Data cleaning" in text
    assert text.index("Complete: no → yes") < text.index("Title: Data → Data cleaning")
    assert f"{platform_admin}" in text
