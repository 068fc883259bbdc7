"""What she sees when the store fails: the daily log keeps her entry and says why in her words, the menu
stays, a failed read shows a friendly message in place with its reference, and a read-only database is
announced on every page. Each ends with the fault removed and the next action working."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lib import challenge_service as svc
from lib import i18n
from lib.store import Store, StoreBusy
from lib.store import base as store_base
from lib.store.errors import StoreDamaged, StoreFull, StoreReadOnly, StoreUnavailable
from tests.factories import pre_test
from tests.page_text import page_text
from tests.test_store_faults import hold_write_lock, release

LOG = "pages/daily_log.py"
TODAY = dt.date(2026, 3, 12)
PRE = pre_test()


@pytest.fixture(autouse=True)
def fixed_today(configure):
    configure(fixed_today=TODAY)


def _participant(store):
    uid = store.create_user("anna")
    assert svc.start_challenge(store, uid, {"with_baseline": False, "start_date": TODAY - dt.timedelta(days=3),
                                            "method": "oil_spray", "planned_amount": 10, "goal": ""}, PRE, TODAY).ok
    return uid


def _fill(at, coffee=3, note="Mijn hele verhaal van vandaag"):
    day = TODAY.isoformat()
    at.radio(key=f"log_applied_{day}").set_value(True)
    at.number_input(key=f"log_coffee_{day}").set_value(coffee)
    at.text_area(key=f"log_note_{day}").set_value(note)


def _save(at, lang="nl"):
    at.button[[b.label for b in at.button].index(i18n.t("log.save", lang))].click().run()


def _her_entry_is_still_there(at, coffee=3, note="Mijn hele verhaal van vandaag"):
    day = TODAY.isoformat()
    assert at.number_input(key=f"log_coffee_{day}").value == coffee
    assert at.text_area(key=f"log_note_{day}").value == note
    assert at.radio(key=f"log_applied_{day}").value is True


def _menu_is_there(at):
    assert at.radio(key="lang_switch") is not None  # the sidebar (menu, language switch) was built


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("error,cause", [(StoreBusy, "busy"), (StoreFull, "full"), (StoreReadOnly, "readonly"),
                                         (StoreDamaged, "damaged"), (StoreUnavailable, "unavailable")])
def test_a_failed_save_keeps_her_entry_and_says_why(app, store, monkeypatch, lang, error, cause):
    uid = _participant(store)
    at = app(lang=lang, user_id=uid, page=LOG)
    _fill(at)
    real = Store.save_daily_log

    def failing(self, *a, **kw):
        raise error("injected")

    monkeypatch.setattr(Store, "save_daily_log", failing)
    _save(at, lang)
    assert not at.exception
    errors = [e.body for e in at.error]
    expected = i18n.t(f"trouble.not_saved_{cause}", lang, ref="REF")
    pattern = re.escape(expected).replace("REF", "[0-9A-F]{6}")
    assert any(re.fullmatch(pattern, e) for e in errors), errors
    _her_entry_is_still_there(at)
    _menu_is_there(at)
    assert store.daily_log(uid, TODAY.isoformat()) is None
    # The fault is gone: the same press saves what she typed.
    monkeypatch.setattr(Store, "save_daily_log", real)
    _save(at, lang)
    assert store.daily_log(uid, TODAY.isoformat())["coffee_cups"] == 3
    assert i18n.plural("log.streak", 1, lang) in page_text(at)


def test_a_lock_held_by_another_process_she_is_told_it_is_busy_and_saves_once_it_is_released(
        app, store, db_path, monkeypatch):
    monkeypatch.setattr(store_base, "WRITE_WAIT_S", 0.5)
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=LOG)
    _fill(at)
    holder = hold_write_lock(db_path)
    try:
        _save(at)
        assert i18n.t("trouble.not_saved_busy", "nl", ref="") in [e.body for e in at.error]
        _her_entry_is_still_there(at)
        _menu_is_there(at)
    finally:
        release(holder)
    _save(at)
    assert store.daily_log(uid, TODAY.isoformat())["note"] == "Mijn hele verhaal van vandaag"


def test_a_damaged_database_is_announced_on_every_page_and_refuses_the_save_with_her_entry_kept(
        app, store, db_path):
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=LOG)
    _fill(at)
    store_base.mark_damaged(db_path, "injected for the test")
    try:
        _save(at)
        assert i18n.t("trouble.read_only_notice", "nl") in [w.body for w in at.warning]
        assert any(e.startswith(i18n.t("trouble.not_saved_damaged", "nl", ref="")) for e in [e.body for e in at.error])
        _her_entry_is_still_there(at)
        assert store.daily_log(uid, TODAY.isoformat()) is None
    finally:
        store_base._damaged.clear()


def _unreadable(self, *a, **kw):
    raise StoreUnavailable("disk I/O error")


def test_a_page_whose_read_fails_says_so_in_place_with_a_reference_and_keeps_the_menu(app, store, monkeypatch,
                                                                                        caplog):
    """Home, run inside the entry script as the server runs every page (AppTest's page switch runs a page
    on its own, where the server's own error handler, the same function, takes over)."""
    uid = _participant(store)
    reads = ("challenges", "active_challenge", "progress_state", "progress_data", "daily_log", "log_days")
    real = {read: getattr(Store, read) for read in reads}
    for read in reads:
        monkeypatch.setattr(Store, read, _unreadable)
    at = app(lang="en", user_id=uid)
    assert not at.exception
    errors = [e.body for e in at.error]
    pattern = re.escape(i18n.t("trouble.read_failed", "en", ref="REF")).replace("REF", "([0-9A-F]{6})")
    refs = [m.group(1) for e in errors if (m := re.fullmatch(pattern, e))]
    assert refs, errors
    assert f"ref={refs[0]}" in caplog.text  # the practitioner finds it in the log
    _menu_is_there(at)
    for read, method in real.items():  # the fault is gone: the page reads again
        monkeypatch.setattr(Store, read, method)
    at.run()
    assert not [e for e in at.error]


def test_an_unreadable_store_at_login_still_builds_the_menu(app, store, monkeypatch):
    uid = _participant(store)
    monkeypatch.setattr(Store, "get_user", _unreadable)
    at = app(lang="nl", user_id=uid)
    assert not at.exception
    assert any(e.startswith(i18n.t("trouble.read_failed", "nl", ref="")[:40]) for e in [e.body for e in at.error])
    _menu_is_there(at)


def test_a_failed_challenge_start_keeps_what_she_filled_in_and_says_why(app, store, monkeypatch):
    from tests.test_challenge_page import _answer

    uid = store.create_user("anna")
    at = app(lang="en", user_id=uid, page="pages/challenge.py")
    at.selectbox(key="start_method").set_value("foot_bath")
    at.run()
    at.number_input(key="start_amount").set_value(20)
    at.text_input(key="start_goal").set_value("beter slapen")
    _answer(at, "pre")
    real = Store.create_challenge
    monkeypatch.setattr(Store, "create_challenge", lambda self, *a, **kw: (_ for _ in ()).throw(StoreFull("full")))
    at.button(key="start_submit").click().run()
    assert not at.exception
    assert any(e.startswith(i18n.t("trouble.not_saved_full", "en", ref="")[:30]) for e in [e.body for e in at.error])
    assert at.number_input(key="start_amount").value == 20 and at.text_input(key="start_goal").value == "beter slapen"
    assert store.active_challenge(uid) is None
    monkeypatch.setattr(Store, "create_challenge", real)
    at.button(key="start_submit").click().run()
    assert store.active_challenge(uid)["goal"] == "beter slapen"
