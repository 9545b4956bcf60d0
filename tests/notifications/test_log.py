"""A scope's email log: its rows newest first, a page at a time, and the partial that shows
them with a "Send again" button for the failed ones."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.selectors import LOG_PAGE_SIZE, notification_in_scope, scope_log
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def log_rows(count, scope="plan:1", **kwargs):
    start = timezone.now() - datetime.timedelta(days=1)
    return [
        NotificationFactory(scope=scope, created_at=start + datetime.timedelta(minutes=n), **kwargs)
        for n in range(count)
    ]


def render_log(log, user):
    request = RequestFactory().get("/plans/1/emails/")
    request.user = user
    return render_to_string(
        "notifications/_log.html",
        {"log": log, "resend_action": "/plans/1/emails/resend/"},
        request=request,
    )


def test_a_scopes_log_lists_its_emails_newest_first_and_no_others():
    rows = log_rows(3)
    log_rows(2, scope="plan:2")
    NotificationFactory()  # no scope

    assert list(scope_log(scope="plan:1")) == rows[::-1]


def test_the_log_is_paginated_in_a_constant_number_of_queries(user):
    log_rows(3)
    with CaptureQueriesContext(connection) as few:
        render_log(scope_log(scope="plan:1"), user)
    log_rows(LOG_PAGE_SIZE + 5)
    with CaptureQueriesContext(connection) as many:
        html = render_log(scope_log(scope="plan:1"), user)
    assert len(few) == len(many) == 2
    assert html.count('data-testid="notification-row"') == LOG_PAGE_SIZE
    assert "Page 1 of 2" in html and "?page=2" in html
    assert len(scope_log(scope="plan:1", page=2)) == 8
    assert len(scope_log(scope="plan:1", page="nonsense")) == LOG_PAGE_SIZE


def test_the_partial_shows_what_happened_and_offers_to_send_failed_emails_again(user):
    (failed,) = log_rows(
        1,
        kind="plan_membership_added",
        status="failed",
        attempts=3,
        last_error="SMTPRecipientsRefused: 550 No such user",
        subject="You have been added to Northwind",
    )
    (sent,) = log_rows(1, status="sent", sent_at=timezone.now())
    html = render_log(scope_log(scope="plan:1"), user)

    assert "You have been added to Northwind" in html
    assert "Added to a plan" in html  # the kind's label
    assert failed.recipient.email in html and str(failed.recipient) in html
    assert "Failed" in html and "550 No such user" in html and "Sent" in html
    assert html.count("Send again") == 1
    assert 'action="/plans/1/emails/resend/"' in html
    assert f'name="notification" value="{failed.pk}"' in html
    assert f'value="{sent.pk}"' not in html
    assert "csrfmiddlewaretoken" in html


def test_an_email_is_found_only_in_its_own_scope():
    (row,) = log_rows(1)
    assert notification_in_scope(scope="plan:1", pk=str(row.pk)) == row
    for scope, pk in [("plan:2", row.pk), ("plan:1", "x"), ("plan:1", None)]:
        with pytest.raises(Http404):
            notification_in_scope(scope=scope, pk=pk)
