"""Email rendering: every message is a subject, a text body and an HTML body, drawn from
templates/emails/<kind>/ and sharing one layout."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_email(kind: str, context: dict) -> RenderedEmail:
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{kind}/subject.txt", context)
    return RenderedEmail(
        # A header must be one line, whatever the template's whitespace.
        subject=" ".join(subject.split()),
        text=render_to_string(f"emails/{kind}/body.txt", context).strip() + "\n",
        html=render_to_string(f"emails/{kind}/body.html", context),
    )
