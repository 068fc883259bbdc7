"""``python -m lib.backup``: a consistent copy of a database that is being written to."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lib import backup
from lib.signals import rating_columns
from lib.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _entry(n: int) -> dict:
    return {"phase": "baseline", "applied": 0, **{c: n % 11 for c in rating_columns()}, "note": f"n{n}"}


def _rows(path: Path) -> set[tuple[int, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT user_id, day, note FROM daily_logs"))
    finally:
        conn.close()


def test_a_backup_taken_while_participants_write_has_everything_committed_before_it(db_path, tmp_path):
    store = Store(db_path)
    users = [store.create_user(f"b{i}") for i in range(3)]
    committed: list[tuple[int, str, str]] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = threading.Event()

    def writer(uid: int) -> None:
        own = Store(db_path)
        n = 0
        while not stop.is_set():
            day = (dt.date(2025, 1, 1) + dt.timedelta(days=n)).isoformat()
            own.upsert_daily_log(uid, day, _entry(n))
            with lock:
                committed.append((uid, day, f"n{n}"))
            if n == 30:
                started.set()
            n += 1

    threads = [threading.Thread(target=writer, args=(u,)) for u in users]
    for t in threads:
        t.start()
    try:
        assert started.wait(30)
        copies = []
        for k in range(3):  # several copies while the writes go on
            with lock:
                before = list(committed)
            copies.append((before, backup.backup(tmp_path / f"copy{k}.db", Store(db_path))))
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    for before, path in copies:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        conn.close()
        rows = _rows(path)
        assert set(before) <= rows  # every save confirmed before the backup started
        # A snapshot: each participant's days in the copy are a gap-free run from her first day.
        for uid in users:
            days = sorted(d for u, d, _ in rows if u == uid)
            assert days == [(dt.date(2025, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(len(days))]
    # And the copy is a working database for the app: the store reads each participant's days from it.
    last = copies[-1][1]
    copy_store = Store(last)
    for uid in users:
        assert {r["day"] for r in copy_store.daily_logs(uid)} == {d for u, d, _ in _rows(last) if u == uid}
    assert sum(len(copy_store.daily_logs(uid)) for uid in users) >= 31


def test_the_command_writes_a_dated_copy_into_a_folder_and_never_overwrites(db_path, tmp_path):
    store = Store(db_path)
    uid = store.create_user("cli")
    store.upsert_daily_log(uid, "2026-02-01", _entry(4))
    env = {**os.environ, "MAGNESIUM_DB": str(db_path)}
    folder = tmp_path / "backups"
    folder.mkdir()
    out = subprocess.run([sys.executable, "-m", "lib.backup", str(folder)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    made = Path(out.stdout.strip())
    assert made.parent == folder and made.name.startswith("magnesium-") and made.suffix == ".db"
    assert (uid, "2026-02-01", "n4") in _rows(made)
    assert list(folder.iterdir()) == [made]  # no partial file left behind

    again = subprocess.run([sys.executable, "-m", "lib.backup", str(made)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "exists" in again.stderr
    assert (uid, "2026-02-01", "n4") in _rows(made)


def test_the_command_refuses_when_there_is_no_database(tmp_path):
    env = {**os.environ, "MAGNESIUM_DB": str(tmp_path / "missing.db")}
    out = subprocess.run([sys.executable, "-m", "lib.backup", str(tmp_path / "x.db")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "no database" in out.stderr
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "x.db").exists()


def test_backup_to_refuses_an_existing_file(store, tmp_path):
    existing = tmp_path / "there.db"
    existing.write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        store.backup_to(existing)
    assert existing.read_bytes() == b"keep me"
