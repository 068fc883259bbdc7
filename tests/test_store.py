import sqlite3
import threading

import pytest

from lib.settings import Settings
from lib.store import AlreadyExists, InvalidRow, Store, open_store
from lib.store.schema import migrations
from tests import store_probe

TABLES = {"users", "auth_sessions", "login_failures", "reset_codes", "pending_quiz", "quiz_results",
          "challenges", "assessments", "daily_logs"}


def test_schema_created_with_wal_and_every_table(db_path):
    store = Store(db_path)
    counts = store_probe.table_counts(store)
    assert set(counts) >= TABLES
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.integrity_check() == "ok"


def test_default_path_is_created_with_its_folder(tmp_path):
    target = tmp_path / "nested" / "folder" / "app.db"
    store = open_store(Settings(database=target))
    assert store.path == target
    assert target.exists()


def test_migrations_are_recorded_and_reapplying_is_a_no_op(db_path):
    import sqlite_utils

    Store(db_path)
    db = sqlite_utils.Database(db_path)
    applied = [m.name for m in migrations.applied(db)]
    assert applied == [m.name for m in migrations._migrations]
    assert migrations.pending(db) == []
    migrations.apply(db)  # again: nothing happens, nothing fails
    assert [m.name for m in migrations.applied(db)] == applied


def test_second_open_of_the_same_file_sees_the_same_data(db_path):
    uid = Store(db_path).create_user("anna", display_name="Anna")
    again = Store(db_path)
    assert again.get_user(uid)["display_name"] == "Anna"


def test_foreign_keys_are_enforced(store):
    with pytest.raises(InvalidRow), store.write() as conn:
        conn.execute(
            "INSERT INTO quiz_results (user_id, taken_at, question_set_version, answers) VALUES (999, 'x', 'v', '{}')"
        )


def test_failed_write_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute("INSERT INTO users (username, created_at) VALUES ('half', 'now')")
        raise RuntimeError("boom in the middle of a unit of work")
    assert store.user_by_username("half") is None


def test_eight_threads_writing_at_once_lose_nothing(store):
    errors: list[BaseException] = []
    per_thread = 25
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        try:
            for i in range(per_thread):
                store.create_user(f"t{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert errors == []
    assert store_probe.table_counts(store)["users"] == 8 * per_thread


def test_one_active_challenge_per_participant_is_enforced_by_the_schema(store):
    uid = store.create_user("anna")
    insert = ("INSERT INTO challenges (user_id, created_at, start_date, method) "
              "VALUES (?, 'now', '2026-01-01', 'oil_spray')")
    with store.write() as conn:
        conn.execute(insert, (uid,))
    with pytest.raises(AlreadyExists), store.write() as conn:
        conn.execute(insert, (uid,))


def _entry(**over):
    base = {"challenge_id": None, "phase": "magnesium", "applied": 1, "method": "oil_spray", "amount": 6,
            "sleep_quality": 6, "energy": 5, "mood": 7, "muscle_tension": 4, "stress": 5, "headache": 1,
            "restless_legs": 0, "irritability": 3, "relaxation_minutes": 15, "coffee_cups": 2,
            "alcohol_glasses": 0, "note": ""}
    return {**base, **over}


def test_daily_log_upsert_is_keyed_on_participant_and_day(store):
    anna, bea = store.create_user("anna"), store.create_user("bea")
    cid = store.create_challenge(anna, start_date="2026-03-01", with_baseline=False, method="oil_spray",
                                 magnesium_start="2026-03-01", pre_test={"sleep": 3}, pre_score=75.0)
    store.upsert_daily_log(anna, "2026-03-01", _entry(challenge_id=cid, note="<b>hi</b>"))
    store.upsert_daily_log(anna, "2026-03-01", _entry(challenge_id=cid, energy=9))
    store.upsert_daily_log(bea, "2026-03-01", _entry(energy=1))
    rows = store.daily_logs(anna)
    assert len(rows) == 1 and rows[0]["energy"] == 9 and rows[0]["note"] == ""
    assert store.daily_log(bea, "2026-03-01")["energy"] == 1
    assert store.daily_logs(anna, challenge_id=cid)[0]["day"] == "2026-03-01"
    assert store.assessments(anna, cid)["pre"]["answers"] == {"sleep": 3}
    assert store.assessments(bea, cid) == {}, "another participant's challenge is invisible"
    assert all(c["id"] != cid for c in store.challenges(bea))
    with pytest.raises(PermissionError):
        store.save_assessment(bea, cid, "post", {"sleep": 1}, 25.0)


def test_out_of_range_rating_is_refused_by_the_schema_and_nothing_is_written(store):
    anna = store.create_user("anna")
    with pytest.raises(InvalidRow):
        store.upsert_daily_log(anna, "2026-03-02", _entry(sleep_quality=11))
    assert store.daily_logs(anna) == []


def test_pending_quiz_is_single_use_and_expires(store, monkeypatch):
    import datetime as dt

    from lib import clock

    token = store.park_pending_quiz({"coffee": 4})
    assert store.claim_pending_quiz(token) == {"coffee": 4}
    assert store.claim_pending_quiz(token) is None, "single use"
    assert store.claim_pending_quiz("made-up") is None
    late = store.park_pending_quiz({"coffee": 1})
    real_now = clock.now_utc
    monkeypatch.setattr(clock, "now_utc", lambda: real_now() + dt.timedelta(hours=1, minutes=1))
    assert store.claim_pending_quiz(late) is None, "expired after an hour"
