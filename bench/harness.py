"""What every benchmark shares: Django on the test settings with an in-memory database, and
a timer."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


# BENCH_SMOKE=1 runs every benchmark at a tiny size: CI checks they still run, not how fast.
SMOKE = os.environ.get("BENCH_SMOKE") == "1"


def size(full: int, smoke: int) -> int:
    """A benchmark's size: `full` normally, `smoke` for a smoke run."""
    return smoke if SMOKE else full


def start() -> None:
    """Set Django up and create an empty in-memory database, emails kept in memory."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)


def timed(function, repeat: int) -> list[float]:
    """Seconds taken by each of `repeat` calls of function(index)."""
    timings = []
    for index in range(repeat):
        began = time.perf_counter()
        function(index)
        timings.append(time.perf_counter() - began)
    return timings


def ms(timings: list[float]) -> str:
    ordered = sorted(timings)
    return (
        f"median {statistics.median(ordered) * 1000:.2f} ms "
        f"(p95 {ordered[int(len(ordered) * 0.95)] * 1000:.2f} ms, {len(ordered)} runs)"
    )
