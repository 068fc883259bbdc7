"""The two-week challenge's rules, in one place: pure functions on dates, no Streamlit, no database.

A challenge is a dict as the store returns it (``start_date``, ``with_baseline``, ``magnesium_start``,
``status``, ``ended_at``). Every rule works on calendar dates in the participant's own time zone, so
daylight-saving changes cannot shift a day number: "today" is first turned into her local date
(``local_date``), and from then on only whole days are counted.

The shape of a challenge:
- Without a baseline, the start date is magnesium day 1.
- With a baseline, the days from the start are baseline days 1, 2, …; magnesium may start after at
  least 5 baseline days (from baseline day 5 she may choose tomorrow, from day 6 also today), the app
  asks her to on baseline day 7, and if she never chooses, the day after baseline day 7 is
  magnesium day 1.
- Magnesium days 1-14 are the challenge proper; the post-test opens on day 14 and stays open until
  day 21. After day 21 without a post-test the challenge closes as "ended without post-test".
- A day may be logged when it lies within the challenge, is not in the future and not before the
  start; a challenge may start up to 7 days back, never in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lib import clock

CHALLENGE_DAYS = 14
BASELINE_MIN_DAYS = 5  # at least five baseline days before magnesium day 1
BASELINE_ASK_DAY = 7  # on baseline day 7 the app asks her to start magnesium
BASELINE_MAX_DAYS = 7  # the day after baseline day 7 is magnesium day 1 when she has not chosen
POST_TEST_FIRST_DAY = 14
POST_TEST_LAST_DAY = 21
MAX_BACKDATE_DAYS = 7  # a challenge may start up to seven days back

BASELINE, MAGNESIUM = "baseline", "magnesium"
ACTIVE, COMPLETED, ENDED_EARLY, ENDED_NO_POSTTEST = "active", "completed", "ended_early", "ended_no_posttest"

METHODS = ("oil_spray", "foot_bath", "lotion", "bath_flakes", "other")
UNITS = ("sprays", "grams", "minutes")
# The unit a method's amount is counted in; "other" lets her choose.
METHOD_UNIT = {"oil_spray": "sprays", "foot_bath": "minutes", "lotion": "grams", "bath_flakes": "grams"}
# What the start form fills in for a method, as a starting point she changes to her own plan (a package's
# own directions come first): ten sprays of oil, a twenty-minute foot bath, a teaspoon (about 5 g) of lotion
# or gel, a small scoop (about 150 g) of flakes in a foot bath. "other": nothing, she says what she uses.
SUGGESTED_AMOUNT = {"oil_spray": 10.0, "foot_bath": 20.0, "lotion": 5.0, "bath_flakes": 150.0}
# A generous upper bound per unit: anything above it is surely a typo.
UNIT_MAX = {"sprays": 100, "grams": 2000, "minutes": 240}


def as_date(value: str | dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def local_date(instant: dt.datetime, tz_name: str | None) -> dt.date:
    """The calendar date of an instant for someone living in ``tz_name`` (naive instants are UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(clock.zone(tz_name)).date()


def unit_for(method: str, chosen: str | None = None) -> str | None:
    """The unit of a method's amount; for "other" her own choice (if it is a known unit)."""
    if method in METHOD_UNIT:
        return METHOD_UNIT[method]
    return chosen if chosen in UNITS else None


def amount_format(unit: str) -> str:
    """How an amount field shows its number: grams with one decimal, counts whole ("10 sprays", not 10.00)."""
    return "%.1f" if unit == "grams" else "%.0f"


# -- phases and day numbers ------------------------------------------------------------------------
def start_day(challenge: dict) -> dt.date:
    return as_date(challenge["start_date"])


def magnesium_day_one(challenge: dict) -> dt.date:
    """Her chosen magnesium day 1; else the start (no baseline) or the day after baseline day 7."""
    if challenge.get("magnesium_start"):
        return as_date(challenge["magnesium_start"])
    start = start_day(challenge)
    return start + dt.timedelta(days=BASELINE_MAX_DAYS) if challenge.get("with_baseline") else start


def last_day(challenge: dict) -> dt.date:
    """Magnesium day 14: the challenge's last day."""
    return magnesium_day_one(challenge) + dt.timedelta(days=CHALLENGE_DAYS - 1)


def day_number(challenge: dict, day: str | dt.date) -> int:
    """Day N of the magnesium phase (1 = magnesium day 1); 0 or less in the baseline week."""
    return (as_date(day) - magnesium_day_one(challenge)).days + 1


def baseline_day(challenge: dict, day: str | dt.date) -> int | None:
    """Baseline day N (1 = the start), or None when ``day`` is not in the baseline."""
    day = as_date(day)
    if not challenge.get("with_baseline") or day < start_day(challenge) or day >= magnesium_day_one(challenge):
        return None
    return (day - start_day(challenge)).days + 1


def phase_of(challenge: dict, day: str | dt.date) -> str:
    """The phase a day belongs to (days before magnesium day 1 are baseline)."""
    return BASELINE if as_date(day) < magnesium_day_one(challenge) else MAGNESIUM


def phase_ranges(challenge: dict, today: dt.date | None = None) -> dict[str, tuple[dt.date, dt.date]]:
    """Calendar ranges of the phases (inclusive), cut off at ``today`` while the challenge runs."""
    out: dict[str, tuple[dt.date, dt.date]] = {}
    start = start_day(challenge)
    mg = magnesium_day_one(challenge)
    if mg > start:
        out[BASELINE] = (start, mg - dt.timedelta(days=1))
    out[MAGNESIUM] = (mg, last_day(challenge))
    if today is not None:
        out = {k: (a, min(b, today)) for k, (a, b) in out.items() if a <= today}
    return out


# -- the baseline week -----------------------------------------------------------------------------
def in_baseline(challenge: dict, today: dt.date) -> bool:
    return baseline_day(challenge, today) is not None


def magnesium_start_options(challenge: dict, today: dt.date) -> list[dt.date]:
    """The days she may choose as magnesium day 1 today: today or tomorrow, after 5 to 7 baseline days.

    Empty outside the baseline week, before baseline day 5, and once she has chosen.
    """
    if not challenge.get("with_baseline") or challenge.get("magnesium_start"):
        return []
    start = start_day(challenge)
    first = start + dt.timedelta(days=BASELINE_MIN_DAYS)
    last = start + dt.timedelta(days=BASELINE_MAX_DAYS)
    return [d for d in (today, today + dt.timedelta(days=1)) if first <= d <= last]


def can_start_magnesium(challenge: dict, today: dt.date) -> bool:
    """From baseline day 5 on she may start magnesium."""
    return bool(magnesium_start_options(challenge, today))


def asks_to_start_magnesium(challenge: dict, today: dt.date) -> bool:
    """On baseline day 7 (and later, should she still be in it) the app asks her to start."""
    n = baseline_day(challenge, today)
    return n is not None and n >= BASELINE_ASK_DAY and not challenge.get("magnesium_start")


# -- the post-test and closing ---------------------------------------------------------------------
def post_test_open(challenge: dict, today: dt.date) -> bool:
    """The post-test is open from magnesium day 14 until day 21."""
    return POST_TEST_FIRST_DAY <= day_number(challenge, today) <= POST_TEST_LAST_DAY


def post_test_days_until(challenge: dict, today: dt.date) -> int:
    """Days until the post-test opens (0 once it is open or over)."""
    return max(0, POST_TEST_FIRST_DAY - day_number(challenge, today))


def overdue(challenge: dict, today: dt.date) -> bool:
    """An active challenge past day 21 without its post-test closes as "ended without post-test"."""
    return challenge.get("status", ACTIVE) == ACTIVE and day_number(challenge, today) > POST_TEST_LAST_DAY


# -- which days may be logged ----------------------------------------------------------------------
def log_window(challenge: dict, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """First and last day she may log for this challenge today (inclusive), or None.

    From the start to the last challenge day, never after today, and never after the day an ended
    challenge ended on. A closed challenge still takes missed days until its post-test window ends.
    """
    first = start_day(challenge)
    last = min(last_day(challenge), today)
    status = challenge.get("status", ACTIVE)
    if status != ACTIVE:
        if day_number(challenge, today) > POST_TEST_LAST_DAY:
            return None
        if challenge.get("ended_at"):
            last = min(last, as_date(challenge["ended_at"]))
    return (first, last) if first <= last else None


def can_log(challenge: dict, day: str | dt.date, today: dt.date) -> bool:
    window = log_window(challenge, today)
    return window is not None and window[0] <= as_date(day) <= window[1]


def allowed_log_days(challenge: dict, today: dt.date) -> list[dt.date]:
    """Every day she may log now, newest first."""
    window = log_window(challenge, today)
    if window is None:
        return []
    n = (window[1] - window[0]).days
    return [window[1] - dt.timedelta(days=i) for i in range(n + 1)]


def log_challenge(challenges: Iterable[dict], today: dt.date) -> dict | None:
    """The challenge the daily log writes to: the active one, else the newest that still takes missed days."""
    challenges = list(challenges)
    for c in challenges:
        if c.get("status", ACTIVE) == ACTIVE:
            return c
    if not challenges:
        return None
    newest = max(challenges, key=lambda c: (str(c["start_date"]), c.get("id") or 0))
    return newest if log_window(newest, today) is not None else None


def start_date_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """A new challenge starts today or up to seven days back."""
    return today - dt.timedelta(days=MAX_BACKDATE_DAYS), today


def start_days(today: dt.date) -> list[dt.date]:
    """The days a new challenge may start on (``start_date_bounds``), today first."""
    first, last = start_date_bounds(today)
    return [last - dt.timedelta(days=i) for i in range((last - first).days + 1)]


# -- streak and days left --------------------------------------------------------------------------
def streak(logged: Iterable[str | dt.date], today: dt.date) -> int:
    """Consecutive logged days up to today; an unlogged today does not break it until the day is over."""
    days = {as_date(d) for d in logged}
    day = today if today in days else today - dt.timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= dt.timedelta(days=1)
    return n


def days_left(challenge: dict, today: dt.date) -> int:
    """Challenge days still to come after today (0 on day 14 and after)."""
    return max(0, (last_day(challenge) - today).days)


def countdown(challenge: dict, today: dt.date) -> tuple[str, int]:
    """What is left, saying what it counts: ("baseline", baseline days after today before magnesium day 1),
    ("magnesium", magnesium days after today), or ("done", 0) from magnesium day 14 on."""
    day_one = magnesium_day_one(challenge)
    if today < day_one:
        return BASELINE, (day_one - today).days - 1
    left = days_left(challenge, today)
    return (MAGNESIUM, left) if left else ("done", 0)


def missed_days(challenge: dict, logged: Iterable[str | dt.date], today: dt.date) -> list[dt.date]:
    """Days before today that could be logged and are not, oldest first."""
    got = {as_date(d) for d in logged}
    return sorted(d for d in allowed_log_days(challenge, today) if d not in got and d < today)


# -- where she is ----------------------------------------------------------------------------------
def position(challenge: dict | None, today: dt.date) -> tuple[str, int | None]:
    """(stage, number) for Home: ("none", None), ("baseline", N), ("day", N of 14), ("post", N), ("closed", None)."""
    if challenge is None:
        return "none", None
    if challenge.get("status", ACTIVE) != ACTIVE:
        return "closed", None
    b = baseline_day(challenge, today)
    if b is not None:
        return "baseline", b
    n = day_number(challenge, today)
    if n < 1:  # cannot happen with a consistent challenge; kept safe
        return "baseline", max(1, (today - start_day(challenge)).days + 1)
    if n <= CHALLENGE_DAYS:
        return "day", n
    return "post", n
