"""A real SMTP server on 127.0.0.1 for tests, scripted to refuse or accept each message."""

import socket

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class ScriptedHandler:
    """Answers each message with the next scripted reply (250 once the script runs out) and
    keeps what it accepted."""

    def __init__(self):
        self.replies: list[str] = []
        self.accepted: list[bytes] = []

    async def handle_DATA(self, server: SMTP, session, envelope):
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply.startswith("250"):
            self.accepted.append(envelope.content)
        return reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp_server() -> tuple[Controller, ScriptedHandler]:
    handler = ScriptedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, handler
