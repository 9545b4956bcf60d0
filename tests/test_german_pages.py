"""Every page each role reaches reads in German for someone who chose German: none of the
catalog's English is left on it."""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve

from accounts.models import User
from tests.browser.test_accessibility import JOURNEYS, world

pytestmark = pytest.mark.django_db

PER_VIEW = 2
MAX_PAGES = 120
# Downloads, sign-out, the admin site (Django's own German) and pages that change data on GET.
NOT_PAGES = re.compile(r"^/(admin|static|media|accounts/logout)/|\.(csv|ics|pdf)$|/download/")
# Words shared by both languages, or too short to tell them apart.
SAME_IN_BOTH = re.compile(r"^[\W\d]*\w{0,4}[\W\d]*$")


class VisibleText(HTMLParser):
    """The text a reader sees, and the labels a screen reader reads out."""

    HIDDEN = {"script", "style", "template"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag in self.HIDDEN:
            self.hidden += 1
        self.parts += [attributes[name] for name in self.SPOKEN if attributes.get(name)]
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def english_phrases() -> re.Pattern:
    """Finds the catalog's English that German changes, without placeholders, as whole words
    (the longest first, so a sentence is reported rather than a word in it)."""
    messages = []
    for path in (Path(settings.BASE_DIR) / "locale").glob("**/de/LC_MESSAGES/django.po"):
        with path.open("rb") as file:
            messages += list(read_po(file))
    german_words = {
        word
        for message in messages
        for string in (message.string if isinstance(message.string, tuple) else (message.string,))
        for word in re.findall(r"\w+", string or "")
    }
    phrases = set()
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if not english or "%" in english or "<" in english or SAME_IN_BOTH.match(english):
                continue
            if english in strings:
                continue
            # A lone word German uses too ("Upload", "Meeting"), or a lone lower-case word
            # ("session", as likely part of a name people typed), tells nothing.
            if " " not in english and (english in german_words or english.islower()):
                continue
            phrases.add(" ".join(english.split()))
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def typed_text() -> re.Pattern:
    """Finds what people typed (names, titles, messages): it stays in the language it was
    written in, so it is taken out of a page before looking for English."""
    typed = set()
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            typed.update(" ".join(value.split()) for value in row if value and len(value) > 2)
    alternatives = "|".join(re.escape(text) for text in sorted(typed, key=len, reverse=True))
    return re.compile(alternatives)


def crawl(client):
    queued, per_view, queue = set(), Counter(), deque(["/"])
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        visited += 1
        html = response.content.decode()
        yield url, html
        for href in re.findall(r'href="([^"]+)"', html):
            target, _ = urldefrag(href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or NOT_PAGES.search(parts.path):
                continue
            try:
                view = resolve(parts.path).view_name
            except Resolver404:
                continue
            if target in queued or per_view[view] >= PER_VIEW:
                continue
            per_view[view] += 1
            queued.add(target)
            queue.append(target)


@pytest.mark.parametrize("role", JOURNEYS)
def test_every_page_a_role_reaches_is_in_german(client, role):
    user = User.objects.get(email=world()[role])
    user.language = "de"
    user.save(update_fields=["language"])
    client.force_login(user)
    phrases = english_phrases()
    typed = typed_text()

    left_in_english = {}
    pages = 0
    for url, html in crawl(client):
        pages += 1
        parser = VisibleText()
        parser.feed(html)
        assert parser.lang == "de", url
        text = typed.sub(" ", parser.text())
        # Each with the words around it, to tell where on the page it is.
        if found := [
            f"{m[0]!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…"
            for m in phrases.finditer(text)
        ]:
            left_in_english[url] = found

    assert pages > 3
    assert left_in_english == {}
