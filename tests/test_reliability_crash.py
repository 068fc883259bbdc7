"""A killed server loses nothing it acknowledged, and leaves a sound file.

A writer process saves participants' days through the Store, from several threads as a server's
sessions would, and reports each save only after the Store returned (that is the moment the app
tells the participant "saved"). It is killed with SIGKILL in the middle of the stream. What a
SIGKILL can show: every committed transaction survives and the file stays consistent. What it
cannot show is the difference between ``synchronous`` settings: that only matters when the
operating system itself goes down (see the README's section on durability).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lib.store import Store

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import datetime as dt, sys, threading
    sys.path.insert(0, sys.argv[2])
    from lib.signals import rating_columns
    from lib.store import Store

    path, users = sys.argv[1], [int(u) for u in sys.argv[3].split(",")]
    out = threading.Lock()

    def write(uid):
        store = Store(path)
        day = dt.date(2026, 1, 1)
        n = 0
        while True:  # an endless stream of saves; only the kill ends it
            entry = {"phase": "magnesium", "applied": 1, "method": "lotion", "amount": 5.0,
                     **{c: n % 11 for c in rating_columns()}, "note": "x" * (n % 500)}
            store.upsert_daily_log(uid, day.isoformat(), entry)
            with out:  # acknowledged: the Store returned, so the commit is done
                sys.stdout.write(f"{uid} {day.isoformat()} {n % 11}\\n")
                sys.stdout.flush()
            day += dt.timedelta(days=1)
            n += 1

    for uid in users:
        threading.Thread(target=write, args=(uid,), daemon=True).start()
    threading.Event().wait()
    """
)


@pytest.mark.parametrize("round_", range(2))
def test_sigkill_mid_stream_keeps_every_acknowledged_save(db_path, tmp_path, round_):
    store = Store(db_path)
    users = [store.create_user(f"crash{round_}-{i}") for i in range(4)]
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db_path), str(ROOT), ",".join(map(str, users))],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    acked: list[tuple[int, str, int]] = []
    try:
        deadline = time.monotonic() + 60
        # Kill at a different point each round, while saves are in flight.
        target = 40 + 37 * round_
        while len(acked) < target and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            uid, day, value = line.split()
            acked.append((int(uid), day, int(value)))
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # Lines already in the pipe were acknowledged before the kill too.
        for line in proc.stdout.read().splitlines():
            parts = line.split()
            if len(parts) == 3:
                acked.append((int(parts[0]), parts[1], int(parts[2])))
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) >= target, "the writer did not get going"

    # "After restart": a new process opening the file recovers the WAL.
    check = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, sys.argv[2]); from lib.store import Store; "
         "print(Store(sys.argv[1]).integrity_check())", str(db_path), str(ROOT)],
        capture_output=True, text=True, timeout=60,
    )
    assert check.stdout.strip() == "ok", check.stderr
    after = Store(db_path)
    assert after.integrity_check() == "ok"
    for uid, day, value in acked:
        row = after.daily_log(uid, day)
        assert row is not None, f"acknowledged save lost: {uid} {day}"
        assert row["sleep_quality"] == value and row["irritability"] == value  # whole, not torn
    # Each participant's days are a gap-free run: nothing after a lost one, no stray rows.
    for uid in users:
        days = [r["day"] for r in after.daily_logs(uid)]
        assert days == sorted(set(days))
        acked_days = {d for u, d, _ in acked if u == uid}
        assert acked_days <= set(days)
        assert len(days) - len(acked_days) <= 1  # at most the save in flight when she was killed


# -- the real server: participants save their day over Streamlit's websocket, the server is killed ------
def test_a_killed_server_keeps_every_save_it_confirmed_to_a_participant(tmp_path):
    """Participants press Save on the daily log of a real ``streamlit run`` server (through the same
    websocket messages the browser sends); the server is SIGKILLed while saves are still coming in.
    After a restart: a sound file, and every participant who saw "saved" finds her day logged."""
    import asyncio
    import datetime as dt

    from bench import wsclient
    from lib import auth, clock, i18n, signals
    from lib import challenge_service as svc
    from tests.browser.harness import AppServer

    db = tmp_path / "crash.db"
    store = Store(db)
    today = clock.today("Europe/Amsterdam")
    pre = {s.id: 2 for s in signals.signals()}
    people = []
    for i in range(40):
        uid = store.create_user(f"crash{i:02d}", display_name=f"P{i}", health_consent=True)
        form = {"with_baseline": False, "start_date": today - dt.timedelta(days=3), "method": "oil_spray",
                "planned_amount": 10, "goal": ""}
        assert svc.start_challenge(store, uid, form, pre, today).ok
        people.append((uid, auth.start_session(store, uid)))
    saved_prefix = i18n.t("log.saved", "nl", day="\x00").split("\x00")[0]
    server = AppServer(db).start()
    confirmed: list[int] = []

    async def participant(uid: int, token: str) -> None:
        sess = await wsclient.Session.open(server.url, {wsclient.SESSION_COOKIE: token}, timeout=30)
        try:
            await sess.rerun("log", timeout=30)
            applied = sess.widget("radio", "log_applied_")
            save = sess.widget("button", label=i18n.t("log.save", "nl"))
            await sess.rerun("log", [wsclient.string_state(applied, i18n.t("log.yes", "nl")), wsclient.trigger(save)],
                             timeout=30)
            if any(t.startswith(saved_prefix) for t in sess.texts):
                confirmed.append(uid)  # she saw "saved"
        finally:
            await sess.close()

    async def stream() -> None:
        queue = list(people)

        async def worker():
            while queue:
                uid, token = queue.pop(0)
                try:
                    await participant(uid, token)
                except Exception:  # noqa: BLE001 - the kill cuts sessions off; only confirmations count
                    return

        workers = [asyncio.create_task(worker()) for _ in range(4)]
        while len(confirmed) < 12 and not all(w.done() for w in workers):
            await asyncio.sleep(0.01)
        server.kill()  # SIGKILL to the whole server, with saves in flight
        await asyncio.gather(*workers, return_exceptions=True)

    try:
        asyncio.run(stream())
    finally:
        server.stop()
    assert len(confirmed) >= 12
    assert len(confirmed) < len(people), "the server was killed after every save: nothing was in flight"

    restarted = AppServer(db).start()
    try:
        after = Store(db)
        assert after.integrity_check() == "ok"
        for uid in confirmed:
            row = after.daily_log(uid, today.isoformat())
            assert row is not None and row["applied"] == 1, f"participant {uid} was told saved, but it is gone"
        # And she sees it in the restarted app: her day is marked as already logged.
        uid, token = next(p for p in people if p[0] == confirmed[0])

        async def look() -> list[str]:
            sess = await wsclient.Session.open(restarted.url, {wsclient.SESSION_COOKIE: token}, timeout=30)
            try:
                await sess.rerun("log", timeout=30)
                return list(sess.texts)
            finally:
                await sess.close()

        assert i18n.t("log.already", "nl") in asyncio.run(look())
    finally:
        restarted.stop()
