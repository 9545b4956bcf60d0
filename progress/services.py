"""What Cairn tells people about progress, from periodic jobs: participants are nudged about
what a session they attended still asks of them, and each plan's admins get a morning digest
of what waits for them.

Every email's key says what it is about and when (the week after the session, the admin's
local date), so a job that runs twice, or on two beat processes, sends nothing twice.

A big plan's CSV export is written in the background (`progress_csv_start`): the same file
the dashboard's direct download gives, offered on the export's page when it is ready.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.selectors import user_zone
from bip.selectors import get_plan_for_user, project_admins_of, running_plans
from bip.services import plan_scope
from jobs.services import job_csv_write, job_start
from milestones.attendance.selectors import self_marks_awaiting_validation
from milestones.selectors import milestones_of_plans
from milestones.uploads.selectors import review_queues
from notifications.emails import absolute_url
from notifications.selectors import keys_taken
from notifications.services import notification_create, notifications_create_many
from progress.completion import plan_progress
from progress.forms import DashboardFilterForm
from progress.selectors import dashboard, dashboard_csv
from surveys.selectors import active_survey_titles, responses_since

if TYPE_CHECKING:
    from bip.models import Plan
    from jobs.models import Job

# The kind of background job that writes a plan's progress CSV (see jobs.kinds).
PROGRESS_CSV = "progress_csv"

# The local hour from which each person's morning digest goes out.
DIGEST_HOUR = 7
NUDGED = {"upload", "post_action"}


def nudges_send(*, now: datetime.datetime | None = None) -> int:
    """For every session that has ended in a plan still running: the active survey to
    answer, and a mandatory upload or required follow-up action still missing. Sent in the
    week the session ended, then once a week, until it is done or the plan ends; something
    sent and awaiting a reviewer is not the participant's to do, so it is not nudged."""
    now = now or timezone.now()
    queued = 0
    for plan in running_plans(now.date()):
        progress = plan_progress(plan, now=now)
        ended = [
            (index, milestone)
            for index, milestone in enumerate(progress.milestones)
            if milestone.session_ended(now)
        ]
        titles = active_survey_titles(milestone.pk for _, milestone in ended)
        for index, milestone in ended:
            survey, follow_up = [], defaultdict(list)
            for row in progress.rows:
                missing = [
                    requirement
                    for requirement in row.cells[index].requirements
                    if not requirement.met and not requirement.awaiting_review
                ]
                if any(requirement.code == "survey" for requirement in missing):
                    survey.append(row.membership.user)
                # Codes, not names: the email words them in each recipient's language.
                codes = tuple(r.code for r in missing if r.code in NUDGED)
                if codes:
                    follow_up[codes].append(row.membership.user)
            queued += _nudge(milestone, now, survey, follow_up, titles.get(milestone.pk, ""))
    return queued


def _nudge(milestone, now, survey, follow_up, survey_title) -> int:
    week = (now - milestone.ends_at).days // 7
    common = {
        "milestone_name": milestone.name,
        "plan_name": milestone.plan.name,
        "reminder": week > 0,
        "subject_object": milestone,
        "scope": plan_scope(milestone.plan_id),
    }
    page = absolute_url(reverse("progress:my_milestone", args=[milestone.plan_id, milestone.pk]))
    queued = 0
    with transaction.atomic():
        if survey:
            queued += _fan_out(
                survey,
                kind="survey_to_answer",
                key=f"survey-nudge:{milestone.pk}:{week}",
                context={
                    "survey_title": survey_title,
                    "page_url": absolute_url(
                        reverse("surveys:answer", args=[milestone.plan_id, milestone.pk])
                    ),
                },
                **common,
            )
        for missing, people in follow_up.items():
            # One key per person and week whatever is missing, so a person is nudged at
            # most once a week even as what they still owe changes.
            queued += _fan_out(
                people,
                kind="follow_up_missing",
                key=f"follow-up-nudge:{milestone.pk}:{week}",
                context={"missing": _in_reader_language(missing), "page_url": page},
                **common,
            )
    return queued


def _names(names) -> list[str]:
    return [str(name) for name in names]


# The requirements' names become text only as each recipient's email is rendered in their
# language, and as plain strings, which the subject's join takes.
_in_reader_language = lazy(_names, list)


def _fan_out(people, *, kind, key, context, subject_object, scope, **shared) -> int:
    return notifications_create_many(
        recipients=people,
        kind=kind,
        context={**shared, **context},
        idempotency_key=key,
        subject_object=subject_object,
        scope=scope,
    )


def plan_digests_send(*, now: datetime.datetime | None = None) -> int:
    """Each morning (from DIGEST_HOUR in their own time zone), every project admin of a
    running plan hears what waits for them in it: uploads to review, self-marked attendance
    to validate, follow-up actions to validate, and the survey answers of the last day.
    Nothing is sent on a morning with nothing in it."""
    now = now or timezone.now()
    plans = {plan.pk: plan for plan in running_plans(now.date())}
    due = []
    for membership in project_admins_of(plans):
        local = now.astimezone(user_zone(membership.user))
        if local.hour >= DIGEST_HOUR:
            due.append(
                (
                    membership,
                    f"plan-digest:{membership.plan_id}:{membership.user_id}:"
                    f"{local.date().isoformat()}",
                )
            )
    taken = keys_taken(key for _, key in due)
    digests: dict[int, list] = {}
    sent = 0
    for membership, key in due:
        if key in taken:
            continue
        if membership.plan_id not in digests:
            digests[membership.plan_id] = _plan_digest(plans[membership.plan_id], now)
        items = digests[membership.plan_id]
        if not items:
            continue
        notification_create(
            recipient=membership.user,
            kind="plan_digest",
            context={
                "plan_name": membership.plan.name,
                "items": items,
                "page_url": absolute_url(reverse("progress:dashboard", args=[membership.plan_id])),
            },
            idempotency_key=key,
            subject_object=membership.plan,
            scope=plan_scope(membership.plan_id),
        )
        sent += 1
    return sent


def _plan_digest(plan, now) -> list[dict]:
    milestones = milestones_of_plans([plan.pk])
    ids = [milestone.pk for milestone in milestones]
    queues = review_queues(ids)
    self_marked = self_marks_awaiting_validation(ids)
    answers = responses_since(ids, now - datetime.timedelta(days=1))
    items = []
    for milestone in milestones:
        queue = queues.get(milestone.pk)
        item = {
            "name": milestone.name,
            "uploads": queue.uploads if queue else 0,
            "post_actions": queue.post_actions if queue else 0,
            "self_marked": self_marked.get(milestone.pk, 0),
            "answers": answers.get(milestone.pk, 0),
            "review_url": absolute_url(
                reverse("milestones:uploads_review", args=[plan.pk, milestone.pk])
            ),
            "register_url": absolute_url(
                reverse("milestones:attendance", args=[plan.pk, milestone.pk])
            ),
        }
        if any(item[count] for count in ("uploads", "post_actions", "self_marked", "answers")):
            items.append(item)
    return items


def progress_csv_start(*, plan: Plan, filters: dict[str, str], started_by) -> Job:
    """Start writing the plan's progress CSV in the background, narrowed by the dashboard's
    filters (as its query string gives them)."""
    return job_start(
        kind=PROGRESS_CSV,
        started_by=started_by,
        subject=plan.name,
        link=reverse("progress:dashboard", args=[plan.pk]),
        scope=plan_scope(plan.pk),
        params={"plan_id": plan.pk, "filters": filters},
    )


def progress_csv_run(job: Job) -> None:
    # Checked again as the file is written: someone who no longer manages the plan gets no
    # export of it.
    try:
        plan = get_plan_for_user(job.started_by, job.params["plan_id"], manage=True)
    except Http404:
        raise ValidationError(
            _("You no longer manage this plan, so its progress cannot be exported for you.")
        ) from None
    progress = plan_progress(plan)
    form = DashboardFilterForm(job.params["filters"], milestones=progress.milestones)
    board = dashboard(progress, **form.filters())
    job_csv_write(job=job, table=dashboard_csv(plan, board), rows=len(board.rows))
