"""``python -m bench``: store cost, page cost and concurrent participants, as one table.

Every figure is a ratio against a reference measured in the same run, alternating (see each
module's docstring). Options: ``--quick`` (fewer rounds and sessions, for a check that it all runs),
``--only store|pages|concurrent|browser|phone|soak`` (repeatable), ``--no-browser`` (skips the Chromium
parts: ``browser`` and ``phone``, the pages at 390 px from a tap to their content, printed as a table of
their own). The soak (about ten
minutes) runs only when asked for with ``--only soak``. Results also go to ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PARTS = ("store", "pages", "concurrent", "browser", "phone", "soak")
DEFAULT_PARTS = ("store", "pages", "concurrent", "browser", "phone")


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT MET")


def _table(rows: list[tuple]) -> str:
    head = ("figure", "measured", "reference", "ratio", "target", "")
    rows = [head, *rows]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and sessions")
    parser.add_argument("--only", action="append", choices=PARTS, help="run only this part (repeatable)")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium participants")
    args = parser.parse_args(argv)
    parts = list(args.only or DEFAULT_PARTS)
    if args.no_browser:
        parts = [p for p in parts if p not in ("browser", "phone")]
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    results: dict = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "quick": args.quick}
    rows: list[tuple] = []
    started = time.perf_counter()

    if "store" in parts:
        from bench import store_cost

        log("store cost …")
        participants = store_cost.PARTICIPANTS
        if args.quick and not store_cost.db_file().exists():
            participants = 1_000
        r = store_cost.run(rounds=60 if args.quick else 200, participants=participants, log=log)
        results["store"] = r
        label = f"{r['participants']:,} participants, {r['rows']:,} rows"
        rows.append((f"store: one day's upsert ({label})", f"{r['write_store_us']:.0f} µs",
                     f"{r['write_sqlite3_us']:.0f} µs", f"{r['write_ratio']:.2f}x", f"≤ {r['bar']}x",
                     _mark(r["write_ratio"] <= r["bar"])))
        rows.append(("store: one participant's 365-day read", f"{r['read_store_us']:.0f} µs",
                     f"{r['read_sqlite3_us']:.0f} µs", f"{r['read_ratio']:.2f}x", f"≤ {r['bar']}x",
                     _mark(r["read_ratio"] <= r["bar"])))

    if "pages" in parts:
        from bench import pages

        log("page cost …")
        r = pages.run(rounds=8 if args.quick else 30, log=log)
        results["pages"] = r
        ref = f"{r['reference_ms']:.1f} ms"
        for name, p in r["pages"].items():
            target = "" if p["bar"] is None else f"≤ {p['bar']}x"
            label = f"page: {name}" + (" (for scale)" if p["bar"] is None else "")
            if name in r.get("logged_days", {}):
                label += f" [{r['logged_days'][name]} logged days]"
            rows.append((label, f"{p['ms']:.1f} ms", ref, f"{p['ratio']:.2f}x", target, _mark(p["ok"])))
        for name, note in r["notes"].items():
            rows.append((f"page: {name}", note, "", "", "≤ 2.0x", ""))

    if "concurrent" in parts:
        from bench import concurrent

        log("concurrent participants (websocket) …")
        sizes = (10,) if args.quick else concurrent.SIZES
        r = concurrent.run_websocket(sizes, log=log)
        results["concurrent"] = r
        for n in sizes:
            c = r[f"N={n}"]
            a, f = c["app"], c["reference"]
            rows.append((f"{n} participants log in and save ({r['save']})", f"{a['seconds']:.1f} s",
                         f"{f['seconds']:.1f} s", f"{c['time_ratio']:.2f}x", "", ""))
            rows.append(("  of which the log-ins (argon2id)", f"{a['login_seconds']:.1f} s", "", "", "", ""))
            rows.append((f"  failures (of {n})", str(a["failures"]), str(f["failures"]), "", "0",
                         _mark(a["failures"] == 0)))
            ratio = "" if c["memory_ratio"] is None else f"{c['memory_ratio']:.2f}x"
            rows.append(("  server memory growth per participant", f"{a['mib_per_session'] * 1024:.0f} KiB",
                         f"{f['mib_per_session'] * 1024:.0f} KiB", ratio, "", ""))
            rows.append(("  server RSS before / after the log-ins / with all sessions",
                         f"{a['rss_before_mib']:.0f} / {a['rss_after_logins_mib']:.0f} / "
                         f"{a['rss_with_sessions_mib']:.0f} MiB",
                         f"{f['rss_with_sessions_mib']:.0f} MiB", "", "", ""))

    if "browser" in parts:
        from bench import concurrent

        n = 3 if args.quick else concurrent.BROWSERS
        log(f"{n} participants in headless Chromium …")
        r = concurrent.run_browser(n, log=log)
        results["browser"] = r
        rows.append((f"{n} participants in Chromium log in and save", f"{r['app']['seconds']:.1f} s",
                     f"{r['reference']['seconds']:.1f} s", f"{r['time_ratio']:.2f}x", "", ""))
        rows.append((f"  failures (of {n})", str(r["app"]["failures"]), str(r["reference"]["failures"]), "",
                     "0", _mark(r["app"]["failures"] == 0)))

    phone_rows: list[tuple] = []
    if "phone" in parts:
        from bench import phone_pages

        log("pages on a phone (390x844) in headless Chromium, alternating with the reference page …")
        r = phone_pages.run(rounds=3 if args.quick else 9, log=log)
        results["phone"] = r
        phone_rows = phone_pages.rows(r, _mark)
        results["phone"]["table"] = [dict(zip(("figure", "measured", "reference", "ratio", "target", "met"), row,
                                              strict=True)) for row in phone_rows]

    if "soak" in parts:
        from bench import soak

        log("soak: sessions against the app and the reference page, alternating …")
        quick = {"sessions": 40, "block": 20, "pause": 10} if args.quick else {}
        r = soak.run(log=log, **quick)
        results["soak"] = r
        rows.extend(soak.rows(r, _mark))

    results["seconds"] = round(time.perf_counter() - started, 1)
    if rows:
        print(_table(rows))
    if phone_rows:
        print(f"\nbrowser: each page on a phone (390x844), median of {results['phone']['rounds']} taps, "
              "against bench/reference_page.py opened the same way")
        print(_table(phone_rows))
    if "soak" in results:
        r = results["soak"]
        print(f"\nsoak: {r['participants']} participants with {r['days']} days each; one sample every "
              f"{r['block']} sessions of each kind (app/reference); load average {r['loadavg_start'][0]:.1f} "
              f"at the start, {r['loadavg_end']:.1f} at the end")
        print(soak.samples_table(r))
    if "store" in results:
        print("\nquery plan of the 365-day read:", "; ".join(results["store"]["read_plan"]))
        print("pragmas:", results["store"]["pragmas"])
    if "pages" in results:
        print(f"reference page rerun: {results['pages']['reference_ms']:.1f} ms "
              f"(a form of eight widgets and a 365-point Altair chart)")
    print(f"whole bench: {results['seconds']:.0f} s")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
