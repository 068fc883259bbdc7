"""Store cost: one day's upsert and one participant's 365-day read, Store against plain ``sqlite3``.

The database holds 10,000 participants with a year of logs each (3.65 M rows). It is generated
once into ``bench/.cache/`` (git-ignored) and reused by later runs. Rows are inserted day by day
for all participants, as a real year of logging would write them, so the file is not laid out
more favourably than a real one.

The reference does the same work the same way: a new connection per unit of work (as the Store
does, since Streamlit runs each rerun in a new thread), the same pragmas, ``BEGIN IMMEDIATE`` for
the write, the same SQL. Store and reference alternate in one loop, on the same file, so drift on
a shared machine hits both alike; the figure is the ratio of medians.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE = ROOT / "bench" / ".cache"
PARTICIPANTS = 10_000
DAYS = 365
FIRST_DAY = dt.date(2025, 1, 1)
BAR = 1.5
SCHEMA_TAG = "v1"  # bump when the daily_logs schema changes, so a stale cache is rebuilt


def db_file(participants: int = PARTICIPANTS, days: int = DAYS) -> Path:
    return CACHE / f"store-{participants}x{days}-{SCHEMA_TAG}.db"


def generate(path: Path, participants: int = PARTICIPANTS, days: int = DAYS, *, log=print) -> Path:
    """Create the database (schema through the Store's migrations, rows through plain executemany)."""
    from lib.store import Store, log_fields

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    start = time.perf_counter()
    Store(partial)  # schema and WAL exactly as the app makes them
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB: the random inserts stay in memory
    now = "2025-12-31T20:00:00+00:00"
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO users (id, username, display_name, created_at) VALUES (?, ?, ?, ?)",
        ((u, f"participant{u:05d}", f"P{u}", now) for u in range(1, participants + 1)),
    )
    conn.execute("COMMIT")
    cols = ("user_id", "day", *log_fields(), "created_at", "updated_at")
    sql = f"INSERT INTO daily_logs ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    rng = random.Random(1)
    for d in range(days):
        day = (FIRST_DAY + dt.timedelta(days=d)).isoformat()
        stamp = f"{day}T20:00:00+00:00"
        rows = []
        for u in range(1, participants + 1):
            applied = rng.random() < 0.8
            rows.append((
                u, day, None, "magnesium" if d >= 7 else "baseline", int(applied),
                "foot_bath" if applied else None, 20.0 if applied else None,
                *(rng.randint(0, 10) for _ in range(8)),
                rng.randint(0, 60), rng.randint(0, 4), rng.randint(0, 2), "", stamp, stamp,
            ))
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        if log and d % 73 == 72:
            log(f"  generated {d + 1}/{days} days ({time.perf_counter() - start:.0f} s)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    partial.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    if log:
        log(f"  generated {path.name} in {time.perf_counter() - start:.0f} s")
    return path


# -- the reference: plain sqlite3, the same pattern as lib/store/base.py ------------------------------
def _ref_connect(path: Path) -> sqlite3.Connection:
    from lib.store.base import BUSY_TIMEOUT_MS

    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _ref_upsert(path: Path, sql: str, params: tuple) -> None:
    conn = _ref_connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, params)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _ref_read(path: Path, user_id: int) -> list[dict]:
    conn = _ref_connect(path)
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM daily_logs WHERE user_id = ? ORDER BY day", (user_id,))]
    finally:
        conn.close()


def _entry(rng: random.Random) -> dict:
    from lib.signals import rating_columns

    return {"challenge_id": None, "phase": "magnesium", "applied": 1, "method": "oil_spray", "amount": 10.0,
            **{c: rng.randint(0, 10) for c in rating_columns()},
            "relaxation_minutes": 15, "coffee_cups": 2, "alcohol_glasses": 0, "note": "bench"}


def run(rounds: int = 300, *, participants: int = PARTICIPANTS, days: int = DAYS, log=print) -> dict:
    from lib import clock
    from lib.store import Store, log_fields
    from lib.store.challenges import upsert_log_sql  # the very statement the Store runs

    fields = log_fields()
    upsert_sql = upsert_log_sql(fields)

    path = generate(db_file(participants, days), participants, days, log=log)
    store = Store(path)
    with store.read() as conn:
        total = conn.execute("SELECT count(*) FROM daily_logs").fetchone()[0]
    rng = random.Random(2)
    # Warm the page cache the same way for both.
    for _ in range(20):
        store.daily_logs(rng.randint(1, participants))
        _ref_read(path, rng.randint(1, participants))
    t_store_w, t_ref_w, t_store_r, t_ref_r = [], [], [], []
    rows_read = set()
    # Upserts land on days after the generated year (new rows, as an evening's log does) and
    # alternate with the reference; each round uses a different participant for each side.
    base_day = FIRST_DAY + dt.timedelta(days=days)
    for i in range(rounds):
        day = (base_day + dt.timedelta(days=i % 30)).isoformat()
        u1, u2 = rng.randint(1, participants), rng.randint(1, participants)
        entry = _entry(rng)
        now = clock.iso_now()
        params = (u2, day, *[entry.get(f) for f in fields], now, now)
        pairs = [
            (t_store_w, lambda e=entry, u=u1, d=day: store.upsert_daily_log(u, d, e)),
            (t_ref_w, lambda p=params: _ref_upsert(path, upsert_sql, p)),
        ]
        r1, r2 = rng.randint(1, participants), rng.randint(1, participants)
        reads = [
            (t_store_r, lambda u=r1: rows_read.add(len(store.daily_logs(u)))),
            (t_ref_r, lambda u=r2: rows_read.add(len(_ref_read(path, u)))),
        ]
        if i % 2:  # swap the order every other round
            pairs.reverse()
            reads.reverse()
        for out, fn in (*pairs, *reads):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    conn = _ref_connect(path)
    plan = [str(r[3]) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM daily_logs WHERE user_id = ? ORDER BY day", (1,))]
    pragmas = {p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("journal_mode", "synchronous", "page_size")}
    conn.close()

    def med(xs):
        return statistics.median(xs) * 1e6

    w_s, w_r, r_s, r_r = med(t_store_w), med(t_ref_w), med(t_store_r), med(t_ref_r)
    return {
        "rows": total,
        "participants": participants,
        "rounds": rounds,
        "rows_per_read": sorted(rows_read),
        "write_store_us": round(w_s, 1),
        "write_sqlite3_us": round(w_r, 1),
        "write_ratio": round(w_s / w_r, 2),
        "read_store_us": round(r_s, 1),
        "read_sqlite3_us": round(r_r, 1),
        "read_ratio": round(r_s / r_r, 2),
        "bar": BAR,
        "read_plan": plan,
        "pragmas": pragmas,
        "file_mb": round(path.stat().st_size / 2**20),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
