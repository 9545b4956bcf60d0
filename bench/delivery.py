"""What the delivery benchmarks share: a database and a broker queue of their own on the
local PostgreSQL and Redis, a real Celery worker, a local SMTP sink, and a cohort of people.

A benchmark calls `configure()` before Django starts, then runs inside `delivery()`."""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WORKER_PROCESSES = 2
ROOT = Path(__file__).resolve().parent.parent
TIME_ZONES = ["Europe/London", "Europe/Berlin", "Asia/Kolkata", "America/New_York"]


def configure(name: str, **settings: str) -> str:
    """Point this process (and the worker it starts) at the local services, a database named
    after the benchmark and a broker queue only its worker reads, so it disturbs no other
    worker on the same Redis. Returns the queue's name."""
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/cairn_bench_{name}"
    )
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    queue = f"{name}-bench-{uuid.uuid4().hex[:8]}"
    # Every task goes there, those the worker queues itself included.
    os.environ["CELERY_QUEUE"] = queue
    os.environ.update(settings)
    return queue


class Sink:
    """Accepts every message; notes when the last arrived and over how many connections."""

    def __init__(self):
        self.count = 0
        self.first_at = None
        self.last_at = None
        # The sessions themselves, one per connection: a client port may be reused.
        self.sessions = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            now = time.perf_counter()
            self.first_at = self.first_at or now
            self.last_at = now
            self.count += 1
            self.sessions.add(session)
        return "250 OK"


def services_answer() -> bool:
    for port in (5432, 6379):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
    return True


def start_worker(database_url: str, smtp_port: int, queue: str) -> tuple[subprocess.Popen, str]:
    name = f"{queue}@%h"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker"]
    command += [f"--concurrency={WORKER_PROCESSES}", "--loglevel=warning", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", "-n", name]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL), name


def wait_for_worker(app, worker: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name.replace("%h", socket.gethostname())]):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("The Celery worker did not start.")


@contextmanager
def delivery(queue: str) -> Iterator["Sink"]:
    """A fresh database, an SMTP sink and a worker reading `queue` and sending to the sink;
    all removed afterwards."""
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.db import connection

    from config.celery_app import app as celery_app
    from tests.mailserver import free_port

    original_database = connection.settings_dict["NAME"]
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    worker, name = start_worker(f"{base}/{test_database}", controller.port, queue)
    celery_app.conf.task_always_eager = False
    try:
        wait_for_worker(celery_app, worker, name)
        yield sink
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
        connection.creation.destroy_test_db(original_database, verbosity=0)


def wait_for_emails(sink: "Sink", count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while sink.count < count and time.monotonic() < deadline:
        time.sleep(0.05)
    if sink.count < count:
        raise SystemExit(f"Only {sink.count} of {count} emails arrived within {timeout:.0f} s.")


def cohort(count: int) -> list:
    """`count` people with accounts, spread over a few time zones."""
    from accounts.models import User

    return User.objects.bulk_create(
        User(
            email=f"p{n}@bench.example",
            display_name=f"Participant {n:04}",
            time_zone=TIME_ZONES[n % len(TIME_ZONES)],
        )
        for n in range(count)
    )
