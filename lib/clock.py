"""The app's one notion of "now" and "today".

A participant's day is the calendar day in her own time zone (from the browser, Europe/Amsterdam
when unknown). Tests and demos can move the clock with ``MAGNESIUM_TODAY=YYYY-MM-DD``: it is read
once, when the server starts, and every page then shows a banner so a moved clock cannot pass
unnoticed in production.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Europe/Amsterdam"
ENV_TODAY = "MAGNESIUM_TODAY"


def _read_fixed_today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:  # a typo must not silently leave the real clock running
        raise ValueError(f"{ENV_TODAY} must be a date like 2026-03-01, got {value!r}") from exc


# Read once at import, which is server start: changing the variable later changes nothing.
_FIXED_TODAY: dt.date | None = _read_fixed_today(os.environ.get(ENV_TODAY))


def fixed_today() -> dt.date | None:
    """The date the clock was moved to, or None when it runs normally."""
    return _FIXED_TODAY


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
    if _FIXED_TODAY is None:
        return real
    # Keep the time of day, move the date: timestamps stay ordered within a test run.
    return dt.datetime.combine(_FIXED_TODAY, real.timetz())


def today(tz_name: str | None = None) -> dt.date:
    """Today's date for a participant in time zone ``tz_name``."""
    if _FIXED_TODAY is not None:
        return _FIXED_TODAY
    return dt.datetime.now(zone(tz_name)).date()


def iso_now() -> str:
    """A UTC timestamp for storing, to the second."""
    return now_utc().replace(microsecond=0).isoformat()
