"""A calendar file (.ics) with a daily evening reminder for the challenge's days.

Why a file: the app cannot send notifications, but every phone calendar can import an .ics and will
then remind her each evening. One repeating event covers the days from the start (or today) to the
challenge's last day, in her own time zone, so the reminder stays at the same local hour across a
daylight-saving change; a second event marks the day the post-test opens.
"""

from __future__ import annotations

import datetime as dt
import json

from icalendar import Alarm, Calendar, Event

from lib import challenge as rules
from lib import clock
from lib.i18n import t

REMINDER_TIME = dt.time(20, 30)


def post_test_day(challenge: dict) -> dt.date:
    return rules.magnesium_day_one(challenge) + dt.timedelta(days=rules.POST_TEST_FIRST_DAY - 1)


def file_dates(challenge: dict) -> dict[str, str]:
    """The dates a calendar file of this plan holds that can move: the last reminder (magnesium day 14)
    and the day the post-test opens. What is kept when she downloads it (``calendar_file``)."""
    return {"last": rules.last_day(challenge).isoformat(), "post": post_test_day(challenge).isoformat()}


def downloaded(challenge: dict) -> dict | None:
    """The dates of the file she last downloaded for this challenge (None: never, or unreadable)."""
    try:
        kept = json.loads(challenge.get("calendar_file") or "null")
    except ValueError:
        return None
    return kept if isinstance(kept, dict) and kept.get("last") and kept.get("post") else None


def outdated(challenge: dict) -> dict[str, tuple[dt.date, dt.date]] | None:
    """What moved since she downloaded her calendar file: ``{"last": (old, new), "post": (old, new)}`` with
    only the dates that differ; None when she has no file or it still matches her plan."""
    kept = downloaded(challenge)
    if kept is None:
        return None
    now = file_dates(challenge)
    try:
        moved = {k: (rules.as_date(kept[k]), rules.as_date(now[k])) for k in ("last", "post") if kept[k] != now[k]}
    except ValueError:
        return None
    return moved or None


def record(challenge: dict, at: str) -> str:
    """What to keep after a download: the file's dates, when, and its version (a calendar that sees the
    same event again with a higher SEQUENCE takes the new dates)."""
    kept = downloaded(challenge) or {}
    return json.dumps({**file_dates(challenge), "at": at, "version": int(kept.get("version", 0)) + 1})


def build_ics(challenge: dict, lang: str, tz_name: str | None, *, today: dt.date | None = None,
              at: dt.time = REMINDER_TIME, app_url: str = "") -> bytes:
    """The calendar file's bytes for one challenge."""
    zone = clock.zone(tz_name)
    first = rules.start_day(challenge)
    if today is not None:
        first = max(first, today)
    last = rules.last_day(challenge)
    cal = Calendar()
    cal.add("prodid", "-//Magnesium Challenge//reminders//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", t("challenge.ics_calendar", lang))
    stamp = clock.now_to_second()
    uid_base = f"challenge-{challenge.get('id', 0)}-{rules.start_day(challenge).isoformat()}"
    sequence = int((downloaded(challenge) or {}).get("version", 0))  # this file's version, counted from 0

    daily = Event()
    daily.add("uid", f"{uid_base}-daily@magnesium-challenge")
    daily.add("dtstamp", stamp)
    daily.add("sequence", sequence)
    daily.add("summary", t("challenge.ics_daily_title", lang))
    daily.add("description", t("challenge.ics_daily_text", lang) + (f"\n{app_url}" if app_url else ""))
    start = dt.datetime.combine(first, at, tzinfo=zone)
    daily.add("dtstart", start)
    daily.add("dtend", start + dt.timedelta(minutes=5))
    if last > first:
        until = dt.datetime.combine(last, at, tzinfo=zone).astimezone(dt.UTC)
        daily.add("rrule", {"freq": "daily", "until": until})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", t("challenge.ics_daily_title", lang))
    alarm.add("trigger", dt.timedelta(0))
    daily.add_component(alarm)
    cal.add_component(daily)

    post_day = post_test_day(challenge)
    post = Event()
    post.add("uid", f"{uid_base}-post@magnesium-challenge")
    post.add("dtstamp", stamp)
    post.add("sequence", sequence)
    post.add("summary", t("challenge.ics_post_title", lang))
    post.add("description", t("challenge.ics_post_text", lang))
    post.add("dtstart", post_day)
    post.add("dtend", post_day + dt.timedelta(days=1))
    cal.add_component(post)
    return cal.to_ical()


def file_name(challenge: dict) -> str:
    return f"magnesium-challenge-{rules.start_day(challenge).isoformat()}.ics"
