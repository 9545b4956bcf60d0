"""Each demo role's home page in a real browser, on a desktop and on a phone. The screenshots
land in test-artifacts/screens/ for people to look at."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from demo.people import DEMO_PASSWORD, PEOPLE
from tests.browser.conftest import ARTIFACTS, set_up_authenticator_app, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ARTIFACTS / "screens"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo_data():
    call_command("load_demo", allow_production=True, stdout=io.StringIO())


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_sign_in_page(page, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in to Cairn")).to_be_visible()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"sign-in-{viewport}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("email", [email for email, *_ in PEOPLE])
def test_role_home_page(page, demo_data, email, viewport):
    name = next(name for address, name, *_ in PEOPLE if address == email)
    page.set_viewport_size(VIEWPORTS[viewport])
    sign_in(page, email, DEMO_PASSWORD)
    if "/accounts/reauthenticate/" in page.url:
        # The demo's platform admin has no second factor yet: the first sign-in sets one up.
        set_up_authenticator_app(page, DEMO_PASSWORD)
    # The demo's Berlin accounts read Cairn in German.
    welcome = "Willkommen" if User.objects.get(email=email).language == "de" else "Welcome"
    expect(page.get_by_role("heading", name=f"{welcome}, {name}")).to_be_visible()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"home-{email.split('@')[0]}-{viewport}.png", full_page=True)
