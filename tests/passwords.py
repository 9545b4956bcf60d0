"""Following an emailed link to choose a password, as the person who received it does."""

import re

# allauth's link: /accounts/password/reset/key/<user id in base 36>-<token>/
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/([0-9a-z]+)-(\S+?)/)")


def password_link(text: str) -> str:
    """The path of the set-password link in an email's text."""
    return LINK.search(text).group(1)


def choose_password(client, text: str, password: str):
    """Open the link in `text`, choose `password` on the page it leads to; the final page."""
    form = client.get(password_link(text), follow=True)
    assert "Choose a new password" in form.text, form.text
    return client.post(
        form.redirect_chain[-1][0], {"password1": password, "password2": password}, follow=True
    )
