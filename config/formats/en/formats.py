# Cairn's named date formats (Django date-format syntax), used as {{ value|date:"DAY_FORMAT" }}
# and formats.date_format(value, "DAY_FORMAT"). Every language's module names them all.
DAY_FORMAT = "j M Y"  # 23 Nov 2026
WEEKDAY_FORMAT = "D j M Y"  # Mon 23 Nov 2026
DAY_TIME_FORMAT = "j M Y, H:i"  # 23 Nov 2026, 14:00
WEEKDAY_TIME_FORMAT = "D j M Y, H:i"  # Mon 23 Nov 2026, 14:00
LONG_DAY_FORMAT = "j F Y"  # 23 November 2026
LONG_WEEKDAY_FORMAT = "l j F Y"  # Monday 23 November 2026
SHORT_DAY_FORMAT = "j M"  # 23 Nov
SHORT_WEEKDAY_FORMAT = "D j M"  # Mon 23 Nov
LONG_SHORT_WEEKDAY_FORMAT = "l j M"  # Monday 23 Nov
SHORT_DAY_TIME_FORMAT = "j M, H:i"  # 23 Nov, 14:00
SHORT_WEEKDAY_TIME_FORMAT = "D j M, H:i"  # Mon 23 Nov, 14:00
TIME_SHORT_WEEKDAY_FORMAT = "H:i, D j M"  # 14:00, Mon 23 Nov
MONTH_FORMAT = "M Y"  # Nov 2026
CLOCK_FORMAT = "H:i"  # 14:00
