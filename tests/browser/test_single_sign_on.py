"""Single sign-on through a real OpenID Connect provider (oidc-provider, run by node on
127.0.0.1): an invited person signs in with their organisation's account, matched by its
verified email address; someone Cairn does not know is turned away, and no account is made."""

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PlanMembershipFactory, UserFactory
from tests.mailserver import free_port

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PROVIDER = Path(__file__).parent / "oidc"
ACCOUNTS = {
    "ada.l": {"email": "ada@acme.example", "name": "Ada Lovelace"},
    "mallory": {"email": "mallory@acme.example", "name": "Mallory"},
}


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The identity provider stopped: {process.stdout.read()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("The identity provider did not start.")


@pytest.fixture
def identity_provider(live_server, settings):
    if not (PROVIDER / "node_modules").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER, check=True, timeout=300
        )
    port = free_port()
    process = subprocess.Popen(
        ["node", "server.js"],
        cwd=PROVIDER,
        env={
            **os.environ,
            "PORT": str(port),
            "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
            "CLIENT_ID": "cairn",
            "CLIENT_SECRET": "cairn-test-secret",
            "REDIRECT_URI": f"{live_server.url}/accounts/oidc/acme/login/callback/",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, process)
        settings.SOCIALACCOUNT_PROVIDERS = {
            **settings.SOCIALACCOUNT_PROVIDERS,
            "openid_connect": {
                "EMAIL_AUTHENTICATION": True,
                "APPS": [
                    {
                        "provider_id": "acme",
                        "name": "Acme SSO",
                        "client_id": "cairn",
                        "secret": "cairn-test-secret",
                        "settings": {
                            "server_url": f"http://127.0.0.1:{port}",
                            "token_auth_method": "client_secret_post",
                        },
                    }
                ],
            },
        }
        settings.SECURE_CSP = {
            **settings.SECURE_CSP,
            "form-action": [*settings.SECURE_CSP["form-action"], f"http://127.0.0.1:{port}"],
        }
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_the_provider(page, account_id: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Acme SSO").click()
    # allauth asks before leaving for the provider (a POST, so no link can start it).
    page.get_by_role("button", name="Continue").click()
    # The provider's own pages: its login form, then the consent to share the address.
    page.locator("input[name=login]").fill(account_id)
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()


def test_an_invited_person_signs_in_with_their_organisations_account(page, identity_provider):
    ada = UserFactory(email="ada@acme.example", display_name="Ada Lovelace")
    PlanMembershipFactory(user=ada, plan__name="Acme rollout")

    sign_in_at_the_provider(page, "ada.l")

    expect(page.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("Acme rollout").first).to_be_visible()
    assert ada.socialaccount_set.get().provider == "acme"


def test_someone_cairn_does_not_know_is_turned_away_and_no_account_is_made(page, identity_provider):
    sign_in_at_the_provider(page, "mallory")

    expect(page.get_by_role("heading", name="Cairn is by invitation")).to_be_visible()
    expect(page.get_by_text("Cairn has no account for you.")).to_be_visible()
    assert not User.objects.filter(email="mallory@acme.example").exists()
