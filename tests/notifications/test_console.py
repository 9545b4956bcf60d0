"""In development every email prints to the terminal, readable and with whole links."""

import io

from django.core.mail import EmailMultiAlternatives

from notifications.backends import ReadableConsoleBackend

LINK = "http://127.0.0.1:8001/notifications/unsubscribe/WzUsInNlc3Npb25faW52aXRhdGlvbiJd:AbC-dEf/"


def test_a_long_link_prints_whole_with_the_headers_that_matter():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Your session “Kick-off” is confirmed",
        body=f"Hello Priya,\n\nStop these emails: {LINK}\n",
        from_email="Cairn <cairn@localhost>",
        to=["priya@cairn.example"],
        headers={"List-Unsubscribe": f"<{LINK}>"},
    )
    message.attach_alternative("<p>Hello</p>", "text/html")
    message.attach("invite.ics", "BEGIN:VCALENDAR", "text/calendar")

    ReadableConsoleBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert f"Stop these emails: {LINK}\n" in printed
    assert "Subject: Your session “Kick-off” is confirmed" in printed
    assert "To: priya@cairn.example" in printed
    assert f"List-Unsubscribe: <{LINK}>" in printed
    assert "(Also sent: the HTML version, the attachment invite.ics.)" in printed
    assert "=\n" not in printed
