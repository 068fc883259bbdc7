"""Every field of the start form, the tests and the daily log, checked before anything is written.

Each check returns the cleaned values and a list of ``Problem``s; a page shows each problem's
message in her language (``problem.message(tr)``) and writes nothing while any problem remains.
Numbers arrive from widgets or from anywhere else (a crafted request, a test), so each one is
checked for type and range here, not trusted because a widget had limits. Text is kept exactly as
she typed it (only its length is limited); pages show it inert.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from lib import challenge as rules
from lib.signals import FREQUENCY_MAX, rating_columns, signals

NOTE_MAX = 1000
GOAL_MAX = 300
RATING_MAX = 10
RELAXATION_MAX = 24 * 60  # minutes in a day
COFFEE_MAX = 30
ALCOHOL_MAX = 30


@dataclass(frozen=True)
class Problem:
    field: str
    key: str  # an i18n key under "validation."
    params: dict = field(default_factory=dict)

    def message(self, tr) -> str:
        return tr(f"validation.{self.key}", **self.params)


def _int_in(value, low: int, high: int) -> int | None:
    """An integer within [low, high], or None when it is not one (bools and fractions are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = int(value)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _number_in(value, low: float, high: float) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _text(value, limit: int, name: str, problems: list[Problem]) -> str:
    text = "" if value is None else value
    if not isinstance(text, str):
        problems.append(Problem(name, "not_text"))
        return ""
    if "\x00" in text:
        problems.append(Problem(name, "bad_characters"))
        return ""
    if len(text) > limit:
        problems.append(Problem(name, "too_long", {"limit": limit, "length": len(text)}))
    return text


def _amount(value, unit: str | None, name: str, problems: list[Problem], *, required: bool) -> float | None:
    if value is None or value == "":
        if required:
            problems.append(Problem(name, "amount_missing"))
        return None
    high = rules.UNIT_MAX.get(unit or "", max(rules.UNIT_MAX.values()))
    number = _number_in(value, 0, high)
    if number is None:
        problems.append(Problem(name, "amount_range", {"max": high}))
    return number


def _method(value, problems: list[Problem], name: str = "method") -> str | None:
    if value not in rules.METHODS:
        problems.append(Problem(name, "method_unknown"))
        return None
    return value


# -- starting a challenge --------------------------------------------------------------------------
def check_start(form: dict, today: dt.date, *, has_active: bool) -> tuple[dict, list[Problem]]:
    """The start form: baseline or not, start date, method, unit, planned amount, goal."""
    problems: list[Problem] = []
    if has_active:
        problems.append(Problem("challenge", "already_active"))
    with_baseline = form.get("with_baseline")
    if not isinstance(with_baseline, bool):
        problems.append(Problem("with_baseline", "choose_start"))
    start = _as_date(form.get("start_date"))
    first, last = rules.start_date_bounds(today)
    if start is None:
        problems.append(Problem("start_date", "date_invalid"))
    elif start > last:
        problems.append(Problem("start_date", "start_future"))
    elif start < first:
        problems.append(Problem("start_date", "start_too_early", {"days": rules.MAX_BACKDATE_DAYS}))
    method = _method(form.get("method"), problems)
    unit = rules.unit_for(method, form.get("amount_unit")) if method else None
    if method == "other" and unit is None:
        problems.append(Problem("amount_unit", "unit_unknown"))
    amount = _amount(form.get("planned_amount"), unit, "planned_amount", problems, required=True)
    if amount is not None and amount <= 0:
        problems.append(Problem("planned_amount", "amount_positive"))
    goal = _text(form.get("goal"), GOAL_MAX, "goal", problems)
    # The headline's one outcome, fixed for this challenge: the overall score (None) or one daily rating.
    primary = form.get("primary_outcome") or None
    if primary == "overall":
        primary = None
    if primary is not None and primary not in rating_columns():
        problems.append(Problem("primary_outcome", "primary_unknown"))
        primary = None
    clean = {
        "with_baseline": bool(with_baseline),
        "start_date": start.isoformat() if start else None,
        "method": method,
        "amount_unit": unit,
        "planned_amount": amount,
        "goal": goal,
        "primary_outcome": primary,
    }
    return clean, problems


def check_signal_answers(answers: dict) -> tuple[dict, list[Problem]]:
    """A pre- or post-test: every one of the eight signals answered with a frequency 0-4."""
    clean: dict[str, int] = {}
    missing = 0
    problems: list[Problem] = []
    if not isinstance(answers, dict):  # anything else counts as nothing answered
        answers = {}
    for sig in signals():
        value = _int_in(answers.get(sig.id), 0, FREQUENCY_MAX)
        if value is None:
            missing += 1
        else:
            clean[sig.id] = value
    if missing:
        problems.append(Problem("signals", "signals_missing", {"n": missing}))
    return clean, problems


def check_magnesium_start(challenge: dict, day, today: dt.date) -> tuple[dt.date | None, list[Problem]]:
    chosen = _as_date(day)
    if chosen is None or chosen not in rules.magnesium_start_options(challenge, today):
        return None, [Problem("magnesium_start", "magnesium_start_not_allowed", {"days": rules.BASELINE_MIN_DAYS})]
    return chosen, []


# -- the daily log ---------------------------------------------------------------------------------
def check_log(raw: dict, challenge: dict | None, today: dt.date) -> tuple[dict, list[Problem]]:
    """One day's entry. Returns ``{"day": iso, **LOG_FIELDS}`` and the problems found."""
    problems: list[Problem] = []
    if challenge is None:
        return {}, [Problem("challenge", "no_challenge")]
    day = _as_date(raw.get("day"))
    if day is None:
        problems.append(Problem("day", "date_invalid"))
    elif day > today:
        problems.append(Problem("day", "day_future"))
    elif day < rules.start_day(challenge):
        problems.append(Problem("day", "day_before_start", {"start": rules.start_day(challenge).isoformat()}))
    elif not rules.can_log(challenge, day, today):
        problems.append(Problem("day", "day_outside"))

    applied = raw.get("applied")
    if not isinstance(applied, bool):
        problems.append(Problem("applied", "applied_missing"))
    day_ok = not problems
    phase = rules.phase_of(challenge, day) if day_ok else None
    if applied and phase == rules.BASELINE:
        problems.append(Problem("applied", "applied_in_baseline"))

    method = amount = None
    if applied:
        method = _method(raw.get("method"), problems)
        unit = rules.unit_for(method, challenge.get("amount_unit")) if method else None
        amount = _amount(raw.get("amount"), unit, "amount", problems, required=False)

    clean: dict = {
        "day": day.isoformat() if day else None,
        "challenge_id": challenge.get("id"),
        "phase": phase,
        "applied": int(bool(applied)),
        "method": method,
        "amount": amount,
    }
    for column in rating_columns():
        value = raw.get(column)
        if value is None:
            clean[column] = None
            continue
        number = _int_in(value, 0, RATING_MAX)
        if number is None:
            problems.append(Problem(column, "rating_range", {"max": RATING_MAX}))
        clean[column] = number
    for name, high in (("relaxation_minutes", RELAXATION_MAX), ("coffee_cups", COFFEE_MAX),
                       ("alcohol_glasses", ALCOHOL_MAX)):
        value = raw.get(name)
        if value is None or value == "":
            clean[name] = None
            continue
        number = _int_in(value, 0, high)
        if number is None:
            problems.append(Problem(name, f"{name}_range", {"max": high}))
        clean[name] = number
    clean["note"] = _text(raw.get("note"), NOTE_MAX, "note", problems)
    return clean, problems
