"""The live_project collaboration page in a real browser: the consultant's milestones, the client's
emails, the checkbox and the chat with and without JavaScript, slow and failed answers, and
what the client may not touch."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from collaboration import services
from collaboration.models import ChatMessage, Project
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import (
    ChatMessageFactory,
    DeliverableFactory,
    PlanMembershipFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ARTIFACTS / "screens"


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def long_date(value: datetime.date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


@pytest.fixture
def collaborators():
    return {
        "consultant": UserFactory(display_name="Carla Consultant"),
        "client": UserFactory(display_name="Chris Client"),
        "admin": UserFactory(display_name="Ada Admin", is_staff=True),
    }


@pytest.fixture
def live_project(collaborators):
    return ProjectFactory(
        title="Customer churn model",
        consultant=collaborators["consultant"],
        client=collaborators["client"],
        completion_date=day(30),
        open=True,
    )


def open_project(page, live_project):
    page.goto(f"/projects/{live_project.pk}/")
    expect(page.get_by_role("heading", name=live_project.title, level=1)).to_be_visible()


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
    page, collaborators, live_project, password
):
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)
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

    client_email = collaborators["client"].email
    assert mail.outbox == []
    settle()
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
    assert f"/projects/{live_project.pk}/" in mail.outbox[0].body

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "project-consultant-desktop.png", full_page=True)

    # Moving the last milestone onto the completion date clears the notice.
    page.get_by_label("Actions for Model build").click()
    page.get_by_role("link", name="Edit milestone").click()
    page.get_by_label("Due date").fill(day(30).isoformat())
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("“Model build” is saved")).to_be_visible()
    expect(page.get_by_test_id("notice-last-due-date")).to_have_count(0)
    settle()
    edit = mail.outbox[-1]
    assert edit.subject == "Milestone edited on Customer churn model: Model build"
    assert f"was: {long_date(day(20))}\n  now: {long_date(day(30))}" in edit.body


def settle():
    """Run the minute's sweep as if the settling window were over."""
    later = timezone.now() + services.settling_window() + datetime.timedelta(seconds=1)
    services.project_milestones_settled_announce(now=later)


def test_a_tick_can_be_undone_before_the_client_is_emailed(
    page, collaborators, live_project, password
):
    ProjectMilestoneFactory(project=live_project, title="Data cleaning", due_date=day(3))
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)

    page.get_by_role("checkbox", name="Complete: Data cleaning").click()
    settling = page.get_by_test_id("settling")
    expect(settling).to_contain_text("Chris Client is emailed about this change at")
    settling.get_by_role("button", name="Undo the latest changes to Data cleaning").click()

    expect(page.get_by_text("Undone: “Data cleaning” is back as")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).not_to_be_checked()
    expect(page.get_by_test_id("settling")).to_have_count(0)
    settle()
    assert mail.outbox == []


def test_a_milestone_due_after_the_completion_date_is_pointed_out(
    page, collaborators, live_project, password
):
    ProjectMilestoneFactory(project=live_project, title="Handover", due_date=day(34))
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)
    expect(page.get_by_test_id("notice-after-completion")).to_contain_text(
        "“Handover” is due after the project's completion date"
    )


def test_ticking_and_unticking_updates_the_page_without_reloading_it(
    page, collaborators, live_project, password
):
    ProjectMilestoneFactory(project=live_project, title="Data cleaning", due_date=day(-2))
    ProjectMilestoneFactory(project=live_project, title="Model build", due_date=day(30))
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)
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
    settle()
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
    settle()
    assert [m.subject for m in mail.outbox] == [
        "Milestone complete on Customer churn model: Data cleaning",
        "Milestone no longer complete on Customer churn model: Data cleaning",
    ]
    assert {tuple(m.to) for m in mail.outbox} == {(collaborators["client"].email,)}


def test_a_failed_tick_says_so_by_the_milestone_and_changes_nothing(
    page, collaborators, live_project, password
):
    ProjectMilestoneFactory(project=live_project, title="Data cleaning")
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)
    completions = []
    page.route("**/completion/", lambda route: completions.append(route) or route.abort())

    page.get_by_role("checkbox", name="Complete: Data cleaning").click()

    expect(page.get_by_text("This change may not have been saved")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).not_to_be_checked()
    page.wait_for_timeout(500)
    assert len(completions) == 1
    assert not live_project.milestones.get().is_complete


@pytest.fixture
def consultant_without_javascript(browser, live_server, collaborators, live_project, password):
    """The consultant on the project page in a browser with JavaScript turned off."""
    ProjectMilestoneFactory(project=live_project, title="Data cleaning")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)
    yield page
    context.close()


def test_the_milestone_menu_opens_without_javascript(consultant_without_javascript):
    page = consultant_without_javascript
    edit = page.get_by_role("link", name="Edit milestone")
    expect(edit).to_be_hidden()
    page.get_by_label("Actions for Data cleaning").click()
    edit.click()
    expect(page.get_by_role("heading", name=re.compile("Edit"))).to_be_visible()


def test_the_checkbox_and_the_chat_work_without_javascript(
    consultant_without_javascript, live_project
):
    page = consultant_without_javascript
    page.get_by_role("checkbox", name="Complete: Data cleaning").click()

    expect(page).to_have_url(re.compile(rf"/projects/{live_project.pk}/#milestone-\d+$"))
    expect(page.get_by_role("checkbox", name="Complete: Data cleaning")).to_be_checked()
    expect(page.get_by_test_id("chat-system").last).to_contain_text("complete.")
    settle()
    assert len(mail.outbox) == 1

    page.get_by_label("Message").fill("Done with the cleaning.")
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(rf"/projects/{live_project.pk}/#chat$"))
    expect(page.get_by_test_id("chat-message").last).to_contain_text("Done with the cleaning.")
    assert live_project.messages.filter(kind=ChatMessage.Kind.PERSON).count() == 1


def test_the_client_reads_milestones_and_chats_but_cannot_change_them(
    page, collaborators, live_project, password
):
    ProjectMilestoneFactory(project=live_project, title="Data cleaning", due_date=day(3))
    sign_in(page, collaborators["client"].email, password)
    open_project(page, live_project)

    expect(page.get_by_test_id("milestone-title")).to_have_text(["Data cleaning"])
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    # The state is a round mark to read, not a square that looks as if it could be ticked.
    state = page.get_by_role("img", name="Not complete yet")
    expect(state).to_be_visible()
    assert state.evaluate("e => getComputedStyle(e).borderStyle") == "none"
    expect(page.get_by_label(re.compile("^Actions for"))).to_have_count(0)
    expect(page.get_by_text("Edit milestone")).to_have_count(0)
    expect(page.get_by_test_id("admin-panel")).to_have_count(0)

    page.get_by_label("Message").fill("Thanks Carla, the extract is in the shared folder.")
    page.get_by_role("button", name="Send").click()
    sent = page.get_by_test_id("chat-message").last
    expect(sent).to_contain_text("Thanks Carla, the extract is in the shared folder.")
    expect(sent).to_be_in_viewport()
    expect(page.get_by_label("Message")).to_have_value("")
    expect(page.get_by_label("Message")).to_be_focused()

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SCREENS / "project-client-phone.png", full_page=True)


def test_deleting_asks_first_then_emails_the_client(page, collaborators, live_project, password):
    ProjectMilestoneFactory(project=live_project, title="Data cleaning", due_date=day(3))
    sign_in(page, collaborators["consultant"].email, password)
    open_project(page, live_project)

    page.get_by_label("Actions for Data cleaning").click()
    page.get_by_role("link", name="Delete milestone").click()
    expect(
        page.get_by_role("heading", name="Delete the milestone “Data cleaning”?")
    ).to_be_visible()
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_test_id("milestone-title")).to_have_text(["Data cleaning"])
    assert mail.outbox == []

    page.get_by_label("Actions for Data cleaning").click()
    page.get_by_role("link", name="Delete milestone").click()
    page.get_by_role("button", name="Delete milestone").click()

    expect(page.get_by_test_id("milestones-empty")).to_be_visible()
    expect(page.get_by_test_id("chat-system").last).to_contain_text(
        "Carla Consultant deleted the milestone “Data cleaning”"
    )
    assert [m.subject for m in mail.outbox] == [
        "Milestone deleted on Customer churn model: Data cleaning"
    ]


def choose_person(page, field, typed, name):
    page.get_by_role("combobox", name=field).press_sequentially(typed)
    page.get_by_role("option", name=re.compile(name)).click()
    expect(page.get_by_test_id(f"{field.lower()}-chosen")).to_contain_text(f"Chosen: {name}")


def test_a_platform_admin_creates_a_project_records_the_payment_and_opens_it(
    page, collaborators, password
):
    sign_in(page, collaborators["admin"].email, password)
    page.goto("/projects/")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Title").fill("Pricing strategy review")
    choose_person(page, "Consultant", "carla", "Carla Consultant")
    choose_person(page, "Client", "chris", "Chris Client")
    page.get_by_label("Completion date").fill(day(45).isoformat())
    page.get_by_role("button", name="Create project").click()

    expect(page.get_by_test_id("milestones-waiting")).to_contain_text(
        "the client's initial payment is received (waiting)"
    )
    expect(page.get_by_role("button", name="Open the milestones section")).to_be_disabled()

    page.get_by_label("Amount received").fill("1800")
    page.get_by_label("Reference").fill("INV-2026-031")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_test_id("payment-recorded")).to_contain_text("€1,800.00 received on")
    expect(page.get_by_test_id("payment-recorded")).to_contain_text("Recorded by Ada Admin")

    page.get_by_role("button", name="Open the milestones section").click()
    expect(page.get_by_test_id("milestones-opened")).to_contain_text("Opened by Ada Admin")
    expect(page.get_by_role("link", name="Add a milestone")).to_be_visible()
    expect(page.get_by_test_id("chat-system")).to_contain_text("Ada Admin opened the milestones")
    live_project = Project.objects.get(title="Pricing strategy review")
    assert live_project.milestones_opened_by == collaborators["admin"]

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "project-admin-desktop.png", full_page=True)


def people_messages(live_project):
    return list(
        live_project.messages.filter(kind=ChatMessage.Kind.PERSON).values_list("body", flat=True)
    )


def test_enter_sends_a_message_and_shift_enter_starts_a_new_line(
    page, collaborators, live_project, password
):
    ChatMessageFactory.create_batch(30, project=live_project, author=collaborators["consultant"])
    sign_in(page, collaborators["client"].email, password)
    open_project(page, live_project)
    page.evaluate("window.stillTheSamePage = true")

    field = page.get_by_label("Message")
    field.press("Enter")
    field.type("The extract is ready.")
    field.press("Shift+Enter")
    field.type("Shall we talk tomorrow?")
    field.press("Enter")

    sent = page.get_by_test_id("chat-message").last
    expect(sent).to_contain_text("Shall we talk tomorrow?")
    assert "The extract is ready.\nShall we talk tomorrow?" in sent.inner_text()
    # The log stays scrolled to its newest message, below thirty older ones.
    expect(sent).to_be_in_viewport()
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True
    assert people_messages(live_project)[-1] == "The extract is ready.\nShall we talk tomorrow?"


def test_a_message_is_posted_once_however_often_it_is_sent_while_the_answer_is_slow(
    page, collaborators, live_project, password
):
    sign_in(page, collaborators["client"].email, password)
    open_project(page, live_project)
    # Each post waits here until the test lets it through: a slow connection.
    held = []
    page.route("**/chat/", lambda route: held.append(route))

    page.get_by_label("Message").fill("Are we on for Friday?")
    page.get_by_label("Message").press("Enter")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    page.get_by_label("Message").press("Enter")
    page.get_by_role("button", name="Send").click(force=True)
    page.wait_for_timeout(300)
    assert len(held) == 1

    held[0].continue_()

    expect(page.get_by_test_id("chat-message")).to_have_count(1)
    expect(page.get_by_test_id("chat-message")).to_contain_text("Are we on for Friday?")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    assert len(held) == 1
    assert people_messages(live_project) == ["Are we on for Friday?"]


def test_a_message_whose_answer_fails_is_not_sent_again(
    page, collaborators, live_project, password
):
    sign_in(page, collaborators["client"].email, password)
    open_project(page, live_project)
    posts = []

    def saved_but_answered_with_an_error(route):
        posts.append(route.request)
        route.fetch()
        route.fulfill(status=500, body="Server Error (500)")

    page.route("**/chat/", saved_but_answered_with_an_error)
    page.get_by_label("Message").fill("Are we on for Friday?")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_text("Your message may not have been sent")).to_be_visible()
    # What was typed stays, so nothing is lost if it was not saved after all.
    expect(page.get_by_label("Message")).to_have_value("Are we on for Friday?")
    page.wait_for_timeout(500)
    assert len(posts) == 1
    assert people_messages(live_project) == ["Are we on for Friday?"]

    # Without a connection nothing reaches the server, and the page says so the same way.
    page.unroute("**/chat/")
    page.reload()
    page.route("**/chat/", lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Message").fill("Hello?")
    page.get_by_label("Message").press("Enter")
    expect(page.get_by_text("Your message may not have been sent")).to_be_visible()
    assert people_messages(live_project) == ["Are we on for Friday?"]


def test_the_other_persons_message_and_tick_appear_without_a_reload(
    page, collaborators, live_project, password, settings
):
    settings.COLLABORATION_POLL_SECONDS = 1
    milestone = ProjectMilestoneFactory(project=live_project, title="Data cleaning")
    sign_in(page, collaborators["client"].email, password)
    open_project(page, live_project)
    page.evaluate("window.notReloaded = true")

    services.chat_message_post(
        project=live_project, author=collaborators["consultant"], body="The extract is in."
    )
    expect(page.get_by_test_id("chat-message").last).to_contain_text("The extract is in.")
    services.project_milestone_complete(milestone=milestone, actor=collaborators["consultant"])
    expect(page.get_by_role("img", name="Complete")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True


def test_the_people_pickers_search_as_the_admin_types_and_work_from_the_keyboard(
    page, collaborators, password
):
    participant = PlanMembershipFactory(
        user__display_name="Carl Participant", user__email="carl@plans.example"
    ).user
    consultant = collaborators["consultant"]
    sign_in(page, collaborators["admin"].email, password)
    page.goto("/projects/new/")
    page.get_by_label("Title").fill("Pricing strategy review")

    box = page.get_by_role("combobox", name="Consultant")
    box.press_sequentially("carl")
    listbox = page.get_by_role("listbox", name="Matching people")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option")).to_contain_text(["Carla Consultant"])

    page.get_by_label("Include plan participants and staff in the consultant search").check()
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox.get_by_role("option").first).to_contain_text("Carl Participant")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "project-form-picker.png", full_page=True)

    box.focus()
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(consultant.email)
    expect(page.get_by_test_id("consultant-chosen")).to_have_text(
        f"Chosen: Carla Consultant ({consultant.email})"
    )

    client_box = page.get_by_role("combobox", name="Client")
    client_box.press_sequentially("zzz")
    expect(page.get_by_text("No one matches “zzz”.")).to_be_visible()
    client_box.press("Escape")
    expect(page.get_by_text("No one matches “zzz”.")).to_be_hidden()
    client_box.fill("")
    page.get_by_label("Include plan participants and staff in the client search").check()
    choose_person(page, "Client", "plans.ex", "Carl Participant")
    page.get_by_label("Completion date").fill(day(45).isoformat())
    page.get_by_role("button", name="Create project").click()

    expect(page.get_by_role("heading", name="Pricing strategy review", level=1)).to_be_visible()
    project = Project.objects.get(title="Pricing strategy review")
    assert (project.consultant, project.client) == (consultant, participant)

    page.get_by_role("link", name="Edit project details").click()
    expect(page.get_by_role("combobox", name="Consultant")).to_have_value(consultant.email)
    expect(page.get_by_test_id("client-chosen")).to_have_text(
        "Chosen: Carl Participant (carl@plans.example)"
    )
    page.screenshot(path=SCREENS / "project-form-edit.png", full_page=True)


def test_without_javascript_the_admin_types_the_addresses(
    browser, live_server, collaborators, password
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, collaborators["admin"].email, password)
    page.goto("/projects/new/")
    page.get_by_label("Title").fill("Pricing strategy review")
    page.get_by_role("textbox", name="Consultant").fill(collaborators["consultant"].email)
    page.get_by_role("textbox", name="Client").fill("nobody@example.com")
    page.get_by_label("Completion date").fill(day(45).isoformat())
    page.get_by_role("button", name="Create project").click()

    expect(page.get_by_text("No active account with this address.")).to_be_visible()
    expect(page.get_by_test_id("consultant-chosen")).to_contain_text("Chosen: Carla Consultant")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "project-form-no-javascript.png", full_page=True)
    page.get_by_role("textbox", name="Client").fill(collaborators["client"].email.upper())
    page.get_by_role("button", name="Create project").click()

    expect(page.get_by_role("heading", name="Pricing strategy review", level=1)).to_be_visible()
    project = Project.objects.get(title="Pricing strategy review")
    assert (project.consultant, project.client) == (
        collaborators["consultant"],
        collaborators["client"],
    )
    context.close()


def test_the_client_accepts_one_delivered_milestone_and_sends_another_back(
    page, collaborators, password
):
    project = ProjectFactory(
        title="Market sizing study",
        consultant=collaborators["consultant"],
        client=collaborators["client"],
        completion_date=day(30),
        open=True,
        acceptance_required=True,
    )
    for title in ("Desk research", "Buyer survey"):
        milestone = ProjectMilestoneFactory(project=project, title=title, due_date=day(3))
        services.project_milestone_complete(milestone=milestone, actor=collaborators["consultant"])
    DeliverableFactory(milestone=project.milestones.get(title="Desk research"))

    sign_in(page, collaborators["client"].email, password)
    open_project(page, project)
    expect(page.get_by_test_id("milestone-state")).to_have_text(
        ["Delivered, awaiting your acceptance"] * 2
    )
    expect(page.get_by_role("link", name="Cleaned data set")).to_be_visible()

    page.get_by_test_id("acceptance").first.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("“Desk research” is accepted")).to_be_visible()
    expect(page.get_by_test_id("progress-label")).to_have_text("1 of 2 milestones accepted")

    page.get_by_role("link", name="Ask for changes").click()
    page.get_by_label("What should change?").fill("Add the commercial segment.")
    page.get_by_role("button", name="Send back for changes").click()
    expect(page.get_by_test_id("changes-requested")).to_contain_text("Add the commercial segment.")
    expect(page.get_by_test_id("chat-system").last).to_contain_text(
        "Chris Client asked for changes to the milestone “Buyer survey”"
    )
    assert sorted(m.subject for m in mail.outbox) == [
        "Changes asked for on Market sizing study: Buyer survey",
        "Milestone accepted on Market sizing study: Desk research",
    ]
