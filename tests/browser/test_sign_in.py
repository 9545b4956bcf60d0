import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import set_up_authenticator_app, sign_in
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
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
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


def test_a_platform_admin_signs_in_with_a_code_from_their_authenticator_app(page, password):
    admin = UserFactory(display_name="Ada Admin", is_staff=True)
    sign_in(page, admin.email, password)
    expect(page.get_by_role("heading", name="Welcome, Ada Admin")).to_be_visible()


def test_a_new_platform_admin_sets_up_two_factor_authentication_first(page, password):
    admin = UserFactory(display_name="Ada Admin", is_staff=True, second_factor=False)
    sign_in(page, admin.email, password)
    expect(
        page.get_by_text("As a platform admin you need two-factor authentication")
    ).to_be_visible()
    # Changing how one signs in always starts by confirming the password.
    set_up_authenticator_app(page, password)
    expect(page.get_by_role("heading", name="Welcome, Ada Admin")).to_be_visible()
