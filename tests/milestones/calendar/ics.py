"""Read iCalendar text back with icalendar itself, as a calendar app would."""

from icalendar import Calendar, Event


def read(text: str | bytes) -> Calendar:
    return Calendar.from_ical(text)


def events(text: str | bytes) -> list[Event]:
    return read(text).walk("VEVENT")


def only_event(text: str | bytes) -> Event:
    (event,) = events(text)
    return event
