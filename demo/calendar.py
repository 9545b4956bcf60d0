from accounts.models import User
from milestones.calendar.services import calendar_feed_create

# The demo accounts with sessions in their calendar: the participants and the trainer.
FEED_OWNERS = ["priya@cairn.example", "paul@cairn.example", "trainer@cairn.example"]


def load_calendar_feeds(people: dict[str, User]) -> None:
    """A calendar address for each of them; an existing one is kept, so subscriptions made
    from an earlier load keep working."""
    for email in FEED_OWNERS:
        calendar_feed_create(user=people[email])
