"""Background jobs: recorded with the request that starts them, run once by a Celery worker.

A job is recorded by `job_start()` and its task is queued once the transaction commits. The
worker claims it (`job_claim()`), runs its kind's `run(job)` and records how it ended:
`job_finish()` with a summary, a report or a private file, or `job_fail()` with a sentence
saying what went wrong. In the embedded default Celery runs tasks in-process, so the job is
over by the time the request that started it answers.

A task may be delivered twice (a worker lost mid-way, the broker's second delivery, the
sweeper's retry). Nothing is done twice: a finished job is left alone, a job another worker
is still running is left to it, and work done in steps (`job_steps()`) commits each step
with the job's progress, so a second run carries on after the last committed step.
"""

import io
import logging
import tempfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from kombu.exceptions import OperationalError

from common.csv import CsvTable, csv_write
from files.storage import delete_names_on_commit, removed_on_failure
from jobs.kinds import kind_find, kind_get
from jobs.models import Job

logger = logging.getLogger(__name__)

# A running job records progress at least this often; one silent for longer has lost its
# worker, and the sweeper hands it to another.
SILENT_AFTER = timedelta(minutes=2)
# A job whose worker keeps being lost (a file too big for its memory, say) is given up.
MAX_ATTEMPTS = 3
# Exports hold personal data: their files are removed this long after they are written.
FILES_KEPT = timedelta(days=7)
# A CSV export records its progress every this many rows.
CSV_PROGRESS_EVERY = 100
# How long the hint that someone has a finished job to hear about is kept.
NOTICE_SECONDS = 30 * 24 * 3600

FINISHED = (Job.State.DONE, Job.State.FAILED)


def job_start(
    *,
    kind: str,
    started_by,
    subject: str,
    link: str = "",
    scope: str = "",
    params: dict | None = None,
    total: int = 0,
) -> Job:
    """Record a job of a registered kind and queue it once the current transaction commits
    (at once outside one)."""
    kind_get(kind)
    job = Job.objects.create(
        kind=kind,
        started_by=started_by,
        subject=subject[:255],
        link=link,
        scope=scope,
        params=params or {},
        time_zone=timezone.get_current_timezone_name(),
        language=translation.get_language() or "",
        total=total,
    )
    job_enqueue(job_id=job.pk)
    return job


def job_enqueue(*, job_id: int) -> None:
    from jobs.tasks import run_job

    def enqueue():
        try:
            run_job.apply_async((job_id,), retry=False)
        except OperationalError as error:
            # The broker is down: the job stays queued and the sweeper queues it again once
            # the broker is back, so the request that started it goes on without waiting.
            logger.warning("Could not queue job %s: %s", job_id, error)

    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def job_claim(*, job_id: int) -> Job | None:
    """Take the job for this worker: None when there is nothing to do (it has finished, or
    another worker is running it and still giving signs of life)."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    now = timezone.now()
    if job is None or job.state in FINISHED:
        return None
    if job.state == Job.State.RUNNING and job.updated_at > now - SILENT_AFTER:
        return None
    if job.attempts >= MAX_ATTEMPTS:
        _fail(
            job,
            _(
                "It was interrupted %(count)d times before it could finish. Start it again; "
                "if it stops again, tell a platform admin."
            )
            % {"count": job.attempts},
        )
        return None
    job.state = Job.State.RUNNING
    job.attempts += 1
    job.started_at = job.started_at or now
    job.updated_at = now
    job.save(update_fields=["state", "attempts", "started_at", "updated_at"])
    return job


def job_run(*, job_id: int) -> None:
    """What the task does: claim the job and run its kind's work, recording a failure with
    a sentence for the person who started it."""
    job = job_claim(job_id=job_id)
    if job is None:
        return
    kind = kind_find(job.kind)
    with _as_started(job):
        try:
            if kind is None:
                raise ValidationError(_("This kind of job can no longer be run."))
            kind.run(job)
        except ValidationError as refused:
            job_fail(job=job, error=" ".join(refused.messages))
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            job_fail(
                job=job,
                error=_(
                    "It stopped on an unexpected error, which is logged for the platform "
                    "admins. Try again later; if it fails again, tell a platform admin."
                ),
            )


@contextmanager
def _as_started(job: Job) -> Iterator[None]:
    """The time zone and language of the request that started the job."""
    try:
        zone = zoneinfo.ZoneInfo(job.time_zone) if job.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    with timezone.override(zone), translation.override(job.language or None):
        yield


def job_steps(*, job: Job, size: int, step: Callable[[int, int], list]) -> Job | None:
    """Do a running job's work `size` items at a time: `step(start, end)` does items
    start..end-1 and returns their report lines. Each step commits together with the job's
    progress and report, so a second run of the job carries on after the last step that
    committed and never does one twice. Returns the job once every item is done, or None if
    it stopped running (another worker finished it, or it was given up)."""
    while True:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.state != Job.State.RUNNING:
                return None
            if locked.done >= locked.total:
                return locked
            end = min(locked.done + size, locked.total)
            locked.report = [*locked.report, *step(locked.done, end)]
            locked.done = end
            locked.updated_at = timezone.now()
            locked.save(update_fields=["report", "done", "updated_at"])


def job_progress(*, job: Job, done: int, total: int | None = None) -> None:
    """Record how far a running job has got, which is also its sign of life."""
    job.done = done
    job.total = job.total if total is None else total
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        done=job.done, total=job.total, updated_at=timezone.now()
    )


def job_finish(
    *, job: Job, summary: dict | None = None, file: tuple[str, File] | None = None
) -> None:
    """Record that the job is done, with its summary and (given as a name and content) its
    file. A job that another run has finished meanwhile keeps that run's result."""
    with removed_on_failure() as stored:
        if file is not None:
            name, content = file
            # Stored before the row is locked: writing to S3 can take a while.
            job.file.save(name, content, save=False)
            stored.append(job.file.name)
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.state != Job.State.RUNNING:
                delete_names_on_commit(stored)
                return
            now = timezone.now()
            locked.state = Job.State.DONE
            locked.done = locked.total
            locked.summary = summary or {}
            if file is not None:
                locked.file = job.file.name
                locked.file_name = file[0]
            locked.finished_at = locked.updated_at = now
            locked.save()
            _tell_starter(locked)


def job_fail(*, job: Job, error: str) -> None:
    """Record that the job stopped, and why, in a sentence for the person who started it.
    What it did before it stopped (its progress and report so far) stays recorded."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state not in FINISHED:
            _fail(locked, error)


def _fail(job: Job, error: str) -> None:
    job.state = Job.State.FAILED
    job.error = error
    job.finished_at = job.updated_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "updated_at"])
    _tell_starter(job)


def job_csv_write(*, job: Job, table: CsvTable, rows: int) -> None:
    """Write an export of `rows` rows to a private file, counting the rows as its progress,
    and finish the job with it. The file holds exactly what the direct download does."""
    job_progress(job=job, done=0, total=rows)
    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        csv_write(text, CsvTable(table.filename, table.header, _counted(job, table.rows)))
        text.flush()
        text.detach()
        raw.seek(0)
        job_finish(job=job, summary={"rows": job.done}, file=(table.filename, File(raw)))


def job_csv_outcome(job: Job) -> str:
    """The outcome of an export that job_csv_write finished."""
    rows = job.summary.get("rows", 0)
    return ngettext(
        "%(count)s row, ready to download.", "%(count)s rows, ready to download.", rows
    ) % {"count": rows}


def _counted(job: Job, rows: Iterable) -> Iterator:
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % CSV_PROGRESS_EVERY == 0:
            job_progress(job=job, done=min(written, job.total))
    job.done = min(written, job.total)


def job_seen(*, job: Job) -> bool:
    """Record that the person who started a finished job has seen how it ended: True the
    first time, so the page says it once."""
    if job.state not in FINISHED or job.seen_at is not None:
        return False
    job.seen_at = timezone.now()
    return bool(Job.objects.filter(pk=job.pk, seen_at__isnull=True).update(seen_at=job.seen_at))


def job_notices_take(*, user) -> list[Job]:
    """The jobs this person started that have finished since they last looked, now marked
    as seen: what their next page tells them. A hint in the cache says whether there can be
    any, so the pages of everyone else cost no query."""
    key = _notice_key(user.pk)
    if not cache.get(key):
        return []
    # Taken before reading: a job finishing meanwhile leaves a new hint for the next page.
    cache.delete(key)
    jobs = list(
        Job.objects.filter(started_by=user, state__in=FINISHED, seen_at__isnull=True)
        .defer("report", "params")
        .order_by("finished_at", "pk")
    )
    if jobs:
        Job.objects.filter(pk__in=[job.pk for job in jobs]).update(seen_at=timezone.now())
    return jobs


def _tell_starter(job: Job) -> None:
    key = _notice_key(job.started_by_id)
    transaction.on_commit(lambda: cache.set(key, True, NOTICE_SECONDS), robust=True)


def _notice_key(user_id: int) -> str:
    return f"jobs:finished-for:{user_id}"


def jobs_sweep() -> int:
    """Queue again the jobs whose worker went silent (or whose task never reached one), and
    remove the files of exports past their time. Returns how many jobs were queued."""
    now = timezone.now()
    with transaction.atomic():
        silent = Job.objects.select_for_update(skip_locked=True).filter(
            state__in=[Job.State.QUEUED, Job.State.RUNNING], updated_at__lt=now - SILENT_AFTER
        )
        job_ids = list(silent.values_list("pk", flat=True))
        # A job still waiting behind a long queue is queued again once per silence, not at
        # every sweep; a running one keeps its time, which tells the next worker to take over.
        Job.objects.filter(pk__in=job_ids, state=Job.State.QUEUED).update(updated_at=now)
        for job_id in job_ids:
            job_enqueue(job_id=job_id)
        expired = Job.objects.filter(
            state=Job.State.DONE, finished_at__lt=now - FILES_KEPT
        ).exclude(file="")
        delete_names_on_commit(list(expired.values_list("file", flat=True)))
        expired.update(file="")
    return len(job_ids)
