"""Shared fixtures: a fresh database per test, and AppTest runs of the real entry script."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENTRY = str(ROOT / "streamlit_app.py")


@pytest.fixture
def app_settings(tmp_path):
    """This test's settings: a new, empty database file and the real clock. The app, the routes and
    the store all read them; ``configure(fixed_today=...)`` changes them for the rest of the test."""
    from lib import settings

    with settings.use(settings.Settings(database=tmp_path / "test.db")) as chosen:
        yield chosen


@pytest.fixture
def configure(app_settings):
    """``configure(fixed_today=day, trusted_proxies=frozenset({"x"}))``: new settings for this test."""
    from lib import settings

    def change(**changes):
        new = settings.current().but(**changes)
        settings.install(new)
        return new

    return change


@pytest.fixture
def db_path(app_settings) -> Path:
    """The test's database file (see ``app_settings``)."""
    return app_settings.database


@pytest.fixture
def store(db_path):
    from lib.store import Store

    return Store(db_path)


@pytest.fixture(params=["sqlite", "memory"])
def any_store(request, db_path):
    """Each backend in turn: the SQLite store, and the in-memory one of tests/fake_store.py. Service tests
    take their ``store`` from here, so the services are shown to need nothing but the store's interface."""
    from lib.store import Store, StoreInterface
    from tests.fake_store import MemoryStore

    chosen = Store(db_path) if request.param == "sqlite" else MemoryStore()
    assert isinstance(chosen, StoreInterface)
    return chosen


@pytest.fixture
def app(db_path):
    """A factory for AppTest runs of the entry script: ``app(lang="en", user_id=3, page="pages/x.py")``."""
    from streamlit.testing.v1 import AppTest

    def make(*, lang: str = "nl", user_id: int | None = None, page: str | None = None, timeout: float = 20):
        at = AppTest.from_file(ENTRY, default_timeout=timeout)
        at.session_state["lang"] = lang
        if user_id is not None:
            at.session_state["user_id"] = user_id
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return make


class FakeClock:
    """Moves "now" by hand, so delays can be checked without waiting."""

    def __init__(self, monkeypatch):
        from lib import clock

        self.now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
        monkeypatch.setattr(clock, "now_utc", lambda: self.now)

    def advance(self, **kw):
        self.now += dt.timedelta(**kw)


@pytest.fixture
def fake_clock(monkeypatch):
    return FakeClock(monkeypatch)


def pytest_collection_modifyitems(config, items):
    # Browser tests last: the quick tests give their verdict first.
    items.sort(key=lambda item: "browser" in item.keywords)


