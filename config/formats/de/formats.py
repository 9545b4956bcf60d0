# The German forms of the named date formats in config/formats/en/formats.py.
DAY_FORMAT = "j. M Y"  # 23. Nov 2026
WEEKDAY_FORMAT = "D, j. M Y"  # Mo, 23. Nov 2026
DAY_TIME_FORMAT = "j. M Y, H:i"
WEEKDAY_TIME_FORMAT = "D, j. M Y, H:i"
LONG_DAY_FORMAT = "j. F Y"  # 23. November 2026
LONG_WEEKDAY_FORMAT = "l, j. F Y"  # Montag, 23. November 2026
SHORT_DAY_FORMAT = "j. M"
SHORT_WEEKDAY_FORMAT = "D, j. M"
LONG_SHORT_WEEKDAY_FORMAT = "l, j. M"
SHORT_DAY_TIME_FORMAT = "j. M, H:i"
SHORT_WEEKDAY_TIME_FORMAT = "D, j. M, H:i"
TIME_SHORT_WEEKDAY_FORMAT = "H:i, D, j. M"
MONTH_FORMAT = "M Y"
CLOCK_FORMAT = "H:i"
