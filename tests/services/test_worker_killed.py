"""A worker killed in the middle of a batch: every email still goes out, and none twice.

Each row is recorded as sent as soon as the mail server accepts its message, before the
next message and long before QUIT, so a worker that dies leaves only rows the server has
not accepted for the sweeper to send again.
"""

import asyncio
import email
import os
import signal
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from config.celery_app import app as celery_app
from notifications.models import Notification
from notifications.services import notifications_create_many, notifications_sweep
from tests.factories import UserFactory
from tests.mailserver import free_port
from tests.services.conftest import ROOT, wait_for

pytestmark = pytest.mark.services

EMAILS = 30
HELD = 12  # the server stalls on this message, and the worker is killed meanwhile


class StallingHandler:
    """Accepts messages, but stalls on the HELD-th until released, and refuses it then: the
    worker sending it is killed while it waits."""

    def __init__(self):
        self.accepted: list[bytes] = []
        self.stalled = threading.Event()
        self.release = asyncio.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == HELD:
            self.stalled.set()
            await self.release.wait()
            return "451 Try again later"
        self.accepted.append(envelope.content)
        return "250 OK"


def start_worker(smtp_port: int) -> subprocess.Popen:
    database = urlsplit(os.environ["DATABASE_URL"])
    test_database = urlunsplit(database._replace(path="/" + connection.settings_dict["NAME"]))
    return subprocess.Popen(
        [
            sys.executable,
            *("-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=info"),
            *("--without-gossip", "--without-mingle", "-n", f"kill-{uuid.uuid4().hex[:8]}@%h"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": test_database,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_STARTTLS": "false",
        },
        # Its own process group, so SIGKILL reaches the pool's children too.
        start_new_session=True,
    )


def kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_no_email_lost_and_none_sent_twice():
    assert settings.REDIS_URL, "service tests need REDIS_URL"
    handler = StallingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    celery_app.control.purge()
    celery_app.conf.task_always_eager = False
    workers = []
    try:
        recipients = UserFactory.create_batch(EMAILS)
        with transaction.atomic():
            notifications_create_many(
                recipients=recipients,
                kind="plan_membership_added",
                context={},
                idempotency_key="killed-worker",
            )
        workers.append(start_worker(controller.port))
        assert handler.stalled.wait(timeout=60), "the worker never reached the stalled message"

        kill(workers[0])
        # Every message the server accepted is already recorded as sent.
        sent = Notification.objects.filter(status=Notification.Status.SENT)
        accepted_ids = {email.message_from_bytes(m)["Message-ID"] for m in handler.accepted}
        assert len(accepted_ids) == HELD - 1
        assert set(sent.values_list("message_id", flat=True)) == accepted_ids

        # The dead worker's claims go stale; the sweeper queues the rest for a new worker.
        controller.loop.call_soon_threadsafe(handler.release.set)
        Notification.objects.filter(status=Notification.Status.SENDING).update(
            claimed_at=timezone.now() - timedelta(hours=1)
        )
        workers.append(start_worker(controller.port))
        notifications_sweep()
        assert wait_for(
            lambda: not Notification.objects.exclude(status=Notification.Status.SENT).exists(),
            timeout=60,
        ), list(Notification.objects.values_list("status", "last_error"))

        received = [email.message_from_bytes(m)["Message-ID"] for m in handler.accepted]
        assert len(received) == EMAILS
        assert set(received) == set(Notification.objects.values_list("message_id", flat=True))
    finally:
        celery_app.conf.task_always_eager = True
        for worker in workers:
            if worker.poll() is None:
                kill(worker)
        controller.stop()
