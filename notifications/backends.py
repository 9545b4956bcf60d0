"""An email backend for development that prints each email as a person reads it."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """The console backend, but with the text body as written rather than MIME-encoded:
    quoted-printable breaks long lines with "=", which cuts every long link in two and makes
    it useless to copy. The headers that matter come first; the HTML body and attachments are
    only named."""

    def write_message(self, message):
        extra = message.extra_headers
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            *(f"{name}: {extra[name]}" for name in ("List-Unsubscribe",) if name in extra),
            "",
            message.body,
        ]
        others = [_alternative(mimetype) for _, mimetype in message.alternatives]
        others += [f"the attachment {_name(attachment)}" for attachment in message.attachments]
        if others:
            lines += ["", f"(Also sent: {', '.join(others)}.)"]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")


def _name(attachment) -> str:
    # A MIME part added whole, or a (filename, content, mimetype) tuple.
    if hasattr(attachment, "get_filename"):
        return attachment.get_filename() or "without a name"
    return attachment[0]


def _alternative(mimetype: str) -> str:
    if mimetype == "text/html":
        return "the HTML version"
    if mimetype.startswith("text/calendar"):
        return "the calendar invite"
    return f"a {mimetype} version"
