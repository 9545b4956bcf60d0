import zoneinfo


def time_zone_choices():
    # A callable keeps the list (which changes with the system's tz database) out of migrations.
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]
