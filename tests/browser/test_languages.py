"""A page in German writes the dates people type as German pages write dates."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PlanMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typed_dates_are_written_out_in_german_for_someone_who_chose_german(
    browser, live_server, password
):
    # The browser itself speaks US English: the person's own choice counts once signed in.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    membership = PlanMembershipFactory(
        role="project_admin",
        user__language="de",
        plan__start_date=datetime.date(2026, 11, 23),
        plan__end_date=datetime.date(2027, 2, 7),
    )
    sign_in(page, membership.user.email, password)
    page.goto(reverse("bip:edit", args=[membership.plan.pk]))
    assert page.evaluate("document.documentElement.lang") == "de"
    words = page.get_by_test_id("date-in-words")
    expect(words.first).to_have_text("Mo, 23. Nov 2026")
    expect(words.nth(1)).to_have_text("So, 7. Feb 2027")
    page.locator('input[type="date"]').nth(1).fill("2027-03-01")
    expect(words.nth(1)).to_have_text("Mo, 1. Mär 2027")
    context.close()
