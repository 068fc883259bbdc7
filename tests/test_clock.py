import datetime as dt
import importlib

import pytest

from lib import clock


def test_today_is_the_date_in_the_participants_zone(monkeypatch):
    monkeypatch.setattr(clock, "_FIXED_TODAY", None)
    # At 23:30 UTC it is already tomorrow in Amsterdam and still today in New York.
    instant = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)

    class FakeDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(clock.dt, "datetime", FakeDatetime)
    assert clock.today("Europe/Amsterdam") == dt.date(2026, 3, 2)
    assert clock.today("America/New_York") == dt.date(2026, 3, 1)
    assert clock.today(None) == dt.date(2026, 3, 2), "unknown zone means Europe/Amsterdam"
    assert clock.today("Not/AZone") == dt.date(2026, 3, 2)


def test_fixed_today_is_read_at_start(monkeypatch):
    monkeypatch.setenv("MAGNESIUM_TODAY", "2026-03-05")
    fresh = importlib.reload(clock)
    try:
        assert fresh.fixed_today() == dt.date(2026, 3, 5)
        assert fresh.today("America/Los_Angeles") == dt.date(2026, 3, 5)
        assert fresh.now_utc().date() == dt.date(2026, 3, 5)
        monkeypatch.setenv("MAGNESIUM_TODAY", "2026-04-01")
        assert fresh.today() == dt.date(2026, 3, 5), "changing the variable later changes nothing"
    finally:
        monkeypatch.delenv("MAGNESIUM_TODAY")
        importlib.reload(clock)
    assert clock.fixed_today() is None


def test_a_malformed_fixed_day_fails_loudly(monkeypatch):
    monkeypatch.setenv("MAGNESIUM_TODAY", "5 March")
    with pytest.raises(ValueError, match="MAGNESIUM_TODAY"):
        importlib.reload(clock)
    monkeypatch.delenv("MAGNESIUM_TODAY")
    importlib.reload(clock)
