"""A cohort's emails through a real Celery worker on Redis and a real SMTP server: batch tasks,
each person's own email exactly once, even when the broker hands a batch out twice."""

import email
import email.policy

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from notifications.services import SEND_BATCH, notifications_create_many
from notifications.tasks import send_notifications
from tests.factories import PlanFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services

COHORT = 250


def test_a_cohort_fan_out_reaches_each_person_once_through_the_worker(celery_worker, worker_smtp):
    plan = PlanFactory(name="Northwind")
    people = User.objects.bulk_create(
        User(email=f"p{n}@cohort.example", display_name=f"Person {n:03}") for n in range(COHORT)
    )
    with transaction.atomic():
        queued = notifications_create_many(
            recipients=people,
            kind="plan_membership_added",
            context={
                "plan": plan,
                "role": "participant",
                "added_by": "Ada Admin",
                "plan_url": "https://cairn.example/",
            },
            idempotency_key=f"plan-added:{plan.pk}",
            subject_object=plan,
            scope=f"plan:{plan.pk}",
        )
    assert queued == COHORT
    # The broker delivers the first batch a second time, as Redis does after a lost ack.
    first_batch = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    send_notifications.delay(first_batch[:SEND_BATCH])

    def all_sent():
        return Notification.objects.filter(status=Notification.Status.SENT).count() == COHORT

    assert wait_for(all_sent, timeout=60)
    wait_for(lambda: len(worker_smtp.accepted) > COHORT, timeout=3)

    messages = [
        email.message_from_bytes(raw, policy=email.policy.default) for raw in worker_smtp.accepted
    ]
    assert len(messages) == COHORT
    assert sorted(m["To"] for m in messages) == sorted(p.email for p in people)
    by_address = {m["To"]: m for m in messages}
    person = people[7]
    message = by_address[person.email]
    assert message["Subject"] == "You have been added to Northwind"
    body = message.get_body(("plain",)).get_content()
    assert f"Hello {person.display_name}," in body
    assert message["List-Unsubscribe"].startswith("<http")
    assert reverse("notifications:preferences") in body
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
