import functools
import zoneinfo


# Listing the time zone database reads hundreds of files, and every account and plan checked
# before saving asks for the list (an import of 500 people, 500 times): read it once per
# process, which picks up a changed database at the next restart.
@functools.cache
def time_zone_choices():
    # A callable keeps the list (which changes with the system's tz database) out of migrations.
    return tuple((name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()))
