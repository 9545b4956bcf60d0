"""Small attachments (a calendar invite) and extra headers, stored on the row and sent."""

import datetime
import email
import email.policy

import pytest
from django.core.exceptions import ValidationError

from notifications.models import Notification
from notifications.services import (
    MAX_EXTRAS_BYTES,
    Attachment,
    notification_create,
    notification_deliver,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kind")]

CONTEXT = {
    "topic": "Kick-off",
    "starts_at": datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC),
    "link": "https://cairn.example/plans/1/",
}
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cairn//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:milestone-7@cairn.example\r\nSEQUENCE:2\r\n"
    "DTSTAMP:20261120T100000Z\r\nDTSTART:20261124T140000Z\r\nDTEND:20261124T150000Z\r\n"
    "SUMMARY:Kick-off – Café\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
INVITE = "text/calendar; method=REQUEST; charset=utf-8"


def send(user, **kwargs):
    notification = notification_create(
        recipient=user, kind="test_notice", context=CONTEXT, idempotency_key="k", **kwargs
    )
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


def test_an_invite_reaches_the_server_as_an_attachment_and_an_alternative(user, smtp_server):
    notification = send(
        user,
        attachments=[Attachment("invite.ics", INVITE, ICS, alternative=True)],
        headers={"X-Cairn-Event": "session-confirmed"},
    )
    assert notification.status == Notification.Status.SENT
    assert notification.attachment_names == ["invite.ics"]

    sent = email.message_from_bytes(smtp_server.accepted[0], policy=email.policy.default)
    assert sent.get_content_type() == "multipart/mixed"
    assert sent["X-Cairn-Event"] == "session-confirmed"
    alternative, attached = sent.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    for part in [alternative.get_payload()[2], attached]:
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "REQUEST"
        assert part.get_content_charset() == "utf-8"
        assert part.get_content().replace("\r\n", "\n") == ICS.replace("\r\n", "\n")
    assert attached.get_filename() == "invite.ics"
    assert attached.get_content_disposition() == "attachment"


def test_a_plain_attachment_is_only_attached(user, smtp_server):
    send(user, attachments=[Attachment("notes.txt", "text/plain", "Bring a laptop.")])
    sent = email.message_from_bytes(smtp_server.accepted[0], policy=email.policy.default)
    alternative, attached = sent.get_payload()
    assert len(alternative.get_payload()) == 2
    assert attached.get_filename() == "notes.txt"
    assert attached.get_content().strip() == "Bring a laptop."


def test_attachments_over_the_size_cap_are_refused_with_a_clear_error(user):
    big = "x" * (MAX_EXTRAS_BYTES + 1)
    with pytest.raises(ValidationError, match="over the outbox's limit of 256 KB"):
        send(user, attachments=[Attachment("big.txt", "text/plain", big)])
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("attachments", "headers", "message"),
    [
        ([Attachment("a.ics", "calendar", ICS)], None, "not a MIME type"),
        ([Attachment("../a.ics", INVITE, ICS)], None, "not a file name"),
        ([Attachment("a.pdf", "application/pdf", ICS, alternative=True)], None, "text/"),
        ([Attachment("a.bin", "application/octet-stream", b"\x00")], None, "text"),
        ([], {"Subject": "Hijack"}, "writes the Subject header itself"),
        ([], {"List-Unsubscribe": "<https://evil.example/>"}, "itself"),
        ([], {"X-Note": "one\r\nBcc: victim@example.com"}, "one line"),
        ([], {"Bad Name": "x"}, "not a header name"),
    ],
)
def test_bad_attachments_and_headers_are_refused(user, attachments, headers, message):
    with pytest.raises(ValidationError, match=message):
        send(user, attachments=attachments, headers=headers)
    assert not Notification.objects.exists()
