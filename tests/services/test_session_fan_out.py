"""A session change told to a cohort through a real Celery worker on Redis and a real SMTP
server: the admin's save only records it; the worker announces it once it settles and sends
each person one email with their own calendar invite."""

import datetime
import email
import email.policy

import pytest
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from bip.models import PlanMembership
from milestones import services
from milestones.models import Milestone
from notifications.models import Notification
from tests.factories import MilestoneFactory, PlanFactory, TrainerFactory, session_on
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services

COHORT = 40


def invites(smtp, since=0):
    """The calendar invites the SMTP server accepted, by address: (METHOD, SEQUENCE)."""
    found = {}
    for raw in smtp.accepted[since:]:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        for part in message.walk():
            if part.get_content_type() == "text/calendar" and not part.get_filename():
                calendar = Calendar.from_ical(part.get_content())
                event = calendar.walk("VEVENT")[0]
                found.setdefault(message["To"], []).append(
                    (str(calendar["METHOD"]), int(event["SEQUENCE"]))
                )
    return found


def test_confirming_then_moving_a_session_reaches_each_person_once_per_change(
    celery_worker, worker_smtp, settings
):
    settings.SESSION_CHANGE_SETTLING_SECONDS = 1
    today = timezone.localdate()
    plan = PlanFactory(name="Northwind", start_date=today, end_date=today)
    people = User.objects.bulk_create(
        User(email=f"p{n}@cohort.example", display_name=f"Person {n:02}") for n in range(COHORT)
    )
    PlanMembership.objects.bulk_create(
        PlanMembership(plan=plan, user=person, role=PlanMembership.Role.PARTICIPANT)
        for person in people
    )
    milestone = MilestoneFactory(plan=plan, name="Lean workshop")
    milestone.trainers.add(TrainerFactory(plan=plan, name="Gwen", email="gwen@elsewhere.example"))
    everyone = {person.email for person in people} | {"gwen@elsewhere.example"}

    def save(**fields):
        edited = Milestone.objects.select_related("plan").get(pk=milestone.pk)
        for name, value in fields.items():
            setattr(edited, name, value)
        with transaction.atomic():
            services.milestone_save(milestone=edited)

    starts, ends = session_on(7)
    save(
        schedule=Milestone.Schedule.CONFIRMED,
        starts_at=starts,
        ends_at=ends,
        location="Training room 2",
    )
    assert not Notification.objects.exists()  # the save only noted the change
    assert wait_for(lambda: len(worker_smtp.accepted) >= len(everyone), timeout=60)
    first = invites(worker_smtp)
    assert set(first) == everyone
    assert all(received == [("REQUEST", 0)] for received in first.values())

    before = len(worker_smtp.accepted)
    save(
        starts_at=starts + datetime.timedelta(hours=3), ends_at=starts + datetime.timedelta(hours=5)
    )
    assert wait_for(lambda: len(worker_smtp.accepted) >= before + len(everyone), timeout=60)
    wait_for(lambda: len(worker_smtp.accepted) > before + len(everyone), timeout=3)
    second = invites(worker_smtp, since=before)
    assert set(second) == everyone
    assert all(received == [("REQUEST", 1)] for received in second.values())
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
