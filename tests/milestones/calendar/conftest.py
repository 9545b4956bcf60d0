import datetime
import zoneinfo

import pytest
import time_machine

from tests.factories import MilestoneFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def confirmed(plan):
    """A confirmed session of `plan` (Monday 9 March 2026, 10:00 to 12:00 in London), with
    any field given instead."""

    def make(**fields):
        return MilestoneFactory(
            **{
                "plan": plan,
                "schedule": "confirmed",
                "starts_at": datetime.datetime(2026, 3, 9, 10, 0, tzinfo=LONDON),
                "ends_at": datetime.datetime(2026, 3, 9, 12, 0, tzinfo=LONDON),
                **fields,
            }
        )

    return make
