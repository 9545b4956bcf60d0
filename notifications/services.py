"""The outbox: record an email with the change that causes it, send it once, retry it safely.

Recording. `notification_create()` records one email to one person; `notifications_create_many()`
records one change that concerns many people (a plan's cohort), one row each, with the bodies
rendered once per time zone and the rows written in batches. Both write in the caller's
transaction and queue the sending once it commits, so a rolled-back change sends nothing.
Both refuse a kind that no app registered (see notifications.kinds), and both record a kind the
recipient turned off as a SKIPPED row that is never sent, so the log shows it and a repeat
finds the key taken. A key that already has a row records and sends nothing more.

A fan-out, typically from a Celery task that the change queued:

    notifications_create_many(
        recipients=participants,
        kind="session_changed",
        context={"milestone": milestone, "changes": changes, "milestone_url": url},
        idempotency_key=f"session-changed:{milestone.pk}:{milestone.version}",
        subject_object=milestone,
        scope=f"plan:{milestone.plan_id}",
        attachments=lambda person: [invite_for(milestone, person)],
    )

Each row's key is `<idempotency_key>:<user pk>`, or `<idempotency_key>:<lower-cased address>`
for someone with no account (below), so a repeated fan-out records nothing twice.

Recipients. A recipient is a user or, for someone who may have no account (a trainer from
outside), a `notifications.recipients.Contact(email, display_name="", time_zone="UTC")`;
a fan-out takes both, mixed:

    recipients=[
        trainer.user or Contact(email=trainer.email, display_name=trainer.name,
                                time_zone=plan.time_zone)
        for trainer in milestone.trainers.select_related("user")
        if trainer.user or trainer.email
    ]

A Contact whose address belongs to an account (whatever its case) is the account: its
choices, time zone and name apply and its row is keyed as the account's (one query per call
looks all the addresses up). Any other Contact gets a row with no `recipient` and its address,
name and time zone stored on the row; its opt-outs are kept by address, its unsubscribe link
signs the address, and its email offers no preferences page, which it cannot sign in to. The
bodies are rendered once per time zone for those with an account and once for those without.
Kinds with secret links go to users only: they refuse a Contact.

One idempotency key per logical change; edits inside the window replace the pending row.
A change that may well be edited again at once (an admin fixing a typo twice in a minute) is
recorded with `send_after=timedelta(minutes=2)`: its row waits, queued and not yet due. The next
edit first calls `notification_replace_pending(idempotency_key=<that key>, context=<latest>)`:
while the row still waits (queued, never tried, not yet due) it is rendered again from the
latest context and keeps its due time, so people get one email with the final state. Once it
is due, in flight or sent, the call returns None and the edit is a new change with a new key:

    row = notification_replace_pending(idempotency_key=change.email_key, context=context)
    if row is None:
        change.email_key = f"session-changed:{milestone.pk}:{milestone.version}"
        notification_create(recipient=..., kind=..., context=context,
                            idempotency_key=change.email_key, send_after=SETTLING_WINDOW)

`notifications_replace_pending_many()` does the same for every recipient of a fanned-out change.

Secret links. A kind declares its secret links (notifications.kinds.SecretLink); the stored
email holds a marker where each goes and the link is built from the recipient when the email
is sent, on every attempt. A caller passes nothing for them: whatever it passes under a
secret link's name is replaced by the marker. Password reset (`reset_url`) and plan invitations
(`set_password_url`) work this way; their links come from accounts.services.set_password_url.

Attachments and headers. `attachments` takes `Attachment`s (small text files such as an .ics
invite), `headers` extra header lines; both are stored on the row, together at most
MAX_EXTRAS_BYTES. For a calendar invite that Gmail and Outlook show with Accept and Decline
buttons, pass `Attachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", ics,
alternative=True)`: the invite is then both a part of the message's multipart/alternative
body, where those clients look for it, and an attached file for the others.

Sending. A task sends a batch of rows over one SMTP connection: it claims them (queued and due
become SENDING, in one short transaction), then talks to the server with no transaction open
and records each row's outcome. 4xx replies and network trouble are retried with backoff, 5xx
replies fail the row; the same Message-ID goes out on every attempt. A periodic sweeper sends
the rows whose task was lost and takes back the claims of workers that died.
"""

import contextlib
import json
import logging
import math
import smtplib
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import cache
from itertools import batched

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from notifications import markers
from notifications.emails import RenderedEmail, render_email
from notifications.kinds import Kind, kind_find, kind_get, kinds_all
from notifications.links import unsubscribe_url
from notifications.models import Notification, NotificationOptOut
from notifications.recipients import (
    Contact,
    Recipient,
    recipient_key,
    recipient_resolve,
    recipients_resolve,
)

logger = logging.getLogger(__name__)

# A claimed row whose worker has said nothing for this long is taken to be lost.
SENDING_TIMEOUT = timedelta(minutes=10)
# A queued row that is this late was not picked up by its own task; the sweeper sends it.
QUEUED_GRACE = timedelta(minutes=2)
# Rows written by one INSERT when fanning out.
CREATE_BATCH = 500
# Rows one send task takes: enough to make the SMTP connection worth opening, few enough that
# a cohort is spread over every worker process.
SEND_BATCH = 100
# Attachments and extra headers of one email, in bytes: the outbox is no file store.
MAX_EXTRAS_BYTES = 256 * 1024
# Headers the outbox writes itself.
RESERVED_HEADERS = {
    "bcc",
    "cc",
    "content-transfer-encoding",
    "content-type",
    "date",
    "from",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "message-id",
    "mime-version",
    "reply-to",
    "subject",
    "to",
}


@dataclass(frozen=True)
class Attachment:
    """A small text file sent with an email.

    `mimetype` may carry parameters ("text/calendar; method=REQUEST; charset=utf-8").
    `alternative=True` also offers the content as a third form of the message beside the text
    and HTML bodies, which is where Gmail and Outlook look for a calendar invite.
    """

    filename: str
    mimetype: str
    content: str
    alternative: bool = False


Attachments = Sequence[Attachment] | Callable[[Recipient], Sequence[Attachment]]


def notification_create(
    *,
    recipient: Recipient,
    kind: str,
    context: dict,
    idempotency_key: str,
    subject_object: models.Model | None = None,
    scope: str = "",
    send_after: timedelta | None = None,
    attachments: Sequence[Attachment] = (),
    headers: Mapping[str, str] | None = None,
) -> Notification:
    """Record an email inside the caller's transaction and send it once that commits.

    `recipient` is a user or a Contact. `send_after` holds it back for a settling window (see
    the module's notes); `scope` names the log it belongs to ("plan:12"). Calling it again
    with the same idempotency key returns the existing row and sends nothing more.
    """
    definition = kind_get(kind)
    _refuse_contacts(definition, [recipient])
    extras = _extras(attachments, headers)
    person = recipient_resolve(recipient)
    rendered = render_email(kind, recipient=person, context=context)
    due = timezone.now() + (send_after or timedelta())
    with transaction.atomic():
        turned_off = recipient_key(person) in _turned_off(definition, [person])
        notification, created = Notification.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                **_addressed_to(person),
                "kind": kind,
                **_subject_fields(subject_object),
                "scope": scope,
                **_rendered_fields(rendered),
                **extras,
                "message_id": _new_message_id(),
                "status": Notification.Status.SKIPPED if turned_off else Notification.Status.QUEUED,
                "next_attempt_at": due,
            },
        )
        if created and not turned_off:
            notifications_enqueue(notification_ids=[notification.pk], due=due)
    return notification


def notification_replace_pending(
    *,
    idempotency_key: str,
    context: dict,
    attachments: Sequence[Attachment] = (),
    headers: Mapping[str, str] | None = None,
) -> Notification | None:
    """Render the email recorded under this key again from the latest context, keeping its due
    time, while it still waits for its settling window to end. Returns None once it is due, in
    flight, sent or skipped (or if there is none): record the change under a new key then."""
    extras = _extras(attachments, headers)
    with transaction.atomic():
        notification = (
            _pending(timezone.now())
            .select_for_update(of=("self",))
            .select_related("recipient")
            .filter(idempotency_key=idempotency_key)
            .first()
        )
        if notification is None:
            return None
        rendered = render_email(
            notification.kind, recipient=notification.addressee, context=context
        )
        for field, value in {**_rendered_fields(rendered), **extras}.items():
            setattr(notification, field, value)
        notification.save(update_fields=["subject", "body_text", "body_html", *extras])
        # Its first task may run while this transaction holds the row and so pass it by.
        notifications_enqueue(notification_ids=[notification.pk], due=notification.next_attempt_at)
    return notification


def notifications_create_many(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    context: dict,
    idempotency_key: str,
    subject_object: models.Model | None = None,
    scope: str = "",
    send_after: timedelta | None = None,
    attachments: Attachments = (),
    headers: Mapping[str, str] | None = None,
) -> int:
    """Record one email per recipient for a change that concerns them all, and send them in
    batches once the caller's transaction commits. Returns how many were queued.

    `recipients` holds users and Contacts, mixed as they come. Each recipient's row is keyed
    `<idempotency_key>:<user pk>`, or `<idempotency_key>:<lower-cased address>` for a Contact
    with no account, so running the fan-out again (a retried task) records nothing twice; a
    person listed twice gets one email. The bodies are rendered once per time zone among the
    recipients (and once more where some of them have no account, whose footer differs); the
    template sees a `RecipientStandIn` as `recipient` (name and address only, filled in per
    person when sent). `attachments` is a list shared by everyone or a function of the
    recipient (the account, for a Contact whose address has one), for what differs per person
    (an invite's attendee).
    """
    definition = kind_get(kind)
    recipients = list(recipients)
    _refuse_contacts(definition, recipients)
    due = timezone.now() + (send_after or timedelta())
    with transaction.atomic():
        queued = _rows_create(
            definition,
            recipients_resolve(recipients),
            context=context,
            idempotency_key=idempotency_key,
            shared={**_subject_fields(subject_object), "scope": scope},
            due=due,
            attachments=attachments,
            headers=headers,
        )
        notifications_enqueue(notification_ids=queued, due=due)
    return len(queued)


def notifications_replace_pending_many(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    context: dict,
    idempotency_key: str,
    attachments: Attachments = (),
    headers: Mapping[str, str] | None = None,
) -> int | None:
    """`notification_replace_pending` for a fanned-out change: render every recipient's still
    waiting row again, keeping the due time, and add rows (due at the same time) for the
    recipients who joined since. Returns how many rows will be sent, or None when none of the
    change's rows still waits: record the change under a new key then."""
    definition = kind_get(kind)
    recipients = list(recipients)
    _refuse_contacts(definition, recipients)
    now = timezone.now()
    with transaction.atomic():
        people = recipients_resolve(recipients)
        row_keys = {f"{idempotency_key}:{key}": key for key in people}
        pending = []
        for keys in batched(row_keys, CREATE_BATCH):
            pending += (
                _pending(now)
                .select_for_update()
                .filter(kind=kind, idempotency_key__in=keys)
                .only("idempotency_key", "next_attempt_at", "subject_type", "subject_id", "scope")
                .order_by("pk")
            )
        if not pending:
            return None
        due = min(row.next_attempt_at for row in pending)
        render = _renderer(kind, context)
        shared_extras = None if callable(attachments) else _extras(attachments, headers)
        for row in pending:
            person = people[row_keys[row.idempotency_key]]
            fields = {
                **_rendered_fields(render(person)),
                **(shared_extras or _extras(_attachments_for(attachments, person), headers)),
            }
            for field, value in fields.items():
                setattr(row, field, value)
        Notification.objects.bulk_update(
            pending,
            ["subject", "body_text", "body_html", "attachments", "headers"],
            batch_size=CREATE_BATCH,
        )
        recorded = set()
        for keys in batched(row_keys, CREATE_BATCH):
            recorded.update(
                Notification.objects.filter(idempotency_key__in=keys).values_list(
                    "idempotency_key", flat=True
                )
            )
        joined = _rows_create(
            definition,
            {key: people[key] for row_key, key in row_keys.items() if row_key not in recorded},
            context=context,
            idempotency_key=idempotency_key,
            shared={
                "subject_type_id": pending[0].subject_type_id,
                "subject_id": pending[0].subject_id,
                "scope": pending[0].scope,
            },
            due=due,
            attachments=attachments,
            headers=headers,
            render=render,
        )
        replaced = [row.pk for row in pending]
        notifications_enqueue(notification_ids=[*replaced, *joined], due=due)
    return len(replaced) + len(joined)


@dataclass(frozen=True)
class DeliveryResult:
    sent: bool = False
    retry_at: datetime | None = None


def notification_deliver(*, notification_id: int) -> DeliveryResult:
    """Send one queued notification, unless it is sent, failed, skipped, in flight or not
    yet due."""
    return notifications_deliver(notification_ids=[notification_id]).get(
        notification_id, DeliveryResult()
    )


def notifications_deliver(*, notification_ids: Sequence[int]) -> dict[int, DeliveryResult]:
    """Send the rows among these that are queued and due, over one connection to the mail
    server. Rows sent, failed, skipped, in flight or not yet due are passed by."""
    claimed = _claim(notification_ids)
    results = {}
    if not claimed:
        return results
    # The rows are claimed, so no other worker sends them while the SMTP conversation runs
    # outside any database transaction.
    mailer = mail.mailers.default
    try:
        for index, notification in enumerate(claimed):
            try:
                message = _build_message(notification)
            except Exception as error:
                results[notification.pk] = _record_failure(notification, error)
                continue
            try:
                mailer.open()  # a no-op while the connection is open
            except Exception as error:
                # Unreachable: every other row would wait for the same timeout in turn.
                for unsent in claimed[index:]:
                    results[unsent.pk] = _record_failure(unsent, error)
                break
            try:
                mailer.send_messages([message])
            except Exception as error:
                results[notification.pk] = _record_failure(notification, error)
                # The server may have dropped the connection; the next row opens a new one.
                _close(mailer)
                continue
            results[notification.pk] = _record_sent(notification)
    finally:
        _close(mailer)
    return results


def notifications_sweep() -> int:
    """Queue again the rows whose own task was lost: late queued rows and stale claims."""
    now = timezone.now()
    with transaction.atomic():
        stale = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=stale).update(
            status=Notification.Status.QUEUED,
            next_attempt_at=now,
            last_error="The worker sending this email stopped before it finished.",
        )
        late = list(
            Notification.objects.filter(
                status=Notification.Status.QUEUED, next_attempt_at__lt=now - QUEUED_GRACE
            ).values_list("pk", flat=True)
        )
        notifications_enqueue(notification_ids=[*stale, *late], due=now)
    return len(stale) + len(late)


def notification_requeue(*, notification: Notification) -> None:
    """Give a failed email another try (an admin's decision, after fixing the cause)."""
    with transaction.atomic():
        now = timezone.now()
        updated = Notification.objects.filter(
            pk=notification.pk, status=Notification.Status.FAILED
        ).update(status=Notification.Status.QUEUED, next_attempt_at=now, attempts=0)
        if updated:
            notifications_enqueue(notification_ids=[notification.pk], due=now)


def notification_kind_turn_off(*, recipient: Recipient, kind: str) -> None:
    """Stop a kind of email reaching someone (a user, or a Contact: for the account when the
    address has one), including those already queued for them."""
    if not kind_get(kind).unsubscribable:
        raise ValidationError(_("Account emails cannot be turned off."))
    with transaction.atomic():
        NotificationOptOut.objects.get_or_create(
            **_opt_out_owner(recipient_resolve(recipient)), kind=kind
        )


def notification_kind_turn_on(*, recipient: Recipient, kind: str) -> None:
    with transaction.atomic():
        NotificationOptOut.objects.filter(
            **_opt_out_owner(recipient_resolve(recipient)), kind=kind
        ).delete()


def notification_preferences_save(*, user, enabled: Iterable[str]) -> None:
    """Turn on the `enabled` kinds and turn off every other kind that can be turned off."""
    enabled = set(enabled)
    choosable = {kind.code for kind in kinds_all() if kind.unsubscribable}
    with transaction.atomic():
        NotificationOptOut.objects.filter(user=user, kind__in=choosable & enabled).delete()
        already = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
        NotificationOptOut.objects.bulk_create(
            NotificationOptOut(user=user, kind=code)
            for code in sorted(choosable - enabled - already)
        )


def notifications_enqueue(*, notification_ids: list[int], due: datetime) -> None:
    """Queue the send tasks for when the rows are due, once the current transaction commits
    (at once outside one): a task per row for a single email, batch tasks for many."""
    from notifications.tasks import send_notification, send_notifications

    def enqueue():
        countdown = max((due - timezone.now()).total_seconds(), 0)
        # A longer ETA would outlive the broker's visibility timeout and be delivered twice;
        # past the cap the sweeper sends the rows when they are due.
        if countdown > settings.NOTIFICATIONS_MAX_COUNTDOWN:
            return
        try:
            if len(notification_ids) == 1:
                send_notification.apply_async(notification_ids, countdown=countdown, retry=False)
                return
            for batch in batched(notification_ids, SEND_BATCH):
                send_notifications.apply_async((list(batch),), countdown=countdown, retry=False)
        except OperationalError as error:
            # The broker is down: the rows stay queued and the sweeper sends them once it is
            # back, so the request that recorded them goes on without waiting.
            logger.warning("Could not queue %d email(s): %s", len(notification_ids), error)

    if notification_ids:
        transaction.on_commit(enqueue, robust=True)


def is_temporary(error: Exception) -> bool:
    """SMTP 4xx replies and network trouble are worth retrying; 5xx replies are final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout | OSError)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after each failed attempt, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def _pending(now: datetime) -> models.QuerySet[Notification]:
    """Rows still in their settling window: queued, never tried, not yet due."""
    return Notification.objects.filter(
        status=Notification.Status.QUEUED, attempts=0, next_attempt_at__gt=now
    )


def _rows_create(
    definition: Kind,
    people: Mapping[str, Recipient],
    *,
    context: dict,
    idempotency_key: str,
    shared: dict,
    due: datetime,
    attachments: Attachments,
    headers: Mapping[str, str] | None,
    render: Callable[[Recipient], RenderedEmail] | None = None,
) -> list[int]:
    """Insert a row per recipient (resolved and by recipient key, as recipients_resolve gives
    them), in batches, leaving alone the keys already taken; return the ids of the new rows
    to send."""
    render = render or _renderer(definition.code, context)
    shared_extras = None if callable(attachments) else _extras(attachments, headers)
    queued = []
    for batch in batched(people.items(), CREATE_BATCH):
        turned_off = _turned_off(definition, [person for _, person in batch])
        rows = [
            Notification(
                **_addressed_to(person),
                kind=definition.code,
                idempotency_key=f"{idempotency_key}:{key}",
                message_id=_new_message_id(),
                status=(
                    Notification.Status.SKIPPED if key in turned_off else Notification.Status.QUEUED
                ),
                next_attempt_at=due,
                **shared,
                **_rendered_fields(render(person)),
                **(shared_extras or _extras(_attachments_for(attachments, person), headers)),
            )
            for key, person in batch
        ]
        # The key's unique index makes a repeat a no-op; the Message-IDs, new to this call,
        # then tell the rows it inserted from those that were there before.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        queued += Notification.objects.filter(
            message_id__in=[row.message_id for row in rows], status=Notification.Status.QUEUED
        ).values_list("pk", flat=True)
    return queued


def _renderer(kind: str, context: dict) -> Callable[[Recipient], RenderedEmail]:
    """Renders the kind for a stand-in recipient once per time zone and language, and apart
    for those with an account and those without (the layout offers only the former the
    preferences page)."""

    @cache
    def render(time_zone: str, language: str, has_account: bool) -> RenderedEmail:
        stand_in = markers.RecipientStandIn(time_zone, language=language, has_account=has_account)
        return render_email(kind, recipient=stand_in, context=context)

    return lambda person: render(person.time_zone, person.language, not isinstance(person, Contact))


def _attachments_for(attachments: Attachments, person: Recipient) -> Sequence[Attachment]:
    return attachments(person) if callable(attachments) else attachments


def _refuse_contacts(definition: Kind, recipients: Iterable[Recipient]) -> None:
    # A secret link signs someone in to their account: it is built for a user, and an
    # address given by a caller is not proof of owning the account that has it.
    if definition.secret_links and any(isinstance(p, Contact) for p in recipients):
        raise ValueError(
            f"The {definition.code!r} email carries a link into an account: send it to the "
            "user, not to a Contact."
        )


def _addressed_to(person: Recipient) -> dict:
    """A row's fields for who it goes to."""
    if isinstance(person, Contact):
        return {
            "recipient": None,
            "to_email": person.email,
            "to_name": person.display_name,
            "to_time_zone": person.time_zone,
        }
    return {"recipient": person, "to_email": person.email}


def _opt_out_owner(person: Recipient) -> dict:
    if isinstance(person, Contact):
        return {"email": person.email.lower()}
    return {"user": person}


def _turned_off(definition: Kind, people: Sequence[Recipient]) -> set[str]:
    """The recipient keys of those among these people who turned the kind off."""
    if not definition.unsubscribable:
        return set()
    turned_off = _opt_outs(
        kinds={definition.code},
        user_ids={p.pk for p in people if not isinstance(p, Contact)},
        addresses={p.email.lower() for p in people if isinstance(p, Contact)},
    )
    return {key for key, _ in turned_off}


def _opt_outs(*, kinds: set[str], user_ids: set[int], addresses: set[str]) -> set[tuple[str, str]]:
    """(recipient key, kind) for each of these kinds that these users or addresses turned
    off, in one query."""
    found = NotificationOptOut.objects.filter(
        Q(user_id__in=user_ids) | Q(email__in=addresses), kind__in=kinds
    ).values_list("user_id", "email", "kind")
    return {(email if user_id is None else str(user_id), kind) for user_id, email, kind in found}


def _subject_fields(subject_object: models.Model | None) -> dict:
    if subject_object is None:
        return {"subject_type": None, "subject_id": ""}
    return {
        "subject_type": ContentType.objects.get_for_model(subject_object),
        "subject_id": str(subject_object.pk),
    }


def _rendered_fields(rendered: RenderedEmail) -> dict:
    return {"subject": rendered.subject, "body_text": rendered.text, "body_html": rendered.html}


def _extras(attachments: Sequence[Attachment], headers: Mapping[str, str] | None) -> dict:
    """The attachments and headers as stored on the row, checked and within the size cap."""
    stored_attachments = [_stored_attachment(attachment) for attachment in attachments]
    stored_headers = {name: _header_value(name, value) for name, value in (headers or {}).items()}
    size = sum(len(item["content"].encode()) for item in stored_attachments) + len(
        json.dumps(stored_headers).encode()
    )
    if size > MAX_EXTRAS_BYTES:
        raise ValidationError(
            f"The attachments and headers of one email come to {math.ceil(size / 1024)} KB, "
            f"over the outbox's limit of {MAX_EXTRAS_BYTES // 1024} KB: link to large files "
            "instead of attaching them."
        )
    return {"attachments": stored_attachments, "headers": stored_headers}


def _stored_attachment(attachment: Attachment) -> dict:
    probe = EmailMessage()
    probe["Content-Type"] = attachment.mimetype
    if probe["Content-Type"].defects or "/" not in attachment.mimetype:
        raise ValidationError(f"{attachment.mimetype!r} is not a MIME type.")
    if attachment.alternative and probe.get_content_maintype() != "text":
        raise ValidationError("Only a text/* attachment can be an alternative body.")
    if not isinstance(attachment.content, str):
        raise ValidationError("An attachment's content is text; the outbox stores no binary files.")
    if not attachment.filename or any(c in attachment.filename for c in "/\\\r\n"):
        raise ValidationError(f"{attachment.filename!r} is not a file name.")
    return {
        "filename": attachment.filename,
        "mimetype": attachment.mimetype,
        "content": attachment.content,
        "alternative": attachment.alternative,
    }


def _header_value(name: str, value: str) -> str:
    if not name or not all(33 <= ord(c) <= 126 and c != ":" for c in name):
        raise ValidationError(f"{name!r} is not a header name.")
    if name.lower() in RESERVED_HEADERS:
        raise ValidationError(f"The outbox writes the {name} header itself.")
    if "\r" in value or "\n" in value:
        raise ValidationError(f"The {name} header must be one line.")
    return value


def _new_message_id() -> str:
    return make_msgid(domain=_message_id_domain())


def _message_id_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "cairn.localhost"


def _claim(notification_ids: Sequence[int]) -> list[Notification]:
    """Mark the rows that are queued and due as being sent by this worker, skipping those the
    recipient has turned off since they were recorded, and commit that at once."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                pk__in=notification_ids,
                status=Notification.Status.QUEUED,
                next_attempt_at__lte=now,
            )
            .values_list("pk", "recipient_id", "to_email", "kind")
        )
        if not due:
            return []
        turned_off = _opt_outs(
            kinds={kind for *_, kind in due},
            user_ids={user_id for _, user_id, _, _ in due if user_id is not None},
            addresses={address.lower() for _, user_id, address, _ in due if user_id is None},
        )
        skipped = {
            pk
            for pk, user_id, address, kind in due
            if (address.lower() if user_id is None else str(user_id), kind) in turned_off
            and getattr(kind_find(kind), "unsubscribable", False)
        }
        claimed = [pk for pk, *_ in due if pk not in skipped]
        Notification.objects.filter(pk__in=skipped).update(status=Notification.Status.SKIPPED)
        Notification.objects.filter(pk__in=claimed).update(
            status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        Notification.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk")
    )


def _build_message(notification: Notification) -> EmailMultiAlternatives:
    # None for a kind its app no longer registers: the row is sent as it was recorded.
    definition = kind_find(notification.kind)
    resolve = _marker_values(notification, definition)
    # The same Message-ID on every attempt lets receiving servers drop a duplicate.
    headers = {**notification.headers, "Message-ID": notification.message_id}
    if definition is not None and definition.unsubscribable:
        headers["List-Unsubscribe"] = f"<{resolve(markers.UNSUBSCRIBE_URL)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=markers.fill(notification.subject, resolve),
        body=markers.fill(notification.body_text, resolve),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        headers=headers,
    )
    if notification.body_html:
        message.attach_alternative(
            markers.fill(notification.body_html, resolve, html=True), "text/html"
        )
    for attachment in notification.attachments:
        if attachment["alternative"]:
            message.attach_alternative(attachment["content"], attachment["mimetype"])
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _marker_values(notification: Notification, definition: Kind | None) -> Callable:
    """What each marker of this row stands for, built only if the row uses it, and once."""
    builders = {
        markers.RECIPIENT_NAME: lambda: notification.recipient_name,
        markers.RECIPIENT_EMAIL: lambda: notification.to_email,
    }
    if definition is not None:
        for link in definition.secret_links:
            builders[link.name] = lambda link=link: link.build(notification.recipient)
        if definition.unsubscribable:
            builders[markers.UNSUBSCRIBE_URL] = lambda: _unsubscribe_url(
                notification, definition.code
            )

    @cache
    def resolve(name: str) -> str | None:
        build = builders.get(name)
        return build() if build else None

    return resolve


def _unsubscribe_url(notification: Notification, kind: str) -> str:
    if notification.recipient_id is None:
        return unsubscribe_url(kind=kind, email=notification.to_email)
    return unsubscribe_url(kind=kind, user_id=notification.recipient_id)


def _record_sent(notification: Notification) -> DeliveryResult:
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return DeliveryResult(sent=True)


def _record_failure(notification: Notification, error: Exception) -> DeliveryResult:
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    retry = is_temporary(error) and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS
    if retry:
        notification.status = Notification.Status.QUEUED
        notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
        logger.warning("Email %s failed, will retry: %s", notification.pk, notification.last_error)
    else:
        notification.status = Notification.Status.FAILED
        logger.error("Email %s failed for good: %s", notification.pk, notification.last_error)
    notification.save(update_fields=["status", "next_attempt_at", "last_error"])
    return DeliveryResult(retry_at=notification.next_attempt_at if retry else None)


def _close(mailer) -> None:
    # Closing a connection the server already dropped may fail; nothing is lost by it.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        mailer.close()
