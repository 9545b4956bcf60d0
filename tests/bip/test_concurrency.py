"""Admins acting at the same moment: each request succeeds and nothing is added twice."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from bip.models import PlanMembership
from bip.services import membership_add
from notifications.models import Notification
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time, so there is no race to lose",
)

AT_ONCE = 12


def all_at_once(work):
    """Run `work` in AT_ONCE threads released together; return what each raised, if anything."""
    start = threading.Barrier(AT_ONCE)
    failures = []

    def run():
        try:
            start.wait()
            work()
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


@pytest.mark.django_db(transaction=True)
def test_the_same_new_address_added_at_once_makes_one_account_one_member_one_invitation():
    plan = PlanFactory()
    admin = UserFactory()

    failures = all_at_once(
        lambda: membership_add(
            plan=plan, email="New.Person@Example.com", role="participant", added_by=admin
        )
    )

    assert failures == []
    assert User.objects.filter(email__iexact="new.person@example.com").count() == 1
    assert PlanMembership.objects.filter(plan=plan).count() == 1
    assert Notification.objects.filter(kind="plan_invitation").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_existing_account_added_at_once_is_a_member_once():
    plan = PlanFactory()
    admin, person = UserFactory(), UserFactory()

    failures = all_at_once(
        lambda: membership_add(plan=plan, email=person.email, role="participant", added_by=admin)
    )

    assert failures == []
    assert PlanMembership.objects.filter(plan=plan, user=person).count() == 1
    assert Notification.objects.filter(kind="plan_membership_added").count() == 1
