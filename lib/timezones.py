"""The time-zone picker's list: her device's zone first, then the zones most participants live in, then
every other zone A-Z (the picker can be searched by typing), each with its offset from UTC now.

Plain Python, no Streamlit: pages/account.py draws the list."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

# The practice is in the Netherlands: its neighbours, the Dutch Caribbean, Suriname, and a few zones
# where participants often travel or live.
COMMON = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Paris",
    "Europe/Madrid",
    "Atlantic/Canary",
    "Europe/Lisbon",
    "America/Curacao",
    "America/Aruba",
    "America/Kralendijk",
    "America/Paramaribo",
    "UTC",
)


@functools.lru_cache(maxsize=1)
def all_zones() -> tuple[str, ...]:
    """Every IANA zone Python knows, A-Z, without the old aliases kept for compatibility."""
    return tuple(sorted(z for z in zoneinfo.available_timezones()
                        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
                        or z == "UTC"))


def options(*first: str | None) -> list[str]:
    """The picker's order: the given zones (her device's, her saved one), the common ones, then the rest."""
    known = set(zoneinfo.available_timezones())
    out: list[str] = []
    for zone in (*first, *COMMON, *all_zones()):
        if zone and zone in known and zone not in out:
            out.append(zone)
    return out


def label(zone: str, at: dt.datetime | None = None) -> str:
    """"Europe/Amsterdam (UTC+01:00)": the name with its offset now (summer or winter time)."""
    moment = at or dt.datetime.now(dt.UTC)
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{zone.replace('_', ' ')} (UTC{sign}{hours:02d}:{rest:02d})"
