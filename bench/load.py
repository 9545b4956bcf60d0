"""A load test: gunicorn (5 sync workers, DEBUG off) on 127.0.0.1 against a seeded database,
each page hammered by wrk with 20 connections for a few seconds, one page after another.
Prints requests per second, latency percentiles, errors and each page's share of the
trivial view's rate (the ceiling).

    python bench/load.py [--database-url postgres://postgres@127.0.0.1:5432/cairn_bench]
                         [--participants 500] [--seconds 10] [--connections 20]

Needs `wrk` (Debian's package). The database is emptied and seeded first.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SETUP = """
import json
import django
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from seed import seed_plan, seed_project

call_command("flush", interactive=False, verbosity=0)
seeded = seed_plan(participants={participants}, milestones=30)
project = seed_project(milestones=20, messages=2000)
if connection.vendor == "postgresql":
    # Fresh tables have no statistics; the planner needs them, as it has in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


print(json.dumps({{
    "participant": session_for(seeded.participant),
    "admin": session_for(seeded.admin),
    "consultant": session_for(project.consultant),
    "pages": {{
        "trivial view (favicon redirect)": ["participant", "/favicon.ico"],
        "health": ["participant", reverse("health")],
        "participant home": ["participant", reverse("home")],
        "participant milestone": ["participant", reverse(
            "progress:my_milestone", args=[seeded.plan.pk, seeded.past_milestone.pk])],
        "consultant's project page": ["consultant", reverse(
            "collaboration:project", args=[project.pk])],
        "progress dashboard ({participants} x 30)": ["admin", reverse(
            "progress:dashboard", args=[seeded.plan.pk])],
    }},
}}))
"""


# wrk's report, with the percentiles the goals name.
REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP95 %d\\nP99 %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT)
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "-s",
                script.name,
                "-H",
                f"Cookie: sessionid={cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)

    def percentile(label):
        return int(re.search(rf"^{label} (\d+)", output, re.M).group(1)) / 1000

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": percentile("P50"),
        "p95": percentile("P95"),
        "p99": percentile("P99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket errors": socket_errors.group(1) if socket_errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cairn_bench")
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    var = tempfile.mkdtemp(prefix="cairn-load-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "load-test-key-" + "x1y2z3" * 10,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": options.database_url,
        "CAIRN_VAR_DIR": var,
        "LOG_LEVEL": "WARNING",
        "SECURE_COOKIES": "false",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    }
    if options.database_url.startswith("postgres"):
        name = options.database_url.rsplit("/", 1)[1]
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], env=env, capture_output=True
        )
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup = subprocess.run(
        [PYTHON, "-c", SETUP.format(participants=options.participants)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        sys.exit(f"Seeding failed:\n{setup.stderr}")
    plan = json.loads(setup.stdout.strip().splitlines()[-1])

    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
        results = {}
        for label, (who, path) in plan["pages"].items():
            url = f"http://127.0.0.1:{port}{path}"
            wrk(url, plan[who], 2, options.connections)  # warm every worker up
            results[label] = wrk(url, plan[who], options.seconds, options.connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)

    ceiling = next(iter(results.values()))["rps"]
    print(
        f"{options.workers} gunicorn workers, {options.connections} connections, "
        f"{options.seconds} s per page, {options.participants} participants x 30 milestones"
    )
    print(
        f"{'page':<36}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'of ceiling':>12}"
    )
    for label, r in results.items():
        print(
            f"{label:<36}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>8}{r['rps'] / ceiling if ceiling else 0:>12.2f}"
            + (f"  socket errors: {r['socket errors']}" if r["socket errors"] else "")
        )


if __name__ == "__main__":
    main()
