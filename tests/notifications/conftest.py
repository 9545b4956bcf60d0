from pathlib import Path

import pytest

from notifications import kinds
from tests.mailserver import ScriptedHandler, free_port

TEST_KIND = kinds.Kind(
    code="test_notice",
    label="Test notices",
    description="What the tests send.",
    group="Tests",
)


class ConnectionCountingHandler(ScriptedHandler):
    """Also notes which connection brought each accepted message (aiosmtpd starts a session
    per connection; a client port may be reused, a session is not)."""

    def __init__(self):
        super().__init__()
        self.sessions: set = set()

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            self.sessions.add(session)
        return reply

    @property
    def connections(self) -> int:
        return len(self.sessions)


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    handler = ConnectionCountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield handler
    controller.stop()


@pytest.fixture
def test_kind(settings, monkeypatch):
    """An unsubscribable kind whose templates live with these tests: it prints a moment, a
    link from its context and the recipient's name and address."""
    monkeypatch.setitem(kinds._kinds, TEST_KIND.code, TEST_KIND)
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    return TEST_KIND
