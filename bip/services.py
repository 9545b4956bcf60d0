"""Plans and who belongs to them."""

from __future__ import annotations

import csv
import datetime
import io
import math
from dataclasses import asdict, dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import user_with_email
from accounts.services import normalise_email, user_invite
from bip.models import Plan, PlanMembership
from bip.signals import member_joined
from jobs.services import job_finish, job_start, job_steps
from notifications.emails import absolute_url
from notifications.services import notification_create

if TYPE_CHECKING:
    from accounts.models import User
    from jobs.models import Job


def plan_scope(plan_id: int) -> str:
    """The name under which a plan's emails are logged (see the plan's Emails page)."""
    return f"plan:{plan_id}"


@transaction.atomic
def plan_save(*, plan: Plan) -> Plan:
    if plan.pk is not None:
        plan_lock_open(plan_id=plan.pk)
    plan.full_clean()
    plan.save()
    return plan


def plan_create(
    *,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    time_zone: str,
    description: str = "",
) -> Plan:
    return plan_save(
        plan=Plan(
            name=name,
            description=description,
            start_date=start_date,
            end_date=end_date,
            time_zone=time_zone,
        )
    )


def plan_lock_open(*, plan_id: int) -> Plan:
    """Inside the caller's transaction: lock the plan for a change to its schedule or
    content, refusing if it is archived. The lock makes a change and an archiving that
    cross wait for each other, so nothing slips into a plan just archived."""
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    plan.ensure_open()
    return plan


@transaction.atomic
def plan_archive(*, plan: Plan, archived_by: User) -> Plan:
    """Archive a finished plan: it leaves the menus, the home pages' current plans and the
    periodic emails, and its schedule is frozen until it is restored. Archiving twice keeps
    the first record of who did it."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_archived:
        return locked
    if not locked.has_ended:
        raise ValidationError(
            _(
                "“%(name)s” runs until %(end_date)s: a plan can be archived once it has ended. "
                "To close it early, bring its end date forward in Plan details."
            )
            % {"name": locked.name, "end_date": date_format(locked.end_date, "LONG_DAY_FORMAT")},
            code="running",
        )
    locked.archived_at = timezone.now()
    locked.archived_by = archived_by
    locked.save(update_fields=["archived_at", "archived_by"])
    return locked


@transaction.atomic
def plan_restore(*, plan: Plan) -> Plan:
    """Bring an archived plan back: it can be changed again and, while its dates say it is
    running, its people hear from the periodic jobs again."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    locked.archived_at = None
    locked.archived_by = None
    locked.save(update_fields=["archived_at", "archived_by"])
    return locked


@dataclass(frozen=True)
class MemberRow:
    """One line of a member list and what became of it."""

    line: int
    email: str
    name: str = ""
    outcome: str = ""  # "added", "invited" or "skipped"
    # Why a line was skipped: "not_an_email", "listed_twice", or "already_member" (with the
    # role they have), kept as a code so a stored report reads in each reader's language.
    reason: str = ""
    role: str = ""

    @property
    def reason_text(self) -> str:
        if not self.reason:
            return ""
        if self.reason == "not_an_email":
            return _("not an email address")
        if self.reason == "listed_twice":
            return _("listed twice")
        if self.role == PlanMembership.Role.PROJECT_ADMIN:
            return _("already a member, as project admin")
        return _("already a member, as participant")


@transaction.atomic
def membership_add(
    *, plan: Plan, email: str, role: str, name: str = "", added_by: User
) -> MemberRow:
    """Add someone to a plan. An address with no account gets one, and an email to set its
    password; an existing account gets an email saying it was added."""
    email = normalise_email(email)
    validate_email(email)
    user, invited = _account_for(email, name)
    existing = plan.memberships.filter(user=user).first()
    if existing is None:
        try:
            with transaction.atomic():
                membership = PlanMembership.objects.create(plan=plan, user=user, role=role)
        except IntegrityError:
            # Added by someone else between the check and the insert.
            existing = plan.memberships.get(user=user)
    if existing is not None:
        return MemberRow(
            line=0, email=email, outcome="skipped", reason="already_member", role=existing.role
        )
    context = {
        "plan": plan,
        # The role's code: the email names it in its recipient's language.
        "role": membership.role,
        "added_by": str(added_by),
        "plan_url": absolute_url(reverse("home")),
    }
    # An invitation's set-password link is a secret: the outbox builds it when it sends the
    # email (see the plan_invitation kind), so it is never stored.
    notification_create(
        recipient=user,
        kind="plan_invitation" if invited else "plan_membership_added",
        context=context,
        subject_object=membership,
        idempotency_key=f"plan-membership-added:{membership.pk}",
        scope=plan_scope(plan.pk),
    )
    member_joined.send(sender=PlanMembership, membership=membership)
    return MemberRow(line=0, email=email, outcome="invited" if invited else "added")


def _account_for(email: str, name: str) -> tuple[User, bool]:
    """The account with this address, and whether it was invited just now.

    Two admins adding the same new address at once both get the one account: the second
    insert fails on the unique address, and its savepoint lets it read the first's row.
    """
    user = user_with_email(email)
    if user is not None:
        return user, False
    try:
        with transaction.atomic():
            return user_invite(email=email, display_name=name), True
    except (IntegrityError, ValidationError):
        user = user_with_email(email)
        if user is None:
            raise
        return user, False


# The kind of background job that adds everyone on a list (see jobs.kinds).
MEMBER_IMPORT = "member_import"
# Longer lists are split: each runs as its own import, and the report stays readable.
MEMBER_IMPORT_MAX_LINES = 5000
# An import records its progress (and commits what it has done) at least every this many
# lines, and about forty times in all, however long the list.
MEMBER_IMPORT_STEP = 25
MEMBER_IMPORT_STEPS = 40


@dataclass(frozen=True)
class MemberLine:
    """A line of a pasted list or CSV, and why it cannot be added ("not_an_email",
    "listed_twice"), if it cannot."""

    number: int
    email: str
    name: str
    problem: str = ""


def member_lines(text: str) -> list[MemberLine]:
    """The lines of a pasted list or CSV (an address per line, optionally with a name:
    `Ada Lovelace <ada@example.com>` or `ada@example.com, Ada Lovelace`)."""
    lines = []
    seen = set()
    for number, email, name in _member_lines(text):
        problem = ""
        try:
            validate_email(email)
        except ValidationError:
            problem = "not_an_email"
        else:
            if email.lower() in seen:
                problem = "listed_twice"
            seen.add(email.lower())
        lines.append(MemberLine(number=number, email=email, name=name, problem=problem))
    return lines


def member_import_start(*, plan: Plan, text: str, role: str, started_by: User) -> Job:
    """Check a pasted list or CSV at once, then add everyone on it in the background (see
    member_import_run). A list with no address on it, or too long, is refused with the
    reason, and nothing is started."""
    if role not in PlanMembership.Role.values:
        raise ValidationError(_("Choose the role everyone on the list joins with."), code="role")
    lines = member_lines(text)
    if all(line.problem for line in lines):
        raise ValidationError(
            _("The list has no email address on it: put one address on each line."),
            code="empty",
        )
    if len(lines) > MEMBER_IMPORT_MAX_LINES:
        raise ValidationError(
            _(
                "The list has %(count)s lines; one import takes up to %(most)s. Split it "
                "into several lists."
            )
            % {"count": len(lines), "most": MEMBER_IMPORT_MAX_LINES},
            code="too_long",
        )
    return job_start(
        kind=MEMBER_IMPORT,
        started_by=started_by,
        subject=plan.name,
        link=reverse("bip:members", args=[plan.pk]),
        scope=plan_scope(plan.pk),
        params={"plan_id": plan.pk, "text": text, "role": role},
        total=len(lines),
    )


def member_import_run(job: Job) -> None:
    """The worker's part of an import: add everyone on the list, each line on its own (so
    one bad line does not hold back the rest), recording what happened to every line. The
    lines go in steps that commit with the job's progress, so an import run again after its
    worker was lost carries on where it stopped and adds nobody twice."""
    plan = Plan.objects.filter(pk=job.params["plan_id"]).first()
    if plan is None:
        raise ValidationError(_("The plan was deleted before everyone on the list was added."))
    lines = member_lines(job.params["text"])
    role = job.params["role"]

    def step(start: int, end: int) -> list[dict]:
        return [
            asdict(_member_import_line(plan, line, role=role, added_by=job.started_by))
            for line in lines[start:end]
        ]

    size = max(MEMBER_IMPORT_STEP, math.ceil(len(lines) / MEMBER_IMPORT_STEPS))
    finished = job_steps(job=job, size=size, step=step)
    if finished is not None:
        skipped = sum(row["outcome"] == "skipped" for row in finished.report)
        job_finish(
            job=finished,
            summary={"added": len(finished.report) - skipped, "skipped": skipped},
        )


def member_import_outcome(job: Job) -> str:
    return _("%(added)s added, %(skipped)s skipped.") % {
        "added": job.summary.get("added", 0),
        "skipped": job.summary.get("skipped", 0),
    }


def _member_import_line(plan: Plan, line: MemberLine, *, role: str, added_by: User) -> MemberRow:
    if line.problem:
        return MemberRow(
            line=line.number,
            email=line.email,
            name=line.name,
            outcome="skipped",
            reason=line.problem,
        )
    result = membership_add(
        plan=plan, email=line.email, role=role, name=line.name, added_by=added_by
    )
    return MemberRow(
        line=line.number,
        email=result.email,
        name=line.name,
        outcome=result.outcome,
        reason=result.reason,
        role=result.role,
    )


@transaction.atomic
def membership_remove(*, membership: PlanMembership, removed_by: User) -> None:
    """Take someone off a plan. A project admin cannot remove themselves, so a plan is never
    left without the person who was looking after it by accident; another admin can."""
    if membership.user_id == removed_by.pk and not removed_by.is_staff:
        raise ValidationError(_("You cannot remove yourself: ask another admin."))
    membership.delete()


def _member_lines(text: str):
    first = True
    for number, fields in enumerate(csv.reader(io.StringIO(text.strip())), start=1):
        fields = [field.strip() for field in fields if field.strip()]
        if not fields:
            continue
        if first and fields[0].lower() in {"email", "e-mail", "email address"}:
            first = False
            continue  # a CSV header
        first = False
        name, email = parseaddr(fields[0])
        if not email or "@" not in email:
            name, email = "", fields[0]
        if not name and len(fields) > 1:
            name = fields[1]
        yield number, email.strip(), name.strip()
