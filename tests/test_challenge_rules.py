"""The challenge's rules on worked examples: phases, day numbers, windows, streaks, time zones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import challenge as r

D = dt.date
START = D(2026, 3, 1)


def ch(**kw):
    base = {"id": 1, "start_date": START.isoformat(), "with_baseline": 1, "magnesium_start": None, "status": "active",
            "ended_at": None}
    base.update(kw)
    return base


def test_without_a_baseline_the_start_is_magnesium_day_one():
    c = ch(with_baseline=0)
    assert r.day_number(c, START) == 1
    assert r.day_number(c, D(2026, 3, 14)) == 14
    assert r.last_day(c) == D(2026, 3, 14)
    assert r.baseline_day(c, START) is None
    assert r.position(c, START) == ("day", 1)
    assert r.phase_of(c, START) == "magnesium"


def test_baseline_days_count_from_the_start_and_magnesium_can_start_from_baseline_day_5():
    c = ch()
    assert [r.baseline_day(c, START + dt.timedelta(days=i)) for i in range(7)] == [1, 2, 3, 4, 5, 6, 7]
    assert r.position(c, D(2026, 3, 3)) == ("baseline", 3)
    for i in range(4):  # baseline days 1-4: not yet
        assert not r.can_start_magnesium(c, START + dt.timedelta(days=i))
    # Baseline day 5: from tomorrow (five full baseline days); day 6 and 7: today or tomorrow.
    assert r.magnesium_start_options(c, D(2026, 3, 5)) == [D(2026, 3, 6)]
    assert r.magnesium_start_options(c, D(2026, 3, 6)) == [D(2026, 3, 6), D(2026, 3, 7)]
    assert r.magnesium_start_options(c, D(2026, 3, 7)) == [D(2026, 3, 7), D(2026, 3, 8)]
    assert not r.magnesium_start_options(ch(magnesium_start="2026-03-07"), D(2026, 3, 7))


def test_the_app_asks_on_baseline_day_7_and_otherwise_magnesium_starts_the_day_after():
    c = ch()
    assert not r.asks_to_start_magnesium(c, D(2026, 3, 6))  # day 6
    assert r.asks_to_start_magnesium(c, D(2026, 3, 7))  # day 7
    assert r.magnesium_day_one(c) == D(2026, 3, 8)
    assert r.position(c, D(2026, 3, 8)) == ("day", 1)
    assert r.phase_of(c, D(2026, 3, 7)) == "baseline" and r.phase_of(c, D(2026, 3, 8)) == "magnesium"


def test_a_chosen_magnesium_start_moves_every_day_number():
    c = ch(magnesium_start="2026-03-06")
    assert r.baseline_day(c, D(2026, 3, 5)) == 5
    assert r.baseline_day(c, D(2026, 3, 6)) is None
    assert r.day_number(c, D(2026, 3, 6)) == 1
    assert r.last_day(c) == D(2026, 3, 19)
    assert r.phase_ranges(c) == {"baseline": (START, D(2026, 3, 5)), "magnesium": (D(2026, 3, 6), D(2026, 3, 19))}


def test_the_post_test_opens_on_day_14_and_closes_after_day_21():
    c = ch(with_baseline=0)
    assert not r.post_test_open(c, D(2026, 3, 13))  # day 13
    assert r.post_test_days_until(c, D(2026, 3, 13)) == 1
    assert r.post_test_open(c, D(2026, 3, 14))  # day 14
    assert r.post_test_open(c, D(2026, 3, 21))  # day 21
    assert not r.post_test_open(c, D(2026, 3, 22))
    assert not r.overdue(c, D(2026, 3, 21))
    assert r.overdue(c, D(2026, 3, 22))
    assert not r.overdue(ch(with_baseline=0, status="completed"), D(2026, 4, 30))
    assert r.position(c, D(2026, 3, 15)) == ("post", 15)


def test_log_days_lie_within_the_challenge_up_to_today():
    c = ch(with_baseline=0)
    today = D(2026, 3, 4)
    assert r.allowed_log_days(c, today) == [D(2026, 3, 4), D(2026, 3, 3), D(2026, 3, 2), D(2026, 3, 1)]
    assert r.can_log(c, today, today)
    assert not r.can_log(c, D(2026, 3, 5), today)  # the future
    assert not r.can_log(c, D(2026, 2, 28), today)  # before the start
    # After day 14 only the challenge's days remain, until the post-test window closes.
    assert r.log_window(c, D(2026, 3, 20)) == (START, D(2026, 3, 14))
    closed = ch(with_baseline=0, status="completed", ended_at="2026-03-15T08:00:00+00:00")
    assert r.log_window(closed, D(2026, 3, 18)) == (START, D(2026, 3, 14))
    assert r.log_window(closed, D(2026, 3, 22)) is None
    early = ch(with_baseline=0, status="ended_early", ended_at="2026-03-05T19:00:00+00:00")
    assert r.log_window(early, D(2026, 3, 9)) == (START, D(2026, 3, 5))


def test_the_log_writes_to_the_active_challenge_or_the_newest_still_open_one():
    old = ch(id=1, start_date="2026-01-01", status="completed")
    done = ch(id=2, with_baseline=0, status="completed", ended_at="2026-03-14T20:00:00")
    assert r.log_challenge([old, done], D(2026, 3, 16))["id"] == 2
    assert r.log_challenge([old, done], D(2026, 3, 30)) is None
    active = ch(id=3, start_date="2026-03-29", status="active")
    assert r.log_challenge([old, done, active], D(2026, 3, 30))["id"] == 3
    assert r.log_challenge([], D(2026, 3, 30)) is None


def test_a_challenge_may_start_up_to_seven_days_back_never_in_the_future():
    today = D(2026, 3, 10)
    assert r.start_date_bounds(today) == (D(2026, 3, 3), today)
    days = r.start_days(today)  # what the start form offers: those eight days, today first
    assert days[0] == today and days[-1] == D(2026, 3, 3) and len(days) == 8 == len(set(days))


def test_streak_counts_consecutive_days_and_today_unlogged_does_not_break_it():
    logged = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06"]
    assert r.streak(logged, D(2026, 3, 6)) == 2
    assert r.streak(logged, D(2026, 3, 7)) == 2  # the evening has not come yet
    assert r.streak(logged, D(2026, 3, 8)) == 0
    assert r.streak(logged[:3], D(2026, 3, 3)) == 3
    assert r.streak([], D(2026, 3, 3)) == 0


def test_days_left_and_missed_days():
    c = ch(with_baseline=0)
    assert r.days_left(c, D(2026, 3, 1)) == 13
    assert r.days_left(c, D(2026, 3, 14)) == 0
    assert r.days_left(c, D(2026, 3, 20)) == 0
    assert r.missed_days(c, ["2026-03-01", "2026-03-03"], D(2026, 3, 4)) == [D(2026, 3, 2)]


def test_day_numbers_do_not_shift_across_daylight_saving_changes():
    # Europe/Amsterdam moves to summer time on 29 March 2026 and back on 25 October 2026.
    for start, end in ((D(2026, 3, 25), D(2026, 4, 7)), (D(2026, 10, 20), D(2026, 11, 2))):
        c = ch(with_baseline=0, start_date=start.isoformat())
        assert r.last_day(c) == end
        assert r.day_number(c, end) == 14
        # Late in the evening on the last day, local time: still day 14, whatever the UTC offset.
        evening = dt.datetime.combine(end, dt.time(23, 30), tzinfo=r.clock.zone("Europe/Amsterdam"))
        assert r.day_number(c, r.local_date(evening.astimezone(dt.UTC), "Europe/Amsterdam")) == 14


@pytest.mark.parametrize(("utc", "tz", "expected"), [
    (dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), "Europe/Amsterdam", D(2026, 3, 29)),  # night of the change
    (dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC), "Europe/Amsterdam", D(2026, 3, 29)),
    (dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC), "Europe/Amsterdam", D(2026, 10, 25)),  # summer time: +2
    (dt.datetime(2026, 10, 25, 22, 30, tzinfo=dt.UTC), "Europe/Amsterdam", D(2026, 10, 25)),  # winter time: +1
    (dt.datetime(2026, 3, 1, 3, 0), "America/New_York", D(2026, 2, 28)),  # naive means UTC
    (dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC), "No/Such_Zone", D(2026, 3, 1)),  # unknown: Amsterdam
])
def test_today_is_her_local_calendar_date(utc, tz, expected):
    assert r.local_date(utc, tz) == expected


def test_units_follow_the_method():
    assert r.unit_for("oil_spray") == "sprays"
    assert r.unit_for("foot_bath") == "minutes"
    assert r.unit_for("lotion") == "grams"
    assert r.unit_for("bath_flakes") == "grams"
    assert r.unit_for("other", "minutes") == "minutes"
    assert r.unit_for("other", "litres") is None


@settings(max_examples=150, deadline=None)
@given(start=st.dates(D(2025, 1, 1), D(2027, 12, 31)), with_baseline=st.booleans(),
       chosen=st.sampled_from([None, 5, 6, 7]), offset=st.integers(-3, 30))
def test_the_rules_agree_with_each_other_on_any_challenge(start, with_baseline, chosen, offset):
    c = ch(start_date=start.isoformat(), with_baseline=int(with_baseline),
           magnesium_start=(start + dt.timedelta(days=chosen)).isoformat() if with_baseline and chosen else None)
    today = start + dt.timedelta(days=offset)
    mg = r.magnesium_day_one(c)
    baseline_days = (mg - start).days
    assert baseline_days == 0 if not with_baseline else 5 <= baseline_days <= 7
    assert r.day_number(c, r.last_day(c)) == 14
    days = r.allowed_log_days(c, today)
    assert all(start <= d <= today and d <= r.last_day(c) for d in days)
    assert len(days) == len(set(days)) == max(0, min((today - start).days, (r.last_day(c) - start).days) + 1)
    for d in days:
        assert (r.phase_of(c, d) == "baseline") == (r.baseline_day(c, d) is not None)
    stage, n = r.position(c, today) if offset >= 0 else ("before", None)
    if stage == "day":
        assert 1 <= n <= 14 and r.phase_of(c, today) == "magnesium"
    if stage == "baseline":
        assert 1 <= n <= 7
    assert r.post_test_open(c, today) == (14 <= r.day_number(c, today) <= 21)
    for option in r.magnesium_start_options(c, today):
        assert 5 <= (option - start).days <= 7 and option >= today


def test_the_count_down_says_what_it_counts():
    """Baseline day 1 of a two-week challenge is not "20 days to go": 6 baseline days, then 14 of magnesium."""
    from lib import wording

    c = {"start_date": "2026-12-01", "with_baseline": 1, "magnesium_start": None, "status": "active"}
    assert r.countdown(c, D(2026, 12, 1)) == ("baseline", 6)
    assert r.countdown(c, D(2026, 12, 7)) == ("baseline", 0)
    assert r.countdown(c, D(2026, 12, 8)) == ("magnesium", 13)
    assert r.countdown(c, D(2026, 12, 21)) == ("done", 0)
    assert r.countdown({**c, "magnesium_start": "2026-12-06"}, D(2026, 12, 1)) == ("baseline", 4)
    assert r.countdown({**c, "with_baseline": 0}, D(2026, 12, 1)) == ("magnesium", 13)
    assert wording.countdown(c, D(2026, 12, 1), "en") == (
        "6 more baseline days, then 14 days of magnesium from 8 December 2026.")
    assert wording.countdown(c, D(2026, 12, 1), "nl") == (
        "Nog 6 dagen basisweek, daarna 14 dagen magnesium vanaf 8 december 2026.")
    assert wording.countdown(c, D(2026, 12, 20), "nl") == "Nog 1 magnesiumdag te gaan."
    for day in range(1, 22):
        text = wording.countdown(c, D(2026, 12, day), "en")
        assert "baseline" in text or "magnesium" in text, "every count-down names what it counts"


def test_amounts_are_shown_whole_unless_weighed():
    from lib import challenge

    assert challenge.amount_format(challenge.unit_for("oil_spray")) % 10 == "10"
    assert challenge.amount_format("grams") % 150 == "150.0"
