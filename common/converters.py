"""Path converters shared by every app's URLs."""


class IdConverter:
    """A database id: digits that fit the 64-bit primary keys every table uses.

    A longer number is no match, so the URL answers 404 like any unknown id, where `int`
    would hand the lookup a number the database cannot compare (an OverflowError on SQLite).
    """

    regex = "[0-9]{1,19}"
    largest = 2**63 - 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > self.largest:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def parse_id(value: str | None) -> int | None:
    """The id a form field or query parameter carries, or None for anything else.

    Junk ('abc', '²', a number beyond 64 bits) reads as no id at all rather than failing
    a lookup after a view has already saved its change.
    """
    if value and value.isascii() and value.isdigit():
        number = int(value)
        if number <= IdConverter.largest:
            return number
    return None
