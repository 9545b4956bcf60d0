"""Small helpers that every app's views share."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str = "") -> str:
    """The `next` address a form or link carries, if it stays on this site; else `fallback`.

    Only a path on this site is followed, so a crafted link cannot send someone elsewhere,
    and a value no redirect can carry (a bare word that `redirect()` would take for a view
    name, a line break for the Location header) falls back instead of failing after the
    view has already saved its change.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


@contextmanager
def refusal_as_message(request: HttpRequest) -> Iterator[None]:
    """Run a service; if it refuses with a ValidationError, show why as an error message.

    The rest of the block (typically the success message) runs only when nothing was
    refused, and the service's own transaction has already rolled back the change.
    """
    try:
        yield
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


# Longer search terms match nothing a person would have typed.
SEARCH_MAX_LENGTH = 100


def search_term(params) -> str:
    """The `q` a search box sent, trimmed; NUL bytes, which no database text may hold, and
    anything past SEARCH_MAX_LENGTH are dropped rather than failing the query."""
    return params.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
