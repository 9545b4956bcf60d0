"""A person's private calendar address: made once, replaced on request, stopped on request."""

import pytest

from milestones.calendar.services import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)
from milestones.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_a_calendar_address_is_a_long_random_token_made_once(participant):
    feed = calendar_feed_create(user=participant)

    assert len(feed.token) >= 43
    assert calendar_feed_create(user=participant).token == feed.token
    assert CalendarFeed.objects.filter(user=participant).count() == 1


def test_no_two_people_share_an_address(participant, project_admin):
    assert (
        calendar_feed_create(user=participant).token
        != calendar_feed_create(user=project_admin).token
    )


def test_a_new_address_replaces_the_old_one(participant):
    old = calendar_feed_create(user=participant).token

    new = calendar_feed_regenerate(user=participant).token

    assert new != old
    assert list(CalendarFeed.objects.values_list("token", flat=True)) == [new]


def test_asking_for_a_new_address_without_one_makes_one(participant):
    assert calendar_feed_regenerate(user=participant).token
    assert CalendarFeed.objects.filter(user=participant).exists()


def test_stopping_the_address_removes_it_and_stopping_again_changes_nothing(participant):
    calendar_feed_create(user=participant)

    calendar_feed_revoke(user=participant)
    calendar_feed_revoke(user=participant)

    assert not CalendarFeed.objects.exists()
