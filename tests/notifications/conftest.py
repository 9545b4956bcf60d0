import pytest

from tests.mailserver import start_smtp_server


@pytest.fixture
def smtp_server(settings):
    controller, handler = start_smtp_server()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield handler
    controller.stop()
