import os
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app
from tests.mailserver import start_smtp_server

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def worker_smtp():
    controller, handler = start_smtp_server()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def celery_worker(transactional_db, worker_smtp):
    """A real `celery worker` process on the Redis broker, reading the test database and
    sending email to worker_smtp. The test process publishes tasks instead of running them."""
    assert settings.REDIS_URL, "service tests need REDIS_URL"
    celery_app.control.purge()

    database = urlsplit(os.environ["DATABASE_URL"])
    test_database = urlunsplit(database._replace(path="/" + connection.settings_dict["NAME"]))
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(worker_smtp.port),
        "SMTP_STARTTLS": "false",
        # Session changes settle for a second, not a minute, so a test sees them announced.
        "SESSION_CHANGE_SETTLING_SECONDS": "1",
        # Likewise a project milestone's changes and a quiet chat.
        "COLLABORATION_SETTLING_SECONDS": "1",
        "COLLABORATION_CHAT_EMAIL_SECONDS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency=2",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "-n",
            name,
        ],
        cwd=ROOT,
        env=env,
    )
    celery_app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 30
        while not celery_app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The Celery worker did not start.")
        yield process
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


def wait_for(condition, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
