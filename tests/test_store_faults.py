"""The store under real faults: a full database, a lock held by another process, a read-only file and a
damaged file. Each checks what a save does (refused whole, with its own error), that nothing
acknowledged is lost, and that the next save works once the fault is removed."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lib import challenge_service as svc
from lib.signals import signals
from lib.store import Store, StoreBusy
from lib.store import base as store_base
from lib.store.errors import StoreDamaged, StoreFull, StoreReadOnly

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 3, 12)
START = {"with_baseline": False, "start_date": TODAY - dt.timedelta(days=3), "method": "oil_spray",
         "planned_amount": 10, "goal": ""}


def entry(day: dt.date, note: str = "") -> dict:
    return {"day": day, "applied": True, "method": "oil_spray", "amount": 8, "sleep_quality": 7, "energy": 6,
            "mood": 7, "muscle_tension": 4, "stress": 3, "headache": 0, "restless_legs": 1, "irritability": 2,
            "relaxation_minutes": 10, "coffee_cups": 2, "alcohol_glasses": 0, "note": note}


def participant(store: Store, name: str = "anna") -> int:
    uid = store.create_user(name)
    assert svc.start_challenge(store, uid, START, {s.id: 1 for s in signals()}, TODAY).ok
    return uid


def save(store: Store, uid: int, day: dt.date, note: str = "") -> str:
    return svc.save_log(store, uid, entry(day, note), TODAY).status


@pytest.fixture
def quick_waits(monkeypatch):
    """A save gives up after half a second instead of several (the same code path, a shorter wait)."""
    monkeypatch.setattr(store_base, "WRITE_WAIT_S", 0.5)


# -- disk full -------------------------------------------------------------------------------------------
def test_a_full_database_refuses_the_save_whole_and_takes_it_once_there_is_room(store, monkeypatch):
    uid = participant(store)
    assert save(store, uid, TODAY - dt.timedelta(days=1), "acknowledged") == "saved"
    real_connect = Store._connect
    limit = {"on": True}

    def full_connect(self, *a, **kw):
        conn = real_connect(self, *a, **kw)
        if limit["on"]:  # the database may not grow by a single page: SQLite's own "disk is full"
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(Store, "_connect", full_connect)
    # A write that needs a new page (as her save does on a full disk):
    with pytest.raises(StoreFull), store.write() as conn:
        conn.execute("UPDATE users SET display_name = ? WHERE id = ?", ("x" * 20_000, uid))
    assert store.get_user(uid)["display_name"] != "x" * 20_000  # refused whole
    assert store.daily_log(uid, (TODAY - dt.timedelta(days=1)).isoformat())["note"] == "acknowledged"
    limit["on"] = False  # space freed
    assert save(store, uid, TODAY, "after the fault") == "saved"
    assert store.daily_log(uid, TODAY.isoformat())["note"] == "after the fault"


def _small_filesystem(folder: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_a_full_disk_refuses_the_save_and_the_next_save_works_once_space_is_freed(tmp_path):
    disk = tmp_path / "small"
    if not _small_filesystem(disk):
        pytest.skip("no small file system can be mounted here (needs root); the max_page_count test covers it")
    try:
        store = Store(disk / "app.db")
        uid = participant(store)
        assert save(store, uid, TODAY - dt.timedelta(days=2), "acknowledged") == "saved"
        ballast = disk / "ballast"
        with open(ballast, "wb") as f, pytest.raises(OSError):
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        with pytest.raises(StoreFull):
            for k in range(200):  # until the WAL must grow
                svc.save_log(store, uid, entry(TODAY - dt.timedelta(days=1), "n" * 900 + str(k)), TODAY,
                             replace=True)
        ballast.unlink()  # space freed: the next save works without a restart
        assert save(store, uid, TODAY, "after the fault") == "saved"
        assert store.daily_log(uid, (TODAY - dt.timedelta(days=2)).isoformat())["note"] == "acknowledged"
        assert store.integrity_check() == "ok"
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# -- a lock held by another process ----------------------------------------------------------------------
HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def hold_write_lock(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def release(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(timeout=30)


def test_behind_a_lock_held_elsewhere_every_waiting_save_gives_up_within_its_own_wait(store, db_path, quick_waits):
    anna, bea = participant(store, "anna"), participant(store, "bea")
    holder = hold_write_lock(db_path)
    outcomes: dict[str, object] = {}

    def attempt(name, uid):
        try:
            outcomes[name] = save(store, uid, TODAY)
        except StoreBusy as exc:
            outcomes[name] = exc

    try:
        threads = [threading.Thread(target=attempt, args=a) for a in (("anna", anna), ("bea", bea))]
        for t in threads:
            t.start()
        for t in threads:  # both give up: the second is not queued behind the first's whole wait and then its own
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads)
        assert all(isinstance(o, StoreBusy) for o in outcomes.values()), outcomes
    finally:
        release(holder)
    assert store.daily_log(anna, TODAY.isoformat()) is None  # nothing half-written
    assert save(store, anna, TODAY, "after") == "saved" and save(store, bea, TODAY, "after") == "saved"


def test_a_save_queued_behind_a_failing_one_gets_only_what_is_left_of_its_own_wait(store, db_path, monkeypatch):
    """Behind a lock held elsewhere, two saves at once: the second's busy timeout is what is left of its
    one wait after queueing behind the first (before: a fresh 10 s after up to 60 s in the queue)."""
    monkeypatch.setattr(store_base, "WRITE_WAIT_S", 1.0)
    anna, bea = participant(store, "anna"), participant(store, "bea")
    waits: dict[str, float] = {}
    real_write, real_connect = Store.write, Store._connect
    local = threading.local()

    def timed_write(self):
        local.entered = time.monotonic()
        return real_write(self)

    def spy(self, busy_timeout_ms=store_base.BUSY_TIMEOUT_MS):
        if hasattr(local, "entered"):  # queue time so far + the busy timeout it is given
            waits[threading.current_thread().name] = time.monotonic() - local.entered + busy_timeout_ms / 1000
        return real_connect(self, busy_timeout_ms)

    monkeypatch.setattr(Store, "write", timed_write)
    monkeypatch.setattr(Store, "_connect", spy)
    holder = hold_write_lock(db_path)
    barrier = threading.Barrier(2)

    def attempt(uid):
        barrier.wait()
        with pytest.raises(StoreBusy):
            save(store, uid, TODAY)

    try:
        threads = [threading.Thread(target=attempt, args=(u,), name=n) for n, u in (("anna", anna), ("bea", bea))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        release(holder)
    assert waits and all(w <= 1.0 + 0.05 for w in waits.values()), waits


# -- read-only: the file's mode, and the app's own WAL and SHM files ----------------------------------------
READ_ONLY_STORY = """
import os, sys
sys.path.insert(0, sys.argv[2])
from lib.store import Store
from lib.store.errors import StoreReadOnly
path = sys.argv[1]
store = Store(path)
uid = store.create_user("anna")
os.chmod(path, 0o400)
for extra in (path + "-wal", path + "-shm"):  # what SQLite leaves after a while on a read-only file
    if os.path.exists(extra):
        os.chmod(extra, 0o400)
try:
    store.set_user_lang(uid, "en")
    print("saved while read-only")
except StoreReadOnly:
    print("refused")
print(store.get_user(uid)["lang"])
os.chmod(path, 0o600)  # the host restores the file's mode; the WAL and SHM files are still read-only
store.set_user_lang(uid, "en")
print(store.get_user(uid)["lang"])
extras = [e for e in (path + "-wal", path + "-shm") if os.path.exists(e)]
print("writable" if all(os.stat(e).st_mode & 0o200 for e in extras) else "still-read-only")
"""


def _modes_apply() -> list[str]:
    """Root ignores file modes: run the story without that power then (util-linux's setpriv)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot be made to apply")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def test_a_read_only_database_refuses_saves_and_recovers_by_itself_when_its_mode_is_restored(tmp_path):
    out = subprocess.run([*_modes_apply(), sys.executable, "-c", READ_ONLY_STORY, str(tmp_path / "app.db"),
                          str(ROOT)], capture_output=True, text=True, timeout=60)
    lines = out.stdout.split()
    assert out.returncode == 0, out.stderr
    assert lines == ["refused", "nl", "en", "writable"], (out.stdout, out.stderr)
    assert "repaired the mode" in out.stderr


def test_a_read_only_folder_is_named_in_the_log_with_what_to_fix(tmp_path, caplog):
    store = Store(tmp_path / "app.db")
    store.create_user("anna")
    with caplog.at_level(logging.ERROR, logger="magnesium.store"):
        tmp_path.chmod(0o500)
        try:
            with pytest.MonkeyPatch.context() as mp:  # as an ordinary user sees it (root may write anyway)
                mp.setattr(store_base.os, "access", lambda p, mode: Path(p) != tmp_path)
                assert not store_base.repair_own_files(tmp_path / "app.db")
        finally:
            tmp_path.chmod(0o700)
    assert f"chmod 700 {tmp_path}" in caplog.text


# -- a damaged file ------------------------------------------------------------------------------------------
def _damage_table(path: Path, table: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)


def test_a_damaged_file_is_found_at_start_only_read_and_named_loudly_until_a_backup_is_restored(
        tmp_path, caplog):
    path = tmp_path / "app.db"
    store = Store(path)
    uid = participant(store)
    assert save(store, uid, TODAY - dt.timedelta(days=1), "acknowledged") == "saved"
    store.backup_to(tmp_path / "backup.db")
    _damage_table(path, "daily_logs")
    store_base._migrated.discard(str(path.resolve()))  # as a new start of the app
    with caplog.at_level(logging.CRITICAL, logger="magnesium.store"):
        fresh = Store(path)
    assert fresh.damaged()
    assert str(path.resolve()) in caplog.text and "Restoring from a backup" in caplog.text
    assert fresh.get_user(uid)["username"] == "anna"  # what can be read is still read
    with pytest.raises(StoreDamaged):
        fresh.set_user_lang(uid, "en")  # written nowhere: not even to a table that is not damaged
    # The host restores the backup (a new file in its place); the app checks it and takes saves again.
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    os.replace(tmp_path / "backup.db", path)
    assert fresh.damaged() is None
    Store(path)
    assert save(fresh, uid, TODAY, "after the restore") == "saved"
    assert fresh.daily_log(uid, (TODAY - dt.timedelta(days=1)).isoformat())["note"] == "acknowledged"


def test_a_malformed_error_later_puts_the_file_in_read_only_mode(tmp_path):
    path = tmp_path / "app.db"
    store = Store(path)
    uid = participant(store)
    _damage_table(path, "daily_logs")  # damaged after the start check
    with pytest.raises(StoreDamaged):
        store.daily_log(uid, TODAY.isoformat())
    assert store.damaged()
    with pytest.raises(StoreDamaged):
        store.set_user_lang(uid, "en")


def test_a_read_only_error_is_its_own_error(tmp_path):
    assert isinstance(store_base.neutral_error(_error("SQLITE_READONLY")), StoreReadOnly)
    assert isinstance(store_base.neutral_error(_error("SQLITE_FULL")), StoreFull)
    assert isinstance(store_base.neutral_error(_error("SQLITE_CORRUPT")), StoreDamaged)


def _error(name: str) -> sqlite3.Error:
    exc = sqlite3.OperationalError(name)
    exc.sqlite_errorname = name
    return exc



def test_the_error_of_a_damaged_file_names_the_file(tmp_path):
    path = tmp_path / "app.db"
    store = Store(path)
    uid = participant(store)
    _damage_table(path, "daily_logs")
    with pytest.raises(StoreDamaged, match=str(path)):
        store.daily_log(uid, TODAY.isoformat())
