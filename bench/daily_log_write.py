"""One day's entry from the daily log: how long the save takes, against a plain ``sqlite3`` upsert.

Run: ``python -m bench.daily_log_write``. Prints a table and writes ``bench/daily_log_results.json``.

Measured in the same run, alternating round by round, each the median of 200 saves of one day's
entry on the same file (WAL, ``synchronous=FULL``, a new connection per save, as the app does):
- ``plain sqlite3``: ``BEGIN IMMEDIATE``, the upsert of the same row, ``COMMIT`` (the reference);
- ``store.save_daily_log``: the same transaction plus reading what was there (to ask before
  replacing it) and checking that the challenge is hers;
- ``save_log (service)``: validation of every field and the challenge rules, then the store.
Noise between runs is 10-25 %: read the ratios, not the microseconds.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAVES = 200
OUT = ROOT / "bench" / "daily_log_results.json"


def run(n: int = SAVES) -> dict:
    tmp = tempfile.mkdtemp(prefix="bench-log-")
    from bench.store_cost import _ref_upsert
    from lib import challenge_service as svc
    from lib.signals import signals
    from lib.store import Store, log_fields
    from lib.store.challenges import upsert_log_sql

    store = Store(Path(tmp) / "bench.db")
    uid = store.create_user("bench")
    today = dt.date(2026, 3, 10)
    start = {"with_baseline": False, "start_date": today - dt.timedelta(days=5), "method": "oil_spray",
             "planned_amount": 10, "goal": ""}
    cid = svc.start_challenge(store, uid, start, {s.id: 2 for s in signals()}, today).challenge_id
    raw = {"day": today, "applied": True, "method": "oil_spray", "amount": 10, "sleep_quality": 7, "energy": 6,
           "mood": 7, "muscle_tension": 4, "stress": 3, "headache": 0, "restless_legs": 1, "irritability": 2,
           "relaxation_minutes": 20, "coffee_cups": 2, "alcohol_glasses": 0, "note": "Rustige avond"}
    res = svc.save_log(store, uid, raw, today)
    assert res.status == "saved"
    entry = res.entry
    now = "2026-03-10T20:00:00+00:00"
    params = (uid, today.isoformat(), *[entry.get(f) for f in log_fields()], now, now)
    assert entry["challenge_id"] == cid

    def plain():
        _ref_upsert(store.path, upsert_log_sql(log_fields()), params)

    def store_save():
        assert store.save_daily_log(uid, today.isoformat(), entry, replace=True)[0]

    def service_save():
        assert svc.save_log(store, uid, raw, today, replace=True).status == "saved"

    cases = {"plain sqlite3 upsert": plain, "store.save_daily_log": store_save, "save_log (service)": service_save}
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for fn in cases.values():  # warm up
        fn()
    for _ in range(n):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - t0)
    ref = statistics.median(samples["plain sqlite3 upsert"])
    out = {"saves": n, "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cases": {}}
    for name, xs in samples.items():
        med = statistics.median(xs)
        out["cases"][name] = {"median_us": round(med * 1e6, 1), "ratio": round(med / ref, 2)}
    return out


def main() -> int:
    r = run()
    width = max(len(k) for k in r["cases"])
    print(f"one day's entry, median of {r['saves']} saves (WAL, synchronous=FULL)")
    for name, c in r["cases"].items():
        print(f"{name.ljust(width)}  {c['median_us']:8.0f} µs  {c['ratio']:.2f}x")
    OUT.write_text(json.dumps(r, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
