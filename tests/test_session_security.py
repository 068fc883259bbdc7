"""A session acts only for the participant logged in now (the high and medium security findings).

A tab drawn for her keeps her id in its callbacks and download builders. These tests end her login
behind that tab's back (account deleted and the next sign-up made, a logout elsewhere, a new
password), then act in the stale tab: nothing is saved, changed or built, and she is told she was
logged out. Plus: ids are never reused (and the migration that makes it so keeps every row), the
16 KiB form limit, the address throttle reserved before the hash, the forwarded address, the
``secure_delete`` pragma, and file modes. The same paths in a real browser, on two tabs:
tests/browser/test_stale_tab_browser.py.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from lib import auth, challenge_service, export, i18n
from lib.store import Store
from lib.store.schema import USER_REFERENCING_TABLES, migrations
from lib.ui import login
from lib.web import auth_web
from tests import store_probe
from tests.conftest import ENTRY
from tests.factories import pre_test
from tests.page_text import day_picker, page_text

GOOD = "paars fiets regen zolder"
OTHER = "groen bootje wolk tafel"
TODAY = dt.date(2026, 3, 12)
PRE = pre_test()


@pytest.fixture(autouse=True)
def fixed_today(configure):
    configure(fixed_today=TODAY)


def _with_challenge(store, uid: int) -> None:
    res = challenge_service.start_challenge(
        store, uid, {"with_baseline": False, "start_date": TODAY - dt.timedelta(days=2), "method": "oil_spray",
                     "planned_amount": 10, "goal": ""}, PRE, TODAY)
    assert res.ok, res.problems


def _tab(monkeypatch, token: str, page: str) -> AppTest:
    """A tab whose connection carries her login cookie (Streamlit reads cookies once per connection)."""
    jar = {auth_web.SESSION_COOKIE: token}
    monkeypatch.setattr(login, "cookies", lambda: dict(jar))
    at = AppTest.from_file(ENTRY, default_timeout=30)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def _end_login(store, how: str, anna) -> int | None:
    """End Anna's login in "another tab"; for "deleted", Bea signs up right after. Returns Bea's id."""
    if how == "deleted":
        store.delete_user(anna.user_id)
        bea = auth.sign_up(store, username="bea", password=OTHER, display_name="Bea", consent=True, lang="en")
        _with_challenge(store, bea.user_id)
        return bea.user_id
    if how == "logged_out":
        auth.log_out(store, anna.token)
    elif how == "password_changed":
        assert auth.change_password(store, anna.user_id, old=GOOD, new=OTHER).ok
    return None


def _told_logged_out(at) -> None:
    assert i18n.t("common.logged_out_elsewhere", "en") in page_text(at)
    assert "user_id" not in at.session_state


ENDINGS = ["deleted", "logged_out", "password_changed"]


# -- high: a stale tab acts for nobody ---------------------------------------------------------------------
@pytest.mark.parametrize("how", ENDINGS)
def test_a_stale_daily_log_tab_saves_nothing_once_her_login_has_ended(store, db_path, monkeypatch, how):
    anna = auth.sign_up(store, username="anna", password=GOOD, display_name="Anna", consent=True, lang="en")
    _with_challenge(store, anna.user_id)
    at = _tab(monkeypatch, anna.token, "pages/daily_log.py")
    day = day_picker(at).value.isoformat()
    at.radio(key=f"log_applied_{day}").set_value(True)
    at.text_area(key=f"log_note_{day}").set_value("written in the stale tab")
    bea = _end_login(store, how, anna)
    save = next(b for b in at.button if b.label == i18n.t("log.save", "en"))
    save.click().run()
    assert not at.exception
    if bea is not None:
        assert store.daily_logs(bea) == [], "nothing was written into the next participant's log"
        assert bea != anna.user_id, "a deleted participant's id is never given out again"
    assert store.daily_logs(anna.user_id) == []
    _told_logged_out(at)


@pytest.mark.parametrize("how", ENDINGS)
def test_a_stale_account_tab_changes_no_setting_once_her_login_has_ended(store, db_path, monkeypatch, how):
    anna = auth.sign_up(store, username="anna", password=GOOD, display_name="Anna", consent=True, lang="en")
    at = _tab(monkeypatch, anna.token, "pages/account.py")
    assert at.toggle(key="account_share").value is False
    bea = _end_login(store, how, anna)
    at.toggle(key="account_share").set_value(True).run()
    assert not at.exception
    for uid in (anna.user_id, bea):
        user = store.get_user(uid) if uid is not None else None
        assert user is None or user["share_with_practitioner"] == 0, "nobody's setting changed"
    _told_logged_out(at)


@pytest.mark.parametrize("how", ENDINGS)
def test_a_stale_tab_builds_no_download_once_her_login_has_ended(store, db_path, monkeypatch, how):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileStorageError
    from streamlit.testing.v1 import app_test

    made = []  # AppTest's media file manager for each run, which keeps the deferred builders

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    anna = auth.sign_up(store, username="anna", password=GOOD, display_name="Anna", consent=True, lang="en")
    at = _tab(monkeypatch, anna.token, "pages/account.py")
    file_id = at.get("download_button")[0].proto.deferred_file_id
    mgr = made[-1]
    assert mgr.execute_deferred(file_id).startswith("/mock/media/"), "while she is logged in, it is built"
    _end_login(store, how, anna)
    with pytest.raises(MediaFileStorageError):
        mgr.execute_deferred(file_id)


def test_a_live_login_still_saves_changes_and_downloads(store, db_path, monkeypatch):
    """The guard refuses only what it must: the same steps with her login alive all work."""
    anna = auth.sign_up(store, username="anna", password=GOOD, display_name="Anna", consent=True, lang="en")
    _with_challenge(store, anna.user_id)
    at = _tab(monkeypatch, anna.token, "pages/daily_log.py")
    day = day_picker(at).value.isoformat()
    at.radio(key=f"log_applied_{day}").set_value(True)
    next(b for b in at.button if b.label == i18n.t("log.save", "en")).click().run()
    assert [r["day"] for r in store.daily_logs(anna.user_id)] == [day]
    at.switch_page("pages/account.py").run()
    at.toggle(key="account_share").set_value(True).run()
    assert store.get_user(anna.user_id)["share_with_practitioner"] == 1
    assert i18n.t("common.logged_out_elsewhere", "en") not in page_text(at)


def test_a_deleted_participants_id_is_never_given_to_the_next_sign_up(store):
    first = store.create_user("anna")
    last = store.create_user("bea")
    store.delete_user(last)
    again = store.create_user("cleo")
    assert again not in (first, last)
    assert again > last


def _old_database(path) -> None:
    """A database as it was before ids were protected: only the first migration applied."""
    import sqlite_utils

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrations.apply(sqlite_utils.Database(conn), stop_before="m002_users_never_reuse_ids")
    conn.close()


def test_the_migration_to_never_reused_ids_keeps_every_row_that_refers_to_a_participant(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _old_database(path)
    old = Store(path, migrate=False)
    for name in ("anna", "bea"):
        with old.write() as conn:  # her account as the old schema holds it (later columns do not exist yet)
            uid = conn.execute(
                "INSERT INTO users (username, display_name, password_hash, health_consent_at, created_at) "
                "VALUES (?, ?, ?, '2026-03-01T00:00:00+00:00', '2026-03-01T00:00:00+00:00')",
                (name, name, auth.hash_password(GOOD))).lastrowid
        auth.start_session(old, uid)
        auth.issue_reset_code(old, name)
        with old.write() as conn:  # her challenge and pre-test as the old schema holds them
            cid = conn.execute(
                "INSERT INTO challenges (user_id, created_at, start_date, with_baseline, magnesium_start, method, "
                "planned_amount, amount_unit, goal) VALUES (?, '2026-03-01T00:00:00+00:00', ?, 0, ?, 'oil_spray', "
                "10, 'sprays', '')", (uid, (TODAY - dt.timedelta(days=2)).isoformat(),
                                      (TODAY - dt.timedelta(days=2)).isoformat())).lastrowid
            conn.execute("INSERT INTO assessments (user_id, challenge_id, kind, taken_at, answers, score) "
                         "VALUES (?, ?, 'pre', '2026-03-01T00:00:00+00:00', '{}', NULL)", (uid, cid))
        old.upsert_daily_log(uid, TODAY.isoformat(),
                             {"challenge_id": old.active_challenge(uid)["id"], "phase": "magnesium", "applied": 1})
        with old.write() as conn:
            conn.execute("INSERT INTO quiz_results (user_id, taken_at, question_set_version, answers) "
                         "VALUES (?, '2026-03-01T20:00:00+00:00', 'v1', '{}')", (uid,))
    before = store_probe.table_counts(old)
    before.pop("_sqlite_migrations")
    assert all(before[t] >= 2 for t in USER_REFERENCING_TABLES), before

    Store(path)  # opening it applies the new migration

    after = store_probe.table_counts(Store(path))
    assert {t: after[t] for t in before} == before, "not one row was cascade-deleted by the rebuild"
    with sqlite3.connect(path) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'users'").fetchone()[0]
        assert "AUTOINCREMENT" in sql
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = Store(path)
    bea = store.user_by_username("bea")
    store.delete_user(bea["id"])
    assert store.create_user("cleo") > bea["id"]
    # and the cascade still works after the rebuild: deleting Anna removes all of her rows
    anna = store.user_by_username("anna")["id"]
    store.delete_user(anna)
    assert all(v == 0 for v in store_probe.user_row_counts(store, anna).values())


# -- medium: request size ------------------------------------------------------------------------------
@pytest.fixture
def client(db_path):
    async def page(request):
        return HTMLResponse("<html>app</html>")

    app = Starlette(routes=[Route("/", page), *auth_web.routes()], middleware=auth_web.middleware())
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        c.get("/")
        yield c


@pytest.mark.parametrize("path", [auth_web.SIGNUP, auth_web.LOGIN, auth_web.LOGOUT, auth_web.PASSWORD,
                                  auth_web.RESET])
def test_a_body_over_16_kib_is_refused_with_413_before_the_csrf_check_even_when_chunked(client, store, path):
    big = b"username=" + b"x" * (auth_web.MAX_FORM_BYTES + 1)
    headers = {"content-type": "application/x-www-form-urlencoded", "origin": "http://evil.example"}
    declared = client.post(path, content=big, headers=headers)
    assert declared.status_code == 413

    def stream():  # no Content-Length: sent chunked
        for _ in range(64):
            yield b"x" * 1024

    chunked = client.post(path, content=stream(), headers=headers)
    assert chunked.status_code == 413
    assert store_probe.table_counts(store).get("users", 0) == 0


def test_a_form_under_the_limit_still_works(client, store):
    data = {"csrf": client.cookies.get(auth_web.CSRF_COOKIE), "username": "anna", "password": GOOD, "password2": GOOD,
            "consent": "yes", "display_name": "Anna", "pad": "y" * 8000}
    response = client.post(auth_web.SIGNUP, data=data, headers={"origin": "http://testserver"})
    assert response.status_code == 303 and auth_web.SESSION_COOKIE in response.cookies


# -- medium: login throttling ------------------------------------------------------------------------------
def test_a_burst_of_parallel_wrong_logins_from_one_address_gets_no_more_checks_than_its_free_tries(store,
                                                                                                  monkeypatch):
    checked = []
    real = auth.verify_password

    def counting(stored, password):
        checked.append(password)
        time.sleep(0.01)  # make the guesses overlap
        return real(stored, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    n = 80
    start = threading.Barrier(n)
    answers = []

    def guess(i):
        start.wait()
        # a new username each time: only the address can stop this
        answers.append(auth.log_in(store, username=f"guess{i}", password=f"guess {i}", address="198.51.100.7"))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) <= auth.ADDRESS_FREE_TRIES, len(checked)
    assert all(a.error in ("bad_login", "throttled") for a in answers)


def test_a_burst_of_wrong_reset_codes_from_one_address_gets_no_more_hashes_than_its_free_tries(store, monkeypatch):
    hashed = []
    real = auth.hash_password

    def counting(password):
        hashed.append(password)
        time.sleep(0.01)
        return real(password)

    monkeypatch.setattr(auth, "hash_password", counting)
    n = 40
    start = threading.Barrier(n)
    answers = []

    def guess(i):
        start.wait()
        answers.append(auth.use_reset_code(store, username=f"guess{i}", code="AAAA-BBBB-CCCC",
                                           new_password="groen bootje wolk tafel", address="198.51.100.8"))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(hashed) <= auth.ADDRESS_FREE_TRIES, len(hashed)
    assert all(a.error in ("bad_reset", "throttled") for a in answers)


def _request(host: str, forwarded: str):
    from starlette.requests import Request

    scope = {"type": "http", "headers": [(b"x-forwarded-for", forwarded.encode())], "client": (host, 1234),
             "scheme": "http", "path": "/", "method": "POST", "query_string": b""}
    return Request(scope)


def test_behind_a_proxy_that_appends_the_client_written_entries_are_not_believed(configure):
    # nginx appends the address it saw: whatever the client wrote stays on the left.
    configure(trusted_proxies=frozenset({"10.0.0.1"}))
    assert auth_web.client_address(_request("10.0.0.1", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert auth_web.client_address(_request("10.0.0.1", "1.2.3.4, 9.9.9.9, 203.0.113.7")) == "203.0.113.7"
    # two proxies of ours in a row (a network may be listed): the rightmost address that is not one of them
    configure(trusted_proxies=frozenset({"10.0.0.1", "10.1.0.0/16"}))
    assert auth_web.client_address(_request("10.0.0.1", "1.2.3.4, 203.0.113.7, 10.1.2.3")) == "203.0.113.7"
    # "*": only the entry the nearest proxy wrote
    configure(trusted_proxies=frozenset({"*"}))
    assert auth_web.client_address(_request("10.0.0.9", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    # a peer that is not a trusted proxy: its header means nothing
    configure(trusted_proxies=frozenset({"10.0.0.1"}))
    assert auth_web.client_address(_request("192.0.2.5", "1.2.3.4")) == "192.0.2.5"


def test_uvicorn_is_told_to_trust_no_forwarded_header(monkeypatch, configure):
    """``streamlit run server.py`` builds uvicorn's config before it imports server.py, so importing it
    pins the proxy-headers middleware uvicorn then wraps around the app. Over a real server:
    tests/browser/test_stale_tab_browser.py::test_a_header_rotated_from_this_machine_does_not_dodge_the_address_throttle.
    """
    import importlib
    import sys

    import uvicorn.config

    monkeypatch.setattr(uvicorn.config, "ProxyHeadersMiddleware", uvicorn.config.ProxyHeadersMiddleware)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    configure(trusted_proxies=frozenset({"10.0.0.1"}))
    sys.modules.pop("server", None)
    importlib.import_module("server")
    assert uvicorn.Config(lambda *a: None).forwarded_allow_ips == ""
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["client"][0])

    wrapped = uvicorn.config.ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")  # as uvicorn calls it
    import asyncio

    scope = {"type": "http", "client": ("127.0.0.1", 5000), "headers": [(b"x-forwarded-for", b"198.51.100.9")]}
    asyncio.run(wrapped(scope, None, None))
    assert seen == ["127.0.0.1"], "a header sent from this machine is not believed"


# -- medium: deleted text does not stay in the file -----------------------------------------------------------
def test_every_store_connection_overwrites_deleted_data_whatever_the_builds_default(tmp_path, monkeypatch):
    """Forces SQLite's default to off first, as on the python.org and macOS builds. Without that force,
    this test would pass even on the old code on a build whose default is on (Debian's is)."""
    real = sqlite3.connect

    def default_off(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", default_off)
    path = tmp_path / "secure.db"
    store = Store(path)
    with store.read() as conn:
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    with store.write() as conn:
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1

    secret = "Zeldzame-notitie-" + "q7" * 40
    anna = store.create_user("anna")
    bea = store.create_user("bea")
    _with_challenge(store, anna)
    challenge = store.active_challenge(anna)
    store.upsert_daily_log(anna, TODAY.isoformat(), {"challenge_id": challenge["id"], "phase": "magnesium",
                                                     "applied": 1, "note": secret})
    # a second participant's saves keep pages busy, as in real use
    for i in range(20):
        store.create_user(f"other{i}", display_name="x" * 200)
    store.delete_user(anna)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("secure.db"))
    assert secret.encode() not in raw
    assert store.get_user(bea) is not None


# -- medium: file modes ---------------------------------------------------------------------------------------
def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_database_its_wal_and_shm_and_backups_are_0600_and_new_folders_0700_whatever_the_umask(tmp_path):
    from lib import backup

    old = os.umask(0o000)  # the most open umask there is
    try:
        path = tmp_path / "made" / "by" / "app" / "magnesium.db"
        store = Store(path)
        store.create_user("anna")
        with store.read() as conn:  # WAL and SHM exist while a connection is open
            conn.execute("SELECT count(*) FROM users").fetchone()
            for name in ("magnesium.db", "magnesium.db-wal", "magnesium.db-shm"):
                assert _mode(path.parent / name) == 0o600, name
        for folder in (tmp_path / "made", tmp_path / "made" / "by", path.parent):
            assert _mode(folder) == 0o700, folder
        copy = backup.backup(tmp_path / "new-backups" / "copy.db", store)
        assert _mode(copy) == 0o600 and _mode(copy.parent) == 0o700
        # a folder she names herself is left as it is, with a warning when others can read it
        hers = tmp_path / "hers"
        hers.mkdir(mode=0o755)
        os.chmod(hers, 0o755)
        warnings = []
        copy = backup.backup(hers, store, warn=warnings.append)
        assert _mode(copy) == 0o600 and _mode(hers) == 0o755
        assert warnings and str(hers) in warnings[0]
        private = tmp_path / "private"
        private.mkdir()
        os.chmod(private, 0o700)
        quiet = []
        backup.backup(private, store, warn=quiet.append)
        assert quiet == []
    finally:
        os.umask(old)


def test_an_older_database_file_is_made_0600_when_the_app_opens_it(tmp_path):
    path = tmp_path / "old.db"
    Store(path)
    os.chmod(path, 0o644)
    import lib.store.base as base

    base._migrated.discard(str(path.resolve()))
    Store(path)
    assert _mode(path) == 0o600


def test_the_export_of_a_participant_is_not_touched_by_the_guard(store):
    """The ZIP builder itself is unchanged: the guard only decides whether it may run."""
    uid = store.create_user("anna")
    assert export.build_zip(lambda: store, uid, "en").startswith(b"PK")
