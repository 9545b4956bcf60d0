"""Two processes writing to the embedded SQLite database at the same moment both succeed:
WAL mode plus IMMEDIATE transactions make the second writer wait instead of failing with
"database is locked"."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import django, time
django.setup()
from django.db import transaction
from accounts.models import User
for n in range({rows}):
    with transaction.atomic():
        # Read, then write: the pattern that fails at once with deferred transactions.
        User.objects.count()
        time.sleep(0.002)
        User.objects.create(email=f"{{'{name}'}}-{{n}}@example.com")
        time.sleep(0.005)  # hold the write lock so the writers overlap
print("done")
"""


def test_two_processes_write_at_once_without_database_is_locked(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "CAIRN_VAR_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    rows = 60
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(rows=rows, name=name)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]

    for writer, (out, err) in zip(writers, results, strict=True):
        assert out.strip() == "done", err
        assert writer.returncode == 0, err
        assert "database is locked" not in err
    count = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from accounts.models import User; print(User.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    assert int(count) == 2 * rows
