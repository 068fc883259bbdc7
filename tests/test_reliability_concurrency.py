"""Many participants saving at once, as Streamlit sessions do: each rerun runs in its own thread."""

from __future__ import annotations

import datetime as dt
import threading

from lib.signals import rating_columns
from lib.store import Store

THREADS = 50
DAYS = 20


def _entry(i: int, d: int) -> dict:
    return {"phase": "magnesium", "applied": 1, "method": "oil_spray", "amount": 10.0,
            **{c: (i + d) % 11 for c in rating_columns()}, "relaxation_minutes": d, "note": f"p{i} d{d}"}


def test_fifty_participants_saving_twenty_days_each_at_once_lose_nothing(db_path):
    store = Store(db_path)
    users = [store.create_user(f"writer{i:02d}") for i in range(THREADS)]
    start = dt.date(2026, 3, 1)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def participant(i: int, uid: int) -> None:
        own = Store(db_path)  # a page makes its own store per run
        barrier.wait()  # all start together, so the writes really overlap
        try:
            for d in range(DAYS):
                own.upsert_daily_log(uid, (start + dt.timedelta(days=d)).isoformat(), _entry(i, d))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=participant, args=(i, uid)) for i, uid in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == [], {type(e).__name__ + ": " + str(e) for e in errors}  # no "database is locked"

    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM daily_logs").fetchone()[0] == THREADS * DAYS
        distinct = conn.execute("SELECT count(*) FROM (SELECT DISTINCT user_id, day FROM daily_logs)").fetchone()[0]
        assert distinct == THREADS * DAYS
    for i, uid in enumerate(users):
        rows = store.daily_logs(uid)
        assert [r["day"] for r in rows] == [(start + dt.timedelta(days=d)).isoformat() for d in range(DAYS)]
        # each row is the one she wrote, not a neighbour's
        assert [r["note"] for r in rows] == [f"p{i} d{d}" for d in range(DAYS)]
        assert [r["sleep_quality"] for r in rows] == [(i + d) % 11 for d in range(DAYS)]
    assert store.integrity_check() == "ok"


def test_the_same_day_saved_twice_at_once_leaves_one_row(db_path):
    store = Store(db_path)
    uid = store.create_user("twice")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def save(k: int) -> None:
        barrier.wait()
        try:
            Store(db_path).upsert_daily_log(uid, "2026-03-01", _entry(k, 0))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    rows = store.daily_logs(uid)
    assert len(rows) == 1
    assert rows[0]["note"] in {f"p{k} d0" for k in range(8)}  # one whole entry, never a mix
    k = int(rows[0]["note"][1])
    assert rows[0]["sleep_quality"] == k % 11
