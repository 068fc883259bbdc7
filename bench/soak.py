"""Soak: hundreds of real sessions against one server, as a small host would see them over weeks.

Two servers run side by side for the whole soak: the app (``streamlit run server.py``) and the
reference page (``bench/reference_page.py``: a form and one 365-point Altair chart), each its own
process. Sessions alternate, one app session then one reference session, so the machine's load
drifts over both alike.

- **The participants**: 30, each with a year of logs (back-to-back challenges, the last one still
  running, ``tests.factories.store_history``). Each logs in once through the log-in form at the start (her
  cookie then lasts 30 days, as in the browser); the CPU of those log-ins (argon2id) is reported on
  its own line, not per session.
- **One app session**: a new websocket with her login cookie; Home; Progress (her current challenge);
  Progress over all her days (a year); the daily log; "applied: yes" and Save (a new row for today).
  Five script runs. Before her next session today's row is removed again (her Save stays a new
  day's entry) and her latest earlier day is rated anew, so her rows always differ from her last
  visit, as after a real evening: nothing an earlier session of hers left in a cache fits again.
- **One reference session**: a new websocket; the page; three reruns; the form's submit. Five script runs.
- **A sample every 50 app sessions** of each server: resident memory, CPU-seconds per session in
  that block (the server process's own counters in ``/proc``, which other load on the machine
  disturbs far less than wall time), threads, open file descriptors, and p50/p95 of every page.
- **Then a pause** past every cache's lifetime and the disconnected-session TTL, one more session of
  each kind (Streamlit drops expired sessions and cache entries when next touched, not on a timer),
  and a last sample: what the server gives back when everyone has gone.

Targets: steady-state memory (the last block) at most 2x the reference server's; after the pause
within 1.2x of the app's warm level (the first block, when every participant has been once and every
cache has filled); CPU per session at most 2x the reference's; the last block's p50 per page at most
1.2x the first block's.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.concurrent import PASSWORD, Server  # noqa: E402 - after the path is set

CACHE = ROOT / "bench" / ".cache"
SESSIONS = 300
BLOCK = 50
PARTICIPANTS = 30
DAYS = 365
SESSION_TTL = 120  # Streamlit's server.disconnectedSessionTTL (its default), passed to both servers
PAUSE_MARGIN = 20
PATIENCE = 300
REFERENCE_DEFAULTS = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}
APP_PAGES = ("Home", "Progress", "Progress 365 days", "Daily log", "Save")
REF_PAGES = ("load", "rerun", "submit")
BAR_MEMORY = 2.0
BAR_RETURN = 1.2
BAR_CPU = 2.0
BAR_SLOWDOWN = 1.2


# -- what the servers' own counters say ------------------------------------------------------------------
def proc_sample(pid: int) -> dict:
    """RSS (MiB), CPU-seconds so far (user + system, all threads), threads and open file descriptors."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    fields = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in status if ":" in line}
    stat = Path(f"/proc/{pid}/stat").read_text()
    after = stat[stat.rindex(")") + 2:].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(after[11]) + int(after[12])) / ticks  # utime, stime (fields 14 and 15)
    return {"rss_mib": round(int(fields["VmRSS"].split()[0]) / 1024, 1), "cpu_s": cpu,
            "threads": int(fields["Threads"]), "fds": len(os.listdir(f"/proc/{pid}/fd"))}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


# -- the data ----------------------------------------------------------------------------------------------
def prepare_db(path: Path, usernames: list[str], days: int = DAYS) -> None:
    """Her account and a year of back-to-back challenges ending today (the last one running, today not
    yet logged). Built once per day and size into ``bench/.cache/`` and copied from there."""
    from lib import clock

    today = clock.today("Europe/Amsterdam")
    cached = CACHE / f"soak-{today.isoformat()}-{len(usernames)}x{days}.db"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(".building")
        for stale in (building, building.with_name(building.name + "-wal"), building.with_name(building.name + "-shm")):
            stale.unlink(missing_ok=True)
        _build_db(building, usernames, days, today)
        _copy(building, cached)
        for done in (building, building.with_name(building.name + "-wal"), building.with_name(building.name + "-shm")):
            done.unlink(missing_ok=True)
    _copy(cached, path)


def _copy(src_path: Path, dst_path: Path) -> None:
    """A whole, self-contained copy (SQLite's backup API reads through the WAL)."""
    import sqlite3

    src, dst = sqlite3.connect(src_path), sqlite3.connect(dst_path.with_suffix(".part"))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    dst_path.with_suffix(".part").rename(dst_path)


def _build_db(path: Path, usernames: list[str], days: int, today) -> None:
    from lib import auth
    from lib.store import Store
    from tests import factories

    store = Store(path)
    password_hash = auth.hash_password(PASSWORD)
    for name in usernames:
        uid = store.create_user(name, password_hash=password_hash, display_name=name, lang="nl",
                                health_consent=True)
        factories.store_history(store, uid, end=today, days=days)
        with store.write() as conn:
            conn.execute("DELETE FROM daily_logs WHERE user_id = ? AND day = ?", (uid, today.isoformat()))


def next_evening(path: Path, username: str, session: int) -> None:
    """Between two of her sessions: today not yet logged (her Save is a new day's entry), and her rows
    not the same as at her last visit (a day before today rated anew), as after a real evening. So
    no view or chart of hers from an earlier session fits again: the worst case for every cache."""
    from lib import clock
    from lib.store import Store

    store = Store(path, migrate=False)
    uid = store.user_by_username(username)["id"]
    today = clock.today("Europe/Amsterdam").isoformat()
    with store.write() as conn:
        conn.execute("DELETE FROM daily_logs WHERE user_id = ? AND day = ?", (uid, today))
        conn.execute(
            "UPDATE daily_logs SET energy = ?, updated_at = ? WHERE user_id = ? AND day = "
            "(SELECT max(day) FROM daily_logs WHERE user_id = ?)",
            (session % 11, f"bench-{session:06d}", uid, uid))


# -- one session of each kind -----------------------------------------------------------------------------
async def _timed(times: dict, name: str, coro) -> None:
    start = time.perf_counter()
    await coro
    times.setdefault(name, []).append((time.perf_counter() - start) * 1000)


async def app_session(url: str, token: str, times: dict) -> None:
    from bench import wsclient
    from lib import i18n, progress_view

    sess = await wsclient.Session.open(url, {wsclient.SESSION_COOKIE: token}, timeout=PATIENCE)
    try:
        await _timed(times, "Home", sess.rerun("", timeout=PATIENCE))
        await _timed(times, "Progress", sess.rerun("progress", timeout=PATIENCE))
        scope = sess.widget("selectbox", "progress_scope")
        history = i18n.t("progress.scope_history", "nl")
        if history not in scope.options:
            raise wsclient.ProtocolError(f"no history scope among {scope.options}")
        await _timed(times, "Progress 365 days",
                     sess.rerun("progress", [wsclient.string_state(scope, history)], timeout=PATIENCE))
        if not any(progress_view.HISTORY in w.id or "progress_ratings" in w.id for w in sess.widgets.values()):
            raise wsclient.ProtocolError("the Progress page showed no charts")
        await _timed(times, "Daily log", sess.rerun("log", timeout=PATIENCE))
        applied = sess.widget("radio", "log_applied_")
        save = sess.widget("button", label=i18n.t("log.save", "nl"))
        await _timed(times, "Save", sess.rerun("log", [wsclient.string_state(applied, i18n.t("log.yes", "nl")),
                                                        wsclient.trigger(save)], timeout=PATIENCE))
        saved_prefix = i18n.t("log.saved", "nl", day="\x00").split("\x00")[0]
        if not any(t.startswith(saved_prefix) for t in sess.texts):
            raise wsclient.ProtocolError(f"no saved message; the page said {sess.texts[:4]}")
    finally:
        await sess.close()


async def reference_session(url: str, times: dict) -> None:
    from bench import wsclient

    sess = await wsclient.Session.open(url, timeout=PATIENCE)
    try:
        await _timed(times, "load", sess.rerun(timeout=PATIENCE))
        for _ in range(3):
            await _timed(times, "rerun", sess.rerun(timeout=PATIENCE))
        submit = sess.widget("form_submit_button")
        await _timed(times, "submit", sess.rerun(widget_states=[wsclient.trigger(submit)], timeout=PATIENCE))
    finally:
        await sess.close()


# -- the soak -----------------------------------------------------------------------------------------------
def _block_stats(before: dict, after: dict, sessions: int, times: dict, pages) -> dict:
    return {
        "rss_mib": after["rss_mib"], "threads": after["threads"], "fds": after["fds"],
        "cpu_s_per_session": round((after["cpu_s"] - before["cpu_s"]) / sessions, 3),
        "p50_ms": {p: round(_pct(times.get(p, []), 50), 1) for p in pages},
        "p95_ms": {p: round(_pct(times.get(p, []), 95), 1) for p in pages},
    }


def cache_lifetime() -> float:
    """The longest lifetime of any of the app's caches that grow with use (seconds)."""
    from lib import progress_cache

    return progress_cache.TTL_SECONDS


def run(sessions: int = SESSIONS, block: int = BLOCK, participants: int = PARTICIPANTS, days: int = DAYS,
        pause: float | None = None, *, app_env: dict | None = None, log=print) -> dict:
    """The soak; ``app_env``: extra environment for the app's server (to try a setting)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    db = tmp / "app.db"
    names = [f"soak{i:02d}" for i in range(participants)]
    started = time.perf_counter()
    prepare_db(db, names, days)
    log(f"  {participants} participants with {days} days each: {time.perf_counter() - started:.0f} s")
    if pause is None:
        pause = max(cache_lifetime(), SESSION_TTL) + PAUSE_MARGIN
    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL)}
    app = Server(ROOT / "server.py", db, tmp / "app.log", extra_env={**env, **(app_env or {})}).start()
    # The reference is plain Streamlit: its defaults, also where the app's config.toml differs.
    ref = Server(ROOT / "bench" / "reference_page.py", tmp / "unused.db", tmp / "ref.log",
                 extra_env={**env, **REFERENCE_DEFAULTS}).start()
    errors: list[str] = []
    try:
        # Log-ins: once per participant, as her browser keeps the cookie; their CPU is counted apart.
        import httpx

        from bench import wsclient

        c0 = proc_sample(app.proc.pid)
        with httpx.Client(timeout=PATIENCE) as client:
            tokens = [wsclient.log_in(app.url, name, PASSWORD, client=client) for name in names]
        login_cpu = (proc_sample(app.proc.pid)["cpu_s"] - c0["cpu_s"]) / participants
        # Warm-up: the imports and the first run of every page, not counted.
        asyncio.run(app_session(app.url, tokens[0], {}))
        next_evening(db, names[0], -1)
        asyncio.run(reference_session(ref.url, {}))
        time.sleep(0.5)
        start_app, start_ref = proc_sample(app.proc.pid), proc_sample(ref.proc.pid)
        samples: list[dict] = []
        load_start = os.getloadavg()
        t0 = time.perf_counter()
        done = 0
        while done < sessions:
            a0, r0 = proc_sample(app.proc.pid), proc_sample(ref.proc.pid)
            t_app: dict = {}
            t_ref: dict = {}
            n = min(block, sessions - done)
            for k in range(n):
                i = done + k
                try:
                    asyncio.run(app_session(app.url, tokens[i % participants], t_app))
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    errors.append(f"app session {i}: {type(exc).__name__}: {exc}"[:200])
                next_evening(db, names[i % participants], i)
                try:
                    asyncio.run(reference_session(ref.url, t_ref))
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    errors.append(f"reference session {i}: {type(exc).__name__}: {exc}"[:200])
            done += n
            a1, r1 = proc_sample(app.proc.pid), proc_sample(ref.proc.pid)
            s = {"sessions": done, "seconds": round(time.perf_counter() - t0, 1),
                 "loadavg": round(os.getloadavg()[0], 2),
                 "app": _block_stats(a0, a1, n, t_app, APP_PAGES),
                 "reference": _block_stats(r0, r1, n, t_ref, REF_PAGES)}
            samples.append(s)
            if log:
                log(f"  {done} sessions: app {s['app']['rss_mib']:.0f} MiB, {s['app']['cpu_s_per_session']:.2f} "
                    f"CPU-s/session; reference {s['reference']['rss_mib']:.0f} MiB, "
                    f"{s['reference']['cpu_s_per_session']:.2f} CPU-s/session; load {s['loadavg']}")
        end_app, end_ref = proc_sample(app.proc.pid), proc_sample(ref.proc.pid)
        if log:
            log(f"  pause of {pause:.0f} s (cache lifetime and disconnected-session TTL) …")
        time.sleep(pause)
        # Streamlit drops an expired session or cache entry when it is next touched, not on a timer: the
        # sample after the pause is taken after one new session of each kind, as the next visitor would.
        asyncio.run(app_session(app.url, tokens[0], {}))
        asyncio.run(reference_session(ref.url, {}))
        time.sleep(0.5)
        after = {"app": proc_sample(app.proc.pid), "reference": proc_sample(ref.proc.pid),
                 "loadavg": round(os.getloadavg()[0], 2)}
    finally:
        app.stop()
        ref.stop()
    total_app = (end_app["cpu_s"] - start_app["cpu_s"]) / sessions
    total_ref = (end_ref["cpu_s"] - start_ref["cpu_s"]) / sessions
    first, last = samples[0], samples[-1]
    warm = first["app"]["rss_mib"]
    expired = pause >= max(cache_lifetime(), SESSION_TTL)
    slowdown = {p: round(last["app"]["p50_ms"][p] / first["app"]["p50_ms"][p], 2) for p in APP_PAGES}
    ref_drift = {p: round(last["reference"]["p50_ms"][p] / first["reference"]["p50_ms"][p], 2) for p in REF_PAGES}
    return {
        "sessions": sessions, "block": block, "participants": participants, "days": days,
        "pause_s": pause, "seconds": round(time.perf_counter() - started, 1),
        "loadavg_start": [round(x, 2) for x in load_start], "loadavg_end": after["loadavg"],
        "errors": errors[:10], "failures": len(errors),
        "login_cpu_s": round(login_cpu, 3),
        "rss_start_mib": {"app": start_app["rss_mib"], "reference": start_ref["rss_mib"]},
        "samples": samples,
        "after_pause": {k: {kk: (round(vv, 1) if isinstance(vv, float) else vv) for kk, vv in v.items()}
                        for k, v in after.items() if k != "loadavg"},
        "cpu_s_per_session": {"app": round(total_app, 3), "reference": round(total_ref, 3),
                              "ratio": round(total_app / total_ref, 2), "bar": BAR_CPU},
        "memory": {"app_mib": last["app"]["rss_mib"], "reference_mib": last["reference"]["rss_mib"],
                   "ratio": round(last["app"]["rss_mib"] / last["reference"]["rss_mib"], 2), "bar": BAR_MEMORY,
                   "app_peak_mib": max(s["app"]["rss_mib"] for s in samples)},
        "return": {"warm_mib": warm, "after_pause_mib": after["app"]["rss_mib"],
                   "ratio": round(after["app"]["rss_mib"] / warm, 2), "bar": BAR_RETURN,
                   "past_every_lifetime": expired},
        "slowdown": {"ratios": slowdown, "reference_drift": ref_drift, "bar": BAR_SLOWDOWN},
    }


def rows(r: dict, mark) -> list[tuple]:
    """The soak's lines of the bench table."""
    out = []
    m, c, ret, sl = r["memory"], r["cpu_s_per_session"], r["return"], r["slowdown"]
    out.append((f"soak: server RSS after {r['sessions']} sessions", f"{m['app_mib']:.0f} MiB",
                f"{m['reference_mib']:.0f} MiB", f"{m['ratio']:.2f}x", f"≤ {m['bar']}x", mark(m["ratio"] <= m["bar"])))
    expired = ret.get("past_every_lifetime", True)
    out.append((f"soak: RSS after a {r['pause_s']:.0f} s pause vs warm (first block)"
                + ("" if expired else " [shorter than the caches' lifetime]"),
                f"{ret['after_pause_mib']:.0f} MiB", f"{ret['warm_mib']:.0f} MiB", f"{ret['ratio']:.2f}x",
                f"≤ {ret['bar']}x", mark(ret["ratio"] <= ret["bar"]) if expired else ""))
    out.append(("soak: CPU per session (server's own counters)", f"{c['app']:.2f} s", f"{c['reference']:.2f} s",
                f"{c['ratio']:.2f}x", f"≤ {c['bar']}x", mark(c["ratio"] <= c["bar"])))
    first, last = r["samples"][0], r["samples"][-1]
    for p in APP_PAGES:
        ratio = sl["ratios"][p]
        out.append((f"soak: p50 {p}, last block vs first", f"{last['app']['p50_ms'][p]:.0f} ms",
                    f"{first['app']['p50_ms'][p]:.0f} ms", f"{ratio:.2f}x", f"≤ {sl['bar']}x",
                    mark(ratio <= sl["bar"])))
    drift = ", ".join(f"{p} {v:.2f}x" for p, v in sl["reference_drift"].items())
    out.append(("soak: reference p50, last block vs first (machine drift)", drift, "", "", "", ""))
    out.append(("soak: failures", str(r["failures"]), "", "", "0", mark(r["failures"] == 0)))
    out.append(("soak: one log-in's CPU (argon2id; once per participant)", f"{r['login_cpu_s']:.2f} s", "", "", "",
                ""))
    return out


def samples_table(r: dict) -> str:
    """Every sample, app against reference: RSS, CPU per session, threads, fds, p50/p95 per page."""
    head = ["sessions", "load", "RSS app/ref MiB", "CPU-s/session app/ref", "threads app/ref", "fds app/ref"]
    head += [f"{p} p50/p95" for p in APP_PAGES] + [f"ref {p} p50/p95" for p in REF_PAGES]
    lines = [head]
    for s in r["samples"]:
        a, f = s["app"], s["reference"]
        row = [str(s["sessions"]), f"{s['loadavg']:.1f}", f"{a['rss_mib']:.0f}/{f['rss_mib']:.0f}",
               f"{a['cpu_s_per_session']:.2f}/{f['cpu_s_per_session']:.2f}", f"{a['threads']}/{f['threads']}",
               f"{a['fds']}/{f['fds']}"]
        row += [f"{a['p50_ms'][p]:.0f}/{a['p95_ms'][p]:.0f}" for p in APP_PAGES]
        row += [f"{f['p50_ms'][p]:.0f}/{f['p95_ms'][p]:.0f}" for p in REF_PAGES]
        lines.append(row)
    a, f = r["after_pause"]["app"], r["after_pause"]["reference"]
    lines.append(["pause", f"{r['loadavg_end']:.1f}", f"{a['rss_mib']:.0f}/{f['rss_mib']:.0f}", "",
                  f"{a['threads']}/{f['threads']}", f"{a['fds']}/{f['fds']}"] + [""] * (len(head) - 6))
    widths = [max(len(x[i]) for x in lines) for i in range(len(head))]
    text = ["  ".join(c.ljust(w) for c, w in zip(x, widths, strict=True)).rstrip() for x in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


if __name__ == "__main__":
    import json

    result = run(log=lambda m: print(m, file=sys.stderr, flush=True))
    print(samples_table(result))
    print(json.dumps(result, indent=2))
