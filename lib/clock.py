"""The app's one notion of "now" and "today".

A participant's day is the calendar day in her own time zone (from the browser, Europe/Amsterdam
when unknown). Tests and demos can move the clock with the ``fixed_today`` setting
(``MAGNESIUM_TODAY=YYYY-MM-DD``, see lib/settings.py): it is read once, when the server starts, and
every page then shows a banner so a moved clock cannot pass unnoticed in production.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lib import settings

DEFAULT_TZ = "Europe/Amsterdam"


def fixed_today() -> dt.date | None:
    """The date the clock was moved to, or None when it runs normally."""
    return settings.current().fixed_today


def zone(name: str | None) -> ZoneInfo:
    """A time zone by IANA name; the default zone for anything unknown or empty."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_TZ)


def now_utc() -> dt.datetime:
    """The current instant in UTC (moved along with the fixed day when the clock is fixed)."""
    real = dt.datetime.now(dt.UTC)
    fixed = fixed_today()
    if fixed is None:
        return real
    # Keep the time of day, move the date: timestamps stay ordered within a test run.
    return dt.datetime.combine(fixed, real.timetz())


def today(tz_name: str | None = None) -> dt.date:
    """Today's date for a participant in time zone ``tz_name``."""
    fixed = fixed_today()
    if fixed is not None:
        return fixed
    return dt.datetime.now(zone(tz_name)).date()


def now_to_second() -> dt.datetime:
    """Now in UTC, to the second: every stored timestamp and every expiry compared with one."""
    return now_utc().replace(microsecond=0)


def iso_now() -> str:
    """A UTC timestamp for storing, to the second."""
    return now_to_second().isoformat()
