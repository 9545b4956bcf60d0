"""What static/js/dates-in-words.js needs to write a typed date as the pages write dates, in
the active language: `<script ... {% date_words_attributes %}>`."""

import json

from django import template
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def date_words_attributes() -> str:
    # The names as Django's date format writes them: "D" is the weekday's abbreviation
    # (Monday first) and "M" the month's three letters, title-cased.
    weekdays = [str(WEEKDAYS_ABBR[day]) for day in range(7)]
    months = [str(MONTHS_3[month]).title() for month in range(1, 13)]
    return format_html(
        'data-day-format="{}" data-day-time-format="{}" data-weekdays="{}" data-months="{}"',
        get_format("WEEKDAY_FORMAT"),
        get_format("WEEKDAY_TIME_FORMAT"),
        json.dumps(weekdays, ensure_ascii=False),
        json.dumps(months, ensure_ascii=False),
    )
