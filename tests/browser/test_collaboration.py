"""The project collaboration page in a real browser: the consultant's milestones, the client's
emails, the checkbox with and without JavaScript, and what the client may not touch."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from collaboration.models import Project
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.collaboration.factories import ProjectFactory, ProjectMilestoneFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ARTIFACTS / "screens"


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def long_date(value: datetime.date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


@pytest.fixture
def people():
    return {
        "consultant": UserFactory(display_name="Carla Consultant"),
        "client": UserFactory(display_name="Chris Client"),
        "admin": UserFactory(display_name="Ada Admin", is_staff=True),
    }


@pytest.fixture
def project(people):
    return ProjectFactory(
        title="Customer churn model",
        consultant=people["consultant"],
        client=people["client"],
        completion_date=day(30),
        open=True,
    )


def open_project(page, project):
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("heading", name=project.title, level=1)).to_be_visible()


def milestone_titles(page):
    return page.get_by_test_id("milestone-title").all_inner_texts()


def add_milestone(page, due_date, title, description):
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Due date").fill(due_date.isoformat())
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_text(f"“{title}” is added")).to_be_visible()


def test_the_consultant_adds_milestones_out_of_order_and_sees_them_sorted(
    page, people, project, password
):
    sign_in(page, people["consultant"].email, password)
    open_project(page, project)
    expect(page.get_by_test_id("milestones-empty")).to_be_visible()

    add_milestone(page, day(20), "Model build", "Train and validate the churn model.")
    add_milestone(
        page,
        day(5),
        "Data cleaning",
        "Clean the data provided by the client, and make it ready for analysis.",
    )
    add_milestone(page, day(12), "Exploratory analysis", "Profile churned customers.")

    assert milestone_titles(page) == ["Data cleaning", "Exploratory analysis", "Model build"]
    expect(page.get_by_test_id("progress-label")).to_have_text("0 of 3 milestones complete")

    # The last milestone is due ten days before the completion date: the page says so.
    notice = page.get_by_test_id("notice-last-due-date")
    expect(notice).to_contain_text("Pro tip")
    expect(notice).to_contain_text("“Model build”")
    expect(notice).to_contain_text(long_date(day(30)))

    chat = page.get_by_test_id("chat-system")
    expect(chat).to_have_count(3)
    expect(chat.last).to_contain_text("Carla Consultant added the milestone “Exploratory analysis”")

    client_email = people["client"].email
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [client_email],
            f"New milestone on Customer churn model: Model build (due {day(20):%-d %b %Y})",
        ),
        (
            [client_email],
            f"New milestone on Customer churn model: Data cleaning (due {day(5):%-d %b %Y})",
        ),
        (
            [client_email],
            "New milestone on Customer churn model: Exploratory analysis "
            f"(due {day(12):%-d %b %Y})",
        ),
    ]
    assert f"/projects/{project.pk}/" in mail.outbox[0].body

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "project-consultant-desktop.png", full_page=True)

    # Moving the last milestone onto the completion date clears the notice.
    page.get_by_role("button", name="Actions for Model build").click()
    page.get_by_role("link", name="Edit milestone").click()
    page.get_by_label("Due date").fill(day(30).isoformat())
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("“Model build” is saved")).to_be_visible()
    expect(page.get_by_test_id("notice-last-due-date")).to_have_count(0)
    edit = mail.outbox[-1]
    assert edit.subject == "Milestone edited on Customer churn model: Model build"
    assert f"was: {long_date(day(20))}\n  now: {long_date(day(30))}" in edit.body


def test_a_milestone_due_after_the_completion_date_is_pointed_out(page, people, project, password):
    ProjectMilestoneFactory(project=project, title="Handover", due_date=day(34))
    sign_in(page, people["consultant"].email, password)
    open_project(page, project)
    expect(page.get_by_test_id("notice-after-completion")).to_contain_text(
        "“Handover” is due after the project's completion date"
    )


def test_ticking_and_unticking_updates_the_page_without_reloading_it(
    page, people, project, password
):
    ProjectMilestoneFactory(project=project, title="Data cleaning", due_date=day(-2))
    ProjectMilestoneFactory(project=project, title="Model build", due_date=day(30))
    sign_in(page, people["consultant"].email, password)
    open_project(page, project)
    expect(page.get_by_test_id("overdue")).to_have_count(1)
    page.evaluate("window.stillTheSamePage = true")

    checkbox = page.get_by_role("checkbox", name="Complete: Data cleaning")
    expect(checkbox).not_to_be_checked()
    checkbox.click()

    expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).to_be_checked()
    expect(page.get_by_test_id("progress-label")).to_have_text("1 of 2 milestones complete")
    expect(page.get_by_test_id("overdue")).to_have_count(0)
    expect(page.get_by_test_id("completed-by")).to_contain_text("Completed by Carla Consultant")
    expect(page.get_by_test_id("chat-system").last).to_contain_text(
        "Carla Consultant marked the milestone “Data cleaning” complete."
    )
    expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True
    assert [m.subject for m in mail.outbox] == [
        "Milestone complete on Customer churn model: Data cleaning"
    ]

    page.get_by_role("checkbox", name="Complete: Data cleaning").click()

    expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).not_to_be_checked()
    expect(page.get_by_test_id("progress-label")).to_have_text("0 of 2 milestones complete")
    expect(page.get_by_test_id("chat-system").last).to_contain_text(
        "Carla Consultant marked the milestone “Data cleaning” as not complete."
    )
    expect(page.get_by_text("Marked not complete by Carla Consultant")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert [m.subject for m in mail.outbox] == [
        "Milestone complete on Customer churn model: Data cleaning",
        "Milestone no longer complete on Customer churn model: Data cleaning",
    ]
    assert {tuple(m.to) for m in mail.outbox} == {(people["client"].email,)}


def test_the_checkbox_works_without_javascript(browser, live_server, people, project, password):
    ProjectMilestoneFactory(project=project, title="Data cleaning")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, people["consultant"].email, password)
        open_project(page, project)
        page.get_by_role("checkbox", name="Complete: Data cleaning").click()

        expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/#milestone-\d+$"))
        expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).to_be_checked()
        expect(page.get_by_test_id("chat-system").last).to_contain_text("complete.")
        assert len(mail.outbox) == 1
    finally:
        context.close()


def test_the_client_reads_milestones_and_chats_but_cannot_change_them(
    page, people, project, password
):
    ProjectMilestoneFactory(project=project, title="Data cleaning", due_date=day(3))
    sign_in(page, people["client"].email, password)
    open_project(page, project)

    expect(page.get_by_test_id("milestone-title")).to_have_text(["Data cleaning"])
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Actions for"))).to_have_count(0)
    expect(page.get_by_text("Edit milestone")).to_have_count(0)
    expect(page.get_by_test_id("admin-panel")).to_have_count(0)

    page.get_by_label("Message").fill("Thanks Carla, the extract is in the shared folder.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("chat-message").last).to_contain_text(
        "Thanks Carla, the extract is in the shared folder."
    )
    expect(page.get_by_label("Message")).to_have_value("")

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SCREENS / "project-client-phone.png", full_page=True)


def test_deleting_asks_first_then_emails_the_client(page, people, project, password):
    ProjectMilestoneFactory(project=project, title="Data cleaning", due_date=day(3))
    sign_in(page, people["consultant"].email, password)
    open_project(page, project)

    page.get_by_role("button", name="Actions for Data cleaning").click()
    page.get_by_role("link", name="Delete milestone").click()
    expect(
        page.get_by_role("heading", name="Delete the milestone “Data cleaning”?")
    ).to_be_visible()
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_test_id("milestone-title")).to_have_text(["Data cleaning"])
    assert mail.outbox == []

    page.get_by_role("button", name="Actions for Data cleaning").click()
    page.get_by_role("link", name="Delete milestone").click()
    page.get_by_role("button", name="Delete milestone").click()

    expect(page.get_by_test_id("milestones-empty")).to_be_visible()
    expect(page.get_by_test_id("chat-system").last).to_contain_text(
        "Carla Consultant deleted the milestone “Data cleaning”"
    )
    assert [m.subject for m in mail.outbox] == [
        "Milestone deleted on Customer churn model: Data cleaning"
    ]


def test_a_platform_admin_creates_a_project_records_the_payment_and_opens_it(
    page, people, password
):
    sign_in(page, people["admin"].email, password)
    page.goto("/projects/")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Title").fill("Pricing strategy review")
    page.get_by_role("combobox", name="Consultant").select_option(
        label=f"Carla Consultant ({people['consultant'].email})"
    )
    page.get_by_role("combobox", name="Client").select_option(
        label=f"Chris Client ({people['client'].email})"
    )
    page.get_by_label("Completion date").fill(day(45).isoformat())
    page.get_by_role("button", name="Create project").click()

    expect(page.get_by_test_id("milestones-waiting")).to_contain_text(
        "the client's initial payment is received (waiting)"
    )
    expect(page.get_by_role("button", name="Open the milestones section")).to_be_disabled()

    page.get_by_label("Amount received").fill("1800")
    page.get_by_label("Reference").fill("INV-2026-031")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_test_id("payment-recorded")).to_contain_text("1800.00 received on")
    expect(page.get_by_test_id("payment-recorded")).to_contain_text("Recorded by Ada Admin")

    page.get_by_role("button", name="Open the milestones section").click()
    expect(page.get_by_test_id("milestones-opened")).to_contain_text("Opened by Ada Admin")
    expect(page.get_by_role("link", name="Add a milestone")).to_be_visible()
    expect(page.get_by_test_id("chat-system")).to_contain_text("Ada Admin opened the milestones")
    project = Project.objects.get(title="Pricing strategy review")
    assert project.milestones_opened_by == people["admin"]

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "project-admin-desktop.png", full_page=True)
