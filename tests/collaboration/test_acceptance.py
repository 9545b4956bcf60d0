"""Deliverables handed over for a milestone, and the client's acceptance."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from collaboration import services
from collaboration.models import ChatMessage, Deliverable
from notifications.models import Notification
from tests.downloads import downloaded
from tests.factories import (
    PDF,
    DeliverableFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
    UserFactory,
)
from tests.pages import screen

pytestmark = pytest.mark.django_db


def page_url(project):
    return reverse("collaboration:project", args=[project.pk])


def add_url(milestone):
    return reverse("collaboration:deliverable_add", args=[milestone.project_id, milestone.pk])


def download_url(deliverable):
    return reverse(
        "collaboration:deliverable_download",
        args=[deliverable.milestone.project_id, deliverable.pk],
    )


@pytest.fixture
def milestone(project):
    return ProjectMilestoneFactory(project=project, title="Data cleaning")


class TestDeliverables:
    def test_the_consultant_adds_a_file_that_the_client_downloads(
        self, as_user, project, milestone, consultant, customer
    ):
        response = as_user(consultant).post(
            add_url(milestone),
            {
                "title": "Cleaned data",
                "file": SimpleUploadedFile("Cleaned data.pdf", PDF, "application/pdf"),
                "url": "",
            },
        )
        assert response.status_code == 302
        deliverable = milestone.deliverables.get()
        assert deliverable.filename == "Cleaned data.pdf"
        assert project.messages.last().event == ChatMessage.Event.DELIVERABLE

        browser = as_user(customer)
        seen = screen(browser.get(page_url(project)))
        assert seen.links["Cleaned data"] == download_url(deliverable)
        content, disposition = downloaded(browser, download_url(deliverable))
        assert content == PDF
        assert 'filename="Cleaned data.pdf"' in disposition

    @pytest.mark.parametrize("who", ["other consultant", "other client", "outsider"])
    def test_nobody_else_can_download_it(self, as_user, milestone, who):
        deliverable = DeliverableFactory(milestone=milestone)
        other = ProjectFactory()
        person = {
            "other consultant": other.consultant,
            "other client": other.client,
            "outsider": UserFactory(),
        }[who]
        assert as_user(person).get(download_url(deliverable)).status_code == 404

    def test_a_link_opens_where_it_points(self, as_user, project, milestone, consultant, customer):
        as_user(consultant).post(
            add_url(milestone),
            {"title": "Dashboard", "url": "https://dashboards.example/churn"},
        )
        seen = screen(as_user(customer).get(page_url(project)))
        assert seen.links["Dashboard (opens in a new tab)"] == "https://dashboards.example/churn"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"title": "Nothing", "url": ""}, "Give either a file or a link."),
            (
                {
                    "title": "Both",
                    "url": "https://dashboards.example/",
                    "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                },
                "Give either a file or a link.",
            ),
            (
                {"title": "Program", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
                "“run.exe” is not a type of file that can be uploaded here",
            ),
            (
                {"title": "Fake", "file": SimpleUploadedFile("report.pdf", b"not a pdf at all")},
                "report.pdf",
            ),
            ({"title": "", "url": "https://dashboards.example/"}, "This field is required."),
            ({"title": "Bad link", "url": "javascript:alert(1)"}, "Enter a valid URL."),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_saves_nothing(
        self, as_user, milestone, consultant, data, message
    ):
        response = as_user(consultant).post(add_url(milestone), data)
        assert response.status_code == 200
        assert message in screen(response).text
        assert not Deliverable.objects.exists()

    def test_removing_a_file_deletes_it_from_storage(
        self, as_user, project, milestone, consultant, django_capture_on_commit_callbacks
    ):
        deliverable = DeliverableFactory(milestone=milestone)
        name = deliverable.file.name
        assert default_storage.exists(name)
        with django_capture_on_commit_callbacks(execute=True):
            as_user(consultant).post(
                reverse(
                    "collaboration:deliverable_remove",
                    args=[project.pk, milestone.pk, deliverable.pk],
                )
            )
        assert not Deliverable.objects.exists()
        assert not default_storage.exists(name)
        assert "removed the deliverable “Cleaned data set”" in project.messages.last().body

    def test_the_client_cannot_add_or_remove_deliverables(self, as_user, milestone, customer):
        deliverable = DeliverableFactory(milestone=milestone)
        browser = as_user(customer)
        assert browser.get(add_url(milestone)).status_code == 404
        remove = reverse(
            "collaboration:deliverable_remove",
            args=[milestone.project_id, milestone.pk, deliverable.pk],
        )
        assert browser.post(remove).status_code == 404
        assert Deliverable.objects.count() == 1

    def test_the_delivered_email_lists_the_deliverables(
        self, project, milestone, consultant, settle
    ):
        DeliverableFactory(milestone=milestone, file="", filename="", url="https://x.example/d")
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        settle()
        email = Notification.objects.get(kind="project_milestone_completed")
        assert "Deliverables:\n  - Cleaned data set: https://x.example/d" in email.body_text


@pytest.fixture
def accepting(consultant, customer):
    return ProjectFactory(
        consultant=consultant,
        client=customer,
        open=True,
        title="Churn model",
        acceptance_required=True,
    )


@pytest.fixture
def delivered(accepting, consultant):
    milestone = ProjectMilestoneFactory(project=accepting, title="Data cleaning")
    return services.project_milestone_complete(milestone=milestone, actor=consultant)


class TestAcceptance:
    def test_a_delivered_milestone_waits_for_the_client_and_does_not_count_yet(
        self, as_user, accepting, delivered, customer, consultant, settle
    ):
        settle()
        email = Notification.objects.get(kind="project_milestone_completed")
        assert email.recipient == customer
        assert email.subject == (
            "Milestone delivered for your acceptance on Churn model: Data cleaning"
        )
        consultant_page = screen(as_user(consultant).get(page_url(accepting)))
        assert "Delivered, awaiting client" in consultant_page.text
        assert "0 of 1 milestone accepted" in consultant_page.text
        assert "Accept" not in consultant_page.buttons

        client_page = screen(as_user(customer).get(page_url(accepting)))
        assert "Delivered, awaiting your acceptance" in client_page.text
        assert "Accept" in client_page.buttons and "Ask for changes" in client_page.links

    def test_the_client_accepts_and_the_consultant_hears_at_once(
        self, as_user, accepting, delivered, customer, consultant
    ):
        browser = as_user(customer)
        response = browser.post(
            reverse("collaboration:milestone_accept", args=[accepting.pk, delivered.pk]),
            follow=True,
        )
        seen = screen(response)
        assert "“Data cleaning” is accepted and Carla Consultant is told so." in seen.text
        assert "1 of 1 milestone accepted" in seen.text
        assert "Accepted" in seen.text and "Accept" not in seen.buttons
        email = Notification.objects.get(kind="project_milestone_accepted")
        assert email.recipient == consultant
        assert email.subject == "Milestone accepted on Churn model: Data cleaning"
        assert accepting.messages.last().event == ChatMessage.Event.ACCEPTED
        history = screen(
            as_user(consultant).get(
                reverse("collaboration:milestone_edit", args=[accepting.pk, delivered.pk])
            )
        )
        assert "Accepted by the client" in history.text

    def test_the_client_asks_for_changes_with_a_comment(
        self, as_user, accepting, delivered, customer, consultant, settle
    ):
        settle()
        url = reverse("collaboration:milestone_changes", args=[accepting.pk, delivered.pk])
        browser = as_user(customer)
        refused = browser.post(url, {"comment": "   "})
        assert "This field is required." in screen(refused).text

        response = browser.post(url, {"comment": "Keep the outliers, please."}, follow=True)
        seen = screen(response)
        assert "Carla Consultant is asked for the changes to “Data cleaning”." in seen.text
        assert "Chris Client asked for changes" in seen.text
        assert "Keep the outliers, please." in seen.text
        delivered.refresh_from_db()
        assert not delivered.is_complete and delivered.reopened_by == customer
        email = Notification.objects.get(kind="project_milestone_changes_requested")
        assert email.recipient == consultant
        assert "> Keep the outliers, please." in email.body_text
        # The client reopened it themselves: nothing more is sent to them.
        assert settle() == 0
        assert Notification.objects.filter(recipient=customer).count() == 1

    def test_only_a_delivered_milestone_can_be_accepted(self, accepting, customer):
        waiting = ProjectMilestoneFactory(project=accepting)
        with pytest.raises(ValidationError, match="not submitted for acceptance yet"):
            services.project_milestone_accept(milestone=waiting, actor=customer)

    def test_only_the_client_accepts(self, as_user, accepting, delivered, consultant):
        url = reverse("collaboration:milestone_accept", args=[accepting.pk, delivered.pk])
        assert as_user(consultant).post(url).status_code == 404
        with pytest.raises(ValidationError, match="Only the project's client"):
            services.project_milestone_accept(milestone=delivered, actor=consultant)
        delivered.refresh_from_db()
        assert delivered.accepted_at is None

    def test_a_project_without_acceptance_keeps_the_simple_tick(
        self, as_user, project, milestone, customer, consultant
    ):
        services.project_milestone_complete(milestone=milestone, actor=consultant)
        seen = screen(as_user(customer).get(page_url(project)))
        assert "1 of 1 milestone complete" in seen.text
        assert "Accept" not in seen.buttons
        url = reverse("collaboration:milestone_accept", args=[project.pk, milestone.pk])
        assert as_user(customer).post(url).status_code == 404

    def test_unticking_an_accepted_milestone_takes_the_acceptance_back(
        self, accepting, delivered, customer, consultant
    ):
        services.project_milestone_accept(milestone=delivered, actor=customer)
        services.project_milestone_uncomplete(milestone=delivered, actor=consultant)
        delivered.refresh_from_db()
        assert delivered.accepted_at is None and not delivered.is_complete

    def test_the_project_list_counts_accepted_milestones(
        self, as_user, accepting, delivered, customer
    ):
        ProjectMilestoneFactory(
            project=accepting,
            completed_at=timezone.now(),
            accepted_at=timezone.now(),
        )
        listed = screen(as_user(customer).get(reverse("collaboration:projects")))
        assert "1 of 2 complete" in listed.text


def test_a_stored_deliverable_must_have_a_file_or_a_link(milestone):
    deliverable = Deliverable(milestone=milestone, title="Empty")
    with pytest.raises(ValidationError, match="either a file or a link"):
        deliverable.full_clean()
    deliverable = Deliverable(
        milestone=milestone,
        title="Both",
        url="https://x.example/",
        file=ContentFile(PDF, name="a.pdf"),
    )
    with pytest.raises(ValidationError, match="either a file or a link"):
        deliverable.full_clean()
