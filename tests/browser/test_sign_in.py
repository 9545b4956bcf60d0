import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_sign_out(page, password):
    person = UserFactory(display_name="Grace Hopper")

    sign_in(page, person.email, password)
    expect(page.get_by_role("heading", name="Welcome, Grace Hopper")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Cairn")).to_be_visible()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_a_wrong_password_is_refused_on_the_page(page):
    person = UserFactory()
    sign_in(page, person.email, "not-the-password")
    expect(page.get_by_text("do not match an account")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(person.email)


def test_on_a_phone_the_menu_opens_from_the_top_bar(page, password):
    person = UserFactory()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, person.email, password)

    details = page.get_by_role("link", name="Your details")
    expect(details).to_be_hidden()
    page.get_by_role("button", name="Open the menu").click()
    expect(details).to_be_visible()
    details.click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
