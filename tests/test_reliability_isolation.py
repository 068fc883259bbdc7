"""No one sees another participant's data: every store read and every page, as each participant.

Three participants share one file, each with challenges, tests, logged days and logins, and each
marked by words only she has (in notes and names). Every public method of the Store must have a
case below: a new method without one makes ``test_every_store_method_has_an_isolation_case`` fail,
so its author has to say how it keeps participants apart.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json

import pytest

from lib import auth, page_table
from lib.signals import rating_columns
from lib.store import Store
from tests import factories, store_probe

NAMES = ("anna", "bea", "cor")
END = dt.date(2026, 3, 21)


def _marker(name: str) -> str:
    return f"zz{name}secret"


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """The three participants' file, built once for the module (the reads and pages only look)."""
    path = tmp_path_factory.mktemp("isolation") / "shared.db"
    store = Store(path)
    return path, _build(store)


@pytest.fixture
def world(shared, tmp_path, configure):
    """A private copy of the shared file for a test that writes; the app's settings name it."""
    path = tmp_path / "copy.db"
    Store(shared[0]).backup_to(path)
    configure(database=path)
    return Store(path), shared[1]


@pytest.fixture
def read_world(shared, configure):
    # Pages see the day the data was made for: later, an unfinished challenge would be closed.
    configure(database=shared[0], fixed_today=END)
    return Store(shared[0]), shared[1]


def _build(store):
    """Three participants; returns {name: {"id", "challenges", "days", "sessions"}}."""
    out = {}
    for k, name in enumerate(NAMES):
        uid = store.create_user(name, display_name=f"{name.title()} {_marker(name)}")
        done = factories.store_participant(store, uid, end=END - dt.timedelta(days=30), seed=k + 1)
        active = factories.store_participant(store, uid, end=END, seed=k + 4, finished=False)
        # Her own words on days everyone logged, and one day only she logged.
        for day in (END.isoformat(), (END - dt.timedelta(days=1)).isoformat()):
            entry = dict(store.daily_log(uid, day) or {}) or {"phase": "magnesium", "applied": 1}
            entry["note"] = _marker(name)
            entry["challenge_id"] = active
            store.upsert_daily_log(uid, day, {f: entry.get(f) for f in entry if f not in ("user_id", "day")})
        own_day = (END + dt.timedelta(days=10 + k)).isoformat()
        store.upsert_daily_log(uid, own_day, {"phase": "magnesium", "applied": 0, "note": _marker(name),
                                              **{c: k for c in rating_columns()}})
        for s in range(k + 1):  # 1, 2 and 3 live logins
            store.create_auth_session(uid, f"tok-{name}-{s}", "2026-01-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00")
        store.create_reset_code(uid, f"code-{name}", "2026-01-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00")
        for q in range(k + 1):  # 1, 2 and 3 saved quizzes
            store.save_quiz_result(uid, {"version": "1", "answers": {"questions": {"note": _marker(name)},
                                                                     "signals": {"sleep": q}},
                                         "signal_score": 10.0 * k, "signal_band": "few", "mds": k})
        out[name] = {"id": uid, "challenges": (done, active), "own_day": own_day, "sessions": k + 1,
                     "days": {r["day"] for r in store.daily_logs(uid)}}
    return out


def _others(world, name):
    return [w for n, w in world.items() if n != name]


def _only(rows, uid):
    """Every row carrying a user_id is hers, and there is at least one."""
    rows = list(rows)
    assert rows, "an empty answer proves nothing"
    for r in rows:
        assert r["user_id"] == uid, r
    return rows


def _no_foreign_words(value, name):
    blob = json.dumps(value, default=str)
    assert _marker(name) in blob or name in blob
    for other in NAMES:
        if other != name:
            assert _marker(other) not in blob


# -- reads: what she gets is hers only ---------------------------------------------------------------
def _get_user(s, w, name, world):
    u = s.get_user(w["id"])
    assert u["id"] == w["id"] and u["username"] == name


def _active_challenge(s, w, name, world):
    assert _only([s.active_challenge(w["id"])], w["id"])[0]["id"] == w["challenges"][1]


def _challenges(s, w, name, world):
    assert {c["id"] for c in _only(s.challenges(w["id"]), w["id"])} == set(w["challenges"])


def _assessments(s, w, name, world):
    got = s.assessments(w["id"], w["challenges"][0])
    assert set(got) == {"pre", "post"}
    _only(got.values(), w["id"])
    for o in _others(world, name):
        assert s.assessments(w["id"], o["challenges"][0]) == {}


def _daily_log(s, w, name, world):
    row = s.daily_log(w["id"], END.isoformat())
    assert row["user_id"] == w["id"] and row["note"] == _marker(name)
    for o in _others(world, name):
        assert s.daily_log(w["id"], o["own_day"]) is None


def _daily_logs(s, w, name, world):
    rows = _only(s.daily_logs(w["id"]), w["id"])
    assert {r["day"] for r in rows} == w["days"]
    _no_foreign_words(rows, name)
    for o in _others(world, name):
        assert s.daily_logs(w["id"], challenge_id=o["challenges"][1]) == []


def _logged_days(s, w, name, world):
    every = {d for x in world.values() for d in x["days"]}
    assert s.logged_days(w["id"], every) == w["days"]


def _progress_state(s, w, name, world):
    challenges, fingerprint = s.progress_state(w["id"])
    _only(challenges, w["id"])
    assert fingerprint[0] == len(w["days"])


def _progress_data(s, w, name, world):
    challenges, logs, assessments = s.progress_data(w["id"])
    _only(challenges, w["id"])
    _only(logs, w["id"])
    assert set(assessments) == set(w["challenges"]) - {w["challenges"][1]} | {w["challenges"][1]}
    for by_kind in assessments.values():
        _only(by_kind.values(), w["id"])
    _no_foreign_words(logs, name)


def _export_user_data(s, w, name, world):
    data = s.export_user_data(w["id"])
    assert [u["id"] for u in data["users"]] == [w["id"]]
    for table, rows in data.items():
        if table != "users":
            for r in rows:
                assert r["user_id"] == w["id"], table
    _no_foreign_words(data, name)
    assert len(data["daily_logs"]) == len(w["days"])


def _user_by_username(s, w, name, world):
    assert s.user_by_username(name)["id"] == w["id"]


def _user_for_session(s, w, name, world):
    assert s.user_for_session(f"tok-{name}-0", "2026-06-01T00:00:00+00:00")["id"] == w["id"]


def _log_days(s, w, name, world):
    assert set(s.log_days(w["id"])) == w["days"]
    for o in _others(world, name):
        assert s.log_days(w["id"], challenge_id=o["challenges"][1]) == []


def _latest_quiz_result(s, w, name, world):
    got = s.latest_quiz_result(w["id"])
    assert got["mds"] == NAMES.index(name)
    _no_foreign_words(got, name)


def _quiz_history(s, w, name, world):
    got = s.quiz_history(w["id"])
    assert len(got) == NAMES.index(name) + 1
    _no_foreign_words(got, name)


def _reset_code_valid(s, w, name, world):
    assert s.reset_code_valid(w["id"], f"code-{name}", "2026-06-01T00:00:00+00:00")
    for other in NAMES:
        if other != name:
            assert not s.reset_code_valid(w["id"], f"code-{other}", "2026-06-01T00:00:00+00:00")


READS = {
    "log_days": _log_days,
    "latest_quiz_result": _latest_quiz_result,
    "quiz_history": _quiz_history,
    "get_user": _get_user,
    "active_challenge": _active_challenge,
    "challenges": _challenges,
    "assessments": _assessments,
    "daily_log": _daily_log,
    "daily_logs": _daily_logs,
    "logged_days": _logged_days,
    "progress_state": _progress_state,
    "progress_data": _progress_data,
    "export_user_data": _export_user_data,
    "user_by_username": _user_by_username,  # the log-in form's look-up, by the name she typed
    "user_for_session": _user_for_session,  # her cookie's token leads to her only
    "reset_code_valid": _reset_code_valid,  # her code, checked for her only
}


# -- writes: acting as her never changes another's rows ---------------------------------------------------
def _w_save_assessment(s, w, name, world):
    for o in _others(world, name):
        with pytest.raises(PermissionError):
            s.save_assessment(w["id"], o["challenges"][1], "post", {}, None, close_challenge_as="completed")


def _w_upsert_daily_log(s, w, name, world):
    for o in _others(world, name):
        s.upsert_daily_log(w["id"], o["own_day"], {"phase": "baseline", "applied": 0, "note": "mine"})


def _w_save_daily_log(s, w, name, world):
    for o in _others(world, name):
        with pytest.raises(PermissionError):
            s.save_daily_log(w["id"], "2026-05-01", {"phase": "magnesium", "applied": 1,
                                                     "challenge_id": o["challenges"][1]}, replace=True)
        saved, existing = s.save_daily_log(w["id"], o["own_day"], {"phase": "baseline", "applied": 0})
        assert saved and existing is None  # the other's day is not "hers to replace"


def _w_challenge_state(s, w, name, world):
    for o in _others(world, name):
        assert s.set_magnesium_start(w["id"], o["challenges"][1], "2026-03-10") is False
        assert s.close_challenge(w["id"], o["challenges"][1], "ended_early") is False
        assert s.set_calendar_file(w["id"], o["challenges"][1], '{"last": "2026-03-20"}') is False


def _w_save_quiz_result(s, w, name, world):
    s.save_quiz_result(w["id"], {"version": "1", "answers": {"questions": {}, "signals": {}}})


def _w_consume_reset_code(s, w, name, world):
    for o in _others(world, name):
        assert s.consume_reset_code(w["id"], f"code-{NAMES[[x['id'] for x in world.values()].index(o['id'])]}",
                                    "2026-06-01T00:00:00+00:00", "new-hash") is False


def _w_profile(s, w, name, world):
    s.set_user_lang(w["id"], "en")
    s.set_user_timezone(w["id"], "Europe/Lisbon")
    s.set_share_with_practitioner(w["id"], True)
    s.set_health_consent(w["id"])
    s.set_password_hash(w["id"], "changed", revoke_sessions=True)


def _w_login_device(s, w, name, world):
    s.remember_login_device(w["id"], "one-shared-tablet", "2026-06-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00")
    assert s.known_login_device(w["id"], "one-shared-tablet", "2026-01-01T00:00:00+00:00")
    for o in _others(world, name):
        assert not s.known_login_device(o["id"], "one-shared-tablet", "2026-01-01T00:00:00+00:00")


def _w_create(s, w, name, world):
    s.create_auth_session(w["id"], f"new-{name}", "2026-06-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00")
    s.create_reset_code(w["id"], f"new-code-{name}", "2026-06-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00")


WRITES = {
    "save_daily_log": _w_save_daily_log,
    "set_magnesium_start": _w_challenge_state,
    "close_challenge": _w_challenge_state,
    "set_calendar_file": _w_challenge_state,  # the dates of her calendar file, on her own challenge only
    "save_quiz_result": _w_save_quiz_result,
    "save_assessment": _w_save_assessment,
    "upsert_daily_log": _w_upsert_daily_log,
    "consume_reset_code": _w_consume_reset_code,
    "set_user_lang": _w_profile,
    "set_user_timezone": _w_profile,
    "set_share_with_practitioner": _w_profile,
    "set_health_consent": _w_profile,
    "set_password_hash": _w_profile,
    "create_auth_session": _w_create,
    "create_reset_code": _w_create,
    "remember_login_device": _w_login_device,  # a browser she logged in on counts for her only
    "known_login_device": _w_login_device,
    "create_challenge": None,  # covered by the fixture: each participant's challenges are hers only
    "delete_user": None,  # covered by test_deleting_one_participant_leaves_the_others_whole
}

# Not about one participant's data, and why that is safe.
NOT_PER_PARTICIPANT = {
    "create_user": "a new account; nothing of anyone else's is read",
    "user_by_oidc": "finds the account for a verified OpenID Connect identity",
    "revoke_auth_session": "ends the login whose secret token the caller holds",
    "login_failure": "throttling counters keyed by a hash of a name or address, no participant data",
    "reserve_login_attempt": "as login_failure",
    "login_succeeded": "as login_failure",
    "park_pending_quiz": "anonymous answers under a new random token",
    "claim_pending_quiz": "returns the answers only to the holder of the token, once",
    "pending_quiz_parked_at": "only when the holder of the token parked it, nothing of the answers",
    "discard_pending_quiz": "drops the parked answers of the token's holder",
    "user_by_skeleton": "whether a new username looks like a taken one; the sign-up only says so",
    "migrate": "schema", "read": "a connection", "write": "a connection", "integrity_check": "whole file",
    "backup_to": "the whole file, for the host's backups",
    "damaged": "whether the whole file is in read-only mode, nothing of anyone's data",
}


def _public_methods() -> set[str]:
    return {n for n, m in inspect.getmembers(Store, inspect.isfunction) if not n.startswith("_")}


def test_every_store_method_has_an_isolation_case():
    covered = set(READS) | set(WRITES) | set(NOT_PER_PARTICIPANT)
    missing = _public_methods() - covered
    assert not missing, f"add an isolation case for {sorted(missing)}"
    assert not covered - _public_methods(), "cases for methods that no longer exist"


@pytest.mark.parametrize("method", sorted(READS))
def test_each_participant_reads_only_her_own_rows(read_world, method):
    store, world = read_world
    for name, w in world.items():
        READS[method](store, w, name, world)


def _snapshot(store, world, name):
    """Everything of hers, to compare before and after another participant acts."""
    uid = world[name]["id"]
    data = store.export_user_data(uid)
    with store.read() as conn:
        secrets_ = conn.execute("SELECT password_hash FROM users WHERE id = ?", (uid,)).fetchone()[0]
        codes = conn.execute("SELECT code_hash, used_at FROM reset_codes WHERE user_id = ? ORDER BY 1",
                             (uid,)).fetchall()
    return json.dumps(data, sort_keys=True, default=str), secrets_, [tuple(c) for c in codes]


@pytest.mark.parametrize("method", sorted({k for k, v in WRITES.items() if v is not None}))
def test_writes_as_one_participant_leave_the_others_untouched(world, method):
    store, world = world
    actor = "anna"
    before = {n: _snapshot(store, world, n) for n in NAMES if n != actor}
    WRITES[method](store, world[actor], actor, world)
    for n in before:
        assert _snapshot(store, world, n) == before[n], n


def test_deleting_one_participant_leaves_the_others_whole(world):
    store, world = world
    before = {n: store_probe.user_row_counts(store, world[n]["id"]) for n in ("bea", "cor")}
    store.delete_user(world["anna"]["id"])
    assert all(v == 0 for v in store_probe.user_row_counts(store, world["anna"]["id"]).values())
    for n, counts in before.items():
        assert store_probe.user_row_counts(store, world[n]["id"]) == counts


# -- pages: as each participant, only her words on screen -------------------------------------------------
PAGES = page_table.FILES


def _rendered(at) -> str:
    """Every text and chart spec the page drew (charts carry notes in their tooltips)."""
    parts = []
    for node in at.main, at.sidebar:
        for el in node:
            parts.append(str(getattr(el, "value", "")) + str(getattr(el, "body", "")) + str(getattr(el, "proto", "")))
    parts += [str(c.proto) for c in at.get("vega_lite_chart")]
    parts += [str(e.value) for e in at.text]
    return "\n".join(parts)


def test_every_page_is_in_the_page_table():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    assert sorted(PAGES) == sorted(f"pages/{p.name}" for p in (root / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_each_participant_only_her_own_data(read_world, page):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ENTRY

    _, world = read_world
    for name, w in world.items():
        at = AppTest.from_file(ENTRY, default_timeout=30)
        at.session_state["lang"] = "en"
        at.session_state["user_id"] = w["id"]
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        shown = _rendered(at)
        for other in NAMES:
            if other != name:
                assert _marker(other) not in shown, f"{page} as {name} shows {other}'s data"
        if page == "pages/progress.py":
            assert _marker(name) in shown  # her own notes are there: the check can see data at all
        if page == "pages/account.py":
            assert _marker(name) in shown or name in shown


# -- odd input stays data -----------------------------------------------------------------------------------
def test_sql_looking_usernames_are_stored_as_given_and_harmless(store):
    from tests.test_account_page import GOOD

    name = "robert'); drop table users;--"
    result = auth.sign_up(store, username=name, password=GOOD, consent=True)
    assert result.ok, result.error
    assert store.user_by_username(name)["username"] == name
    assert auth.log_in(store, username=name, password=GOOD).ok
    assert store_probe.table_counts(store)["users"] == 1
    assert isinstance(Store(store.path).get_user(result.user_id), dict)
