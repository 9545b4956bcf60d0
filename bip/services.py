"""Plans and who belongs to them."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
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
from notifications.emails import absolute_url
from notifications.services import notification_create

if TYPE_CHECKING:
    from accounts.models import User


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
    reason: str = ""


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
            line=0,
            email=email,
            outcome="skipped",
            reason=_already_a_member(existing.role),
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


def _already_a_member(role: str) -> str:
    if role == PlanMembership.Role.PROJECT_ADMIN:
        return _("already a member, as project admin")
    return _("already a member, as participant")


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


def memberships_bulk_add(*, plan: Plan, text: str, role: str, added_by: User) -> list[MemberRow]:
    """Add everyone on a pasted list or CSV (an address per line, optionally with a name:
    `Ada Lovelace <ada@example.com>` or `ada@example.com, Ada Lovelace`). Each line is added
    on its own, so one bad line does not hold back the rest; the report says what happened
    to every line."""
    report = []
    seen = set()
    for number, email, name in _member_lines(text):
        row = MemberRow(line=number, email=email, name=name)
        try:
            validate_email(email)
        except ValidationError:
            report.append(_skip(row, _("not an email address")))
            continue
        if email.lower() in seen:
            report.append(_skip(row, _("listed twice")))
            continue
        seen.add(email.lower())
        result = membership_add(plan=plan, email=email, role=role, name=name, added_by=added_by)
        report.append(
            MemberRow(
                line=number,
                email=result.email,
                name=name,
                outcome=result.outcome,
                reason=result.reason,
            )
        )
    return report


@transaction.atomic
def membership_remove(*, membership: PlanMembership, removed_by: User) -> None:
    """Take someone off a plan. A project admin cannot remove themselves, so a plan is never
    left without the person who was looking after it by accident; another admin can."""
    if membership.user_id == removed_by.pk and not removed_by.is_staff:
        raise ValidationError(_("You cannot remove yourself: ask another admin."))
    membership.delete()


def _skip(row: MemberRow, reason: str) -> MemberRow:
    return MemberRow(
        line=row.line, email=row.email, name=row.name, outcome="skipped", reason=reason
    )


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
