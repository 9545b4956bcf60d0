"""German words a test can count on.

The German catalog is compiled from every app's strings, so a test that checks a string
reaches the page (or the email) in its reader's language gives the catalog the few words it
looks for, for the length of the test."""

from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import trans_real


@contextmanager
def german(words: dict[str, str]):
    cached = trans_real._translations
    # A catalog of its own, so the words leave with the test.
    trans_real._translations = {}
    try:
        catalog = trans_real.translation("de")._catalog
        for english, in_german in words.items():
            catalog[english] = in_german
        yield
    finally:
        trans_real._translations = cached
        translation.deactivate()
