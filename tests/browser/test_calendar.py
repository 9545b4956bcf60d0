"""A participant puts their sessions in their calendar app, in a real browser."""

import pytest
from django.urls import reverse
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanFactory, PlanMembershipFactory, session_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coaching():
    plan = PlanFactory(name="Northwind", time_zone="Europe/London")
    priya = PlanMembershipFactory(plan=plan, user__display_name="Priya").user
    starts, ends = session_on(2, hours=1, zone="Europe/London")
    session = MilestoneFactory(
        plan=plan,
        name="Coaching Session",
        schedule="confirmed",
        starts_at=starts,
        ends_at=ends,
    )
    return {"plan": plan, "priya": priya, "session": session}


def summaries(text):
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(text).walk("VEVENT")]


def test_a_participant_subscribes_to_their_calendar_address_and_adds_one_session(
    page, browser, password, coaching
):
    sign_in(page, coaching["priya"].email, password)
    page.goto(reverse("notifications:preferences"))
    page.get_by_role("button", name="Create my calendar address").click()
    expect(page.get_by_text("Your calendar address is ready")).to_be_visible()
    address = page.get_by_test_id("calendar-address").inner_text()

    # A calendar app fetches the address with no session of its own.
    calendar_app = browser.new_context()
    try:
        feed = calendar_app.request.get(address)
        assert feed.status == 200
        assert summaries(feed.text()) == ["Coaching Session"]

        page.get_by_role("button", name="Get a new address").click()
        expect(page.get_by_text("the old one no longer works")).to_be_visible()
        assert calendar_app.request.get(address).status == 404
    finally:
        calendar_app.close()

    page.goto(reverse("progress:my_milestone", args=[coaching["plan"].pk, coaching["session"].pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    assert download.value.suggested_filename == "coaching-session.ics"
    with open(download.value.path(), encoding="utf-8") as entry:
        assert summaries(entry.read()) == ["Coaching Session"]
