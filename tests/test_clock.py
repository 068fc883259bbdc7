import datetime as dt

import pytest

from lib import clock, settings


def test_today_is_the_date_in_the_participants_zone(configure, monkeypatch):
    configure(fixed_today=None)
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
    with settings.use(None):  # nothing read yet: the first question reads the settings
        assert clock.fixed_today() == dt.date(2026, 3, 5)
        assert clock.today("America/Los_Angeles") == dt.date(2026, 3, 5)
        assert clock.now_utc().date() == dt.date(2026, 3, 5)
        monkeypatch.setenv("MAGNESIUM_TODAY", "2026-04-01")
        assert clock.today() == dt.date(2026, 3, 5), "changing the variable later changes nothing"


def test_a_malformed_fixed_day_fails_loudly():
    with pytest.raises(ValueError, match="MAGNESIUM_TODAY"):
        settings.load({"MAGNESIUM_TODAY": "5 March"})
