"""The kinds of background job, registered by the apps that start them.

Each app registers its kinds from its `AppConfig.ready()`:

    from jobs.kinds import JobKind, kind_register

    kind_register(
        JobKind(
            code="member_import",
            title=gettext_lazy("Import into %(subject)s"),
            working=gettext_lazy("Adding members"),
            run=member_import_run,
            outcome=member_import_outcome,
            result_template="bip/_member_import_report.html",
            report=member_import_report,
        ),
    )

`run(job)` does the work in the worker: it reports progress with `job_steps()` or
`job_progress()` and ends with `job_finish()` (see jobs.services). A `ValidationError` it
raises fails the job with its message, which the job's page shows as what went wrong.
`outcome(job)` is one sentence on what a finished job came to, read from its summary; the
job's page and the notice its starter gets say it. A kind whose result is more than a file
names the partial that shows it and `report(job)`, what that partial gets as `report`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class UnknownKind(ValueError):
    """A job kind that no app has registered."""


@dataclass(frozen=True)
class JobKind:
    code: str
    # With a `%(subject)s` for what it is about: "Import into %(subject)s".
    title: str
    # What the progress bar says while the job runs.
    working: str
    run: Callable[[Any], None]
    outcome: Callable[[Any], str]
    result_template: str = ""
    report: Callable[[Any], Any] | None = None


_kinds: dict[str, JobKind] = {}


def kind_register(*kinds: JobKind) -> None:
    for kind in kinds:
        existing = _kinds.get(kind.code)
        if existing is not None and existing != kind:
            raise ValueError(f"The job kind {kind.code!r} is registered twice.")
        _kinds[kind.code] = kind


def kind_get(code: str) -> JobKind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(
            f"No app registered the job kind {code!r}: register it with "
            "jobs.kinds.kind_register() in the app's AppConfig.ready()."
        ) from None


def kind_find(code: str) -> JobKind | None:
    """The kind, or None for one that is no longer registered (old rows may name it)."""
    return _kinds.get(code)
