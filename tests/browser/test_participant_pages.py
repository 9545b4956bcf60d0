"""A participant's pages on a phone, and dates as people read them, in a real browser."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, session_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_on_a_phone_the_to_do_comes_first_and_each_file_label_opens_its_own_picker(
    phone, password, tmp_path
):
    plan = PlanFactory(name="Northwind", time_zone="Europe/London")
    me = PlanMembershipFactory(
        plan=plan, joined_at=timezone.now() - datetime.timedelta(days=30)
    ).user
    starts, ends = session_on(-1, zone=plan.time_zone)
    milestone = MilestoneFactory(
        plan=plan,
        name="Kaizen clinic",
        starts_at=starts,
        ends_at=ends,
        upload_progress="mandatory",
        post_action_required=True,
    )
    sign_in(phone, me.email, password)
    phone.goto(reverse("progress:my_milestone", args=[plan.pk, milestone.pk]))

    to_do = phone.get_by_test_id("todo").bounding_box()
    session = phone.locator("#session-heading").bounding_box()
    assert to_do["y"] < session["y"] < PHONE["height"] * 2
    # Nothing runs off the side of the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    progress_file = tmp_path / "progress.pdf"
    progress_file.write_bytes(b"%PDF-1.4\n")
    action_file = tmp_path / "action.pdf"
    action_file.write_bytes(b"%PDF-1.4\n")
    phone.get_by_label("File").set_input_files(progress_file)
    phone.get_by_label("Attachment (optional)").set_input_files(action_file)
    names = phone.eval_on_selector_all(
        "input[type=file]", "inputs => inputs.map(i => i.files[0] && i.files[0].name)"
    )
    assert names == ["progress.pdf", "action.pdf"]


def test_the_menu_on_a_phone_leads_to_each_plan(phone, password):
    me = PlanMembershipFactory(plan__name="Northwind").user
    PlanMembershipFactory(user=me, plan__name="Second cohort")
    sign_in(phone, me.email, password)
    phone.get_by_role("button", name="Open the menu").click()
    menu = phone.get_by_test_id("nav-my-plans")
    expect(menu.get_by_role("link", name="Second cohort")).to_be_visible()
    menu.get_by_role("link", name="Second cohort").click()
    expect(phone.get_by_role("heading", name="Second cohort", level=1)).to_be_visible()


def test_a_session_under_way_is_live_with_its_join_link_first(page, password):
    plan = PlanFactory(name="Northwind", time_zone="Europe/London")
    me = PlanMembershipFactory(plan=plan, user__time_zone="Asia/Kolkata").user
    now = timezone.now()
    MilestoneFactory(
        plan=plan,
        name="Kaizen clinic",
        schedule="confirmed",
        meeting_link="https://meet.example.com/kaizen",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=50),
        multi_day=True,  # however the hour falls against midnight in London
    )
    sign_in(page, me.email, password)
    card = page.locator(".card", has=page.get_by_role("heading", name="Live now"))
    expect(card.get_by_role("link", name="Join now")).to_be_visible()
    expect(card).to_contain_text("(Asia/Kolkata)")
    expect(page.get_by_text("Upcoming")).to_have_count(0)


def test_dates_read_the_british_way_even_on_a_us_english_browser(browser, live_server, password):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    membership = PlanMembershipFactory(
        role="project_admin",
        plan__name="Northwind",
        plan__start_date=datetime.date(2026, 11, 23),
        plan__end_date=datetime.date(2027, 2, 7),
    )
    sign_in(page, membership.user.email, password)
    page.goto(reverse("bip:edit", args=[membership.plan.pk]))
    assert page.evaluate("document.documentElement.lang") == "en-gb"
    words = page.get_by_test_id("date-in-words")
    expect(words.first).to_have_text("Mon 23 Nov 2026")
    expect(words.nth(1)).to_have_text("Sun 7 Feb 2027")
    page.get_by_label("End date").fill("2027-03-01")
    expect(words.nth(1)).to_have_text("Mon 1 Mar 2027")
    context.close()
