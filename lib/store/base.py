"""Connections, transactions and the schema: the only place that opens the database.

Why connections are opened per unit of work: Streamlit runs every rerun of every session in a new
thread. A ``sqlite3`` connection kept in session state raises "wrong thread" as soon as two
sessions overlap, and one ``sqlite_utils.Database`` shared between threads breaks its savepoints.
Opening a connection costs tens of microseconds, so each store method opens its own, uses it and
closes it.

Why writes start with ``BEGIN IMMEDIATE``: a deferred ``BEGIN`` that later needs the write lock
fails at once with "database is locked" when another writer holds it, whatever the busy timeout.
``BEGIN IMMEDIATE`` takes the write lock up front, so concurrent writers queue on the busy timeout
instead of failing.

Why writers of one process also queue in Python first: SQLite's busy handler does not queue, it
polls, sleeping in growing steps up to 100 ms; with dozens of sessions saving at once on a busy
machine an unlucky writer can keep losing the race until its busy timeout runs out and it fails
with "database is locked" (seen with 50 concurrent writers on a loaded 2-core machine). So every
write transaction of this process first takes its turn in a first-come-first-served queue per
database file (``_FairLock``); SQLite's own lock and busy timeout still order writers across
processes (a second server, the command line, a backup).

Deleted data: every connection sets ``secure_delete=ON``, so SQLite overwrites the bytes of deleted
rows instead of leaving them in free pages. Debian's SQLite is built with that default, the python.org
and macOS builds are not; the store never relies on the build.

File modes: the database, its WAL and SHM files and every backup hold health data, so they are
created 0600 (only the app's own user may read them) whatever the umask, and a folder the app
creates for them is 0700. SQLite gives the WAL and SHM files the database file's own mode.

When things go wrong (lib/store/errors.py): a write waits at most ``WRITE_WAIT_S`` in all, first in
this process's queue and then on SQLite's busy timeout, so nobody waits long behind another's
failing save. A full disk, a read-only file or folder, a damaged file and other I/O errors are
raised as their own store errors, so a page can say what happened in her words. A write refused as
read-only first repairs the modes of the app's own WAL and SHM files (SQLite creates them with the
database file's mode, so a database that was read-only for a while leaves them read-only) and tries
once more; what it cannot repair it names in the log. ``PRAGMA quick_check`` runs before the first
use of a file in a process; a file that fails it, or that answers "malformed" later, is only read
from then on (``damaged()``), with a loud log line naming the file, until it is replaced by a restore.

Durability: WAL with ``synchronous=FULL``. A save is "acknowledged" to the participant only after
its transaction has committed, and with FULL the commit has been synced to disk, so it survives a
killed server and also an operating-system crash or power loss (NORMAL could drop the last commits
in the latter two).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from lib import logs
from lib.store.errors import (
    AlreadyExists,
    InvalidRow,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
)
from lib.store.schema import migrations

BUSY_TIMEOUT_MS = 10_000  # reads
WRITE_WAIT_S = 5.0  # a save waits at most this long in all (queue + busy timeout) before it says "busy"
QUEUE_TIMEOUT_S = WRITE_WAIT_S  # kept for callers that name it
LOW_DISK_BYTES = 1 << 20  # an I/O error with less free space than this is a full disk

log = logs.get("store")

_migrated: set[str] = set()
_migrate_lock = threading.Lock()


class _FairLock:
    """A lock handed out in arrival order (``threading.Lock`` lets a releasing thread barge ahead)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        me = object()
        with self._cond:
            self._queue.append(me)
            if not self._cond.wait_for(lambda: not self._held and self._queue[0] is me, timeout):
                self._queue.remove(me)
                self._cond.notify_all()  # the next in line may be free to go now
                return False
            self._queue.popleft()
            self._held = True
            return True

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


_write_locks: dict[str, _FairLock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(path: Path) -> _FairLock:
    key = str(path.resolve())
    with _write_locks_guard:
        lock = _write_locks.get(key)
        if lock is None:
            lock = _write_locks[key] = _FairLock()
        return lock


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection, *, begun: bool = False) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on ``conn``, rolled back whole on any error (``begun``: the
    caller has already run ``BEGIN IMMEDIATE``)."""
    if not begun:
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back by itself (a full disk, an I/O error)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


FILE_MODE = 0o600
DIR_MODE = 0o700


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700 (whatever the umask); existing ones are left
    as they are: a folder the host made herself is her choice."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=DIR_MODE)
            os.chmod(path, DIR_MODE)  # mkdir's mode passes through the umask; chmod does not


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (whatever the umask); an existing file raises FileExistsError."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def make_private(path: Path) -> None:
    """The database file and its WAL and SHM files: created 0600, and an older file made 0600 too."""
    with contextlib.suppress(FileExistsError):
        create_private_file(path)
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            if each.stat().st_mode & 0o777 != FILE_MODE:
                os.chmod(each, FILE_MODE)


# SQLite's extended result codes -> the backend-neutral errors of lib/store/errors.py.
_SAME_KEY = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


def free_bytes(path: Path) -> int | None:
    """Free space on the file system that holds ``path``'s folder (None when it cannot be asked)."""
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return None


def neutral_error(exc: sqlite3.Error, path: Path | None = None) -> StoreError | None:
    """The store error for a SQLite error (by its result code, never its text); None for a bug."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in _SAME_KEY:
        return AlreadyExists(str(exc))
    if name.startswith("SQLITE_CONSTRAINT"):
        return InvalidRow(str(exc))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreBusy(str(exc))
    if name == "SQLITE_FULL":
        return StoreFull(str(exc))
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return StoreReadOnly(str(exc))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreDamaged(str(exc))
    if name.startswith("SQLITE_IOERR"):
        free = free_bytes(path) if path is not None else None
        if free is not None and free < LOW_DISK_BYTES:
            return StoreFull(str(exc))  # the WAL or its index could not grow
        return StoreUnavailable(str(exc))
    return None


@contextlib.contextmanager
def neutral_errors(path: Path | None = None) -> Iterator[None]:
    """SQLite errors that mean something to a service, raised as the errors of lib/store/errors.py."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = neutral_error(exc, path)
        if mapped is None:
            raise
        if isinstance(mapped, StoreDamaged) and path is not None:
            mark_damaged(path, str(exc))
        if path is not None and isinstance(mapped, (StoreFull, StoreReadOnly, StoreDamaged, StoreUnavailable)):
            mapped = type(mapped)(f"{exc} (database {path}, modes {file_modes(path)}, free bytes {free_bytes(path)})")
        raise mapped from exc


# -- a damaged file: read-only mode until it is replaced --------------------------------------------
_damaged: dict[str, tuple[int, str]] = {}  # resolved path -> (the file's inode, why)
_damaged_guard = threading.Lock()


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except OSError:
        return -1


def mark_damaged(path: Path, why: str) -> None:
    """From now on this file is only read; the log says so loudly, once, with the file's name."""
    key = str(path.resolve())
    with _damaged_guard:
        if key in _damaged:
            return
        _damaged[key] = (_inode(path), why)
    log.critical(
        "DATABASE DAMAGED: %s failed its integrity check (%s). The app now only reads from it and refuses "
        "every save. Restore the last backup (README: Restoring from a backup) and restart the app.", key, why)


def damaged_reason(path: Path) -> str | None:
    """Why this file is in read-only mode, or None; a file replaced since (a restore) is checked afresh."""
    key = str(path.resolve())
    with _damaged_guard:
        hit = _damaged.get(key)
        if hit is None:
            return None
        if hit[0] == _inode(path):
            return hit[1]
        del _damaged[key]
    _migrated.discard(key)  # the restored file is checked and migrated again on its next use
    log.warning("the damaged database %s was replaced; checking the new file", key)
    return None


def quick_check(conn: sqlite3.Connection) -> str:
    """SQLite's ``PRAGMA quick_check``: "ok", or what is wrong (a few lines at most)."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:  # a file that is not a database at all, or a damaged header
        return str(exc)
    text = "; ".join(str(r[0]) for r in rows)
    return text or "no answer"


# -- WAL and SHM modes ----------------------------------------------------------------------------------
def _mode(path: Path) -> str:
    try:
        return oct(path.stat().st_mode & 0o777)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unknown ({exc.strerror})"


def file_modes(path: Path) -> dict[str, str]:
    """The folder's, the database's and its WAL and SHM files' modes, for the log."""
    return {
        "folder": _mode(path.parent),
        "db": _mode(path),
        "wal": _mode(path.with_name(path.name + "-wal")),
        "shm": _mode(path.with_name(path.name + "-shm")),
    }


def repair_own_files(path: Path) -> bool:
    """Make the app's own WAL and SHM files writable again when the database itself is; True if it changed
    something. What it may not change (the database file, the folder, a file of another user) is named
    in the log with the exact command that fixes it."""
    repaired = False
    if not os.access(path.parent, os.W_OK | os.X_OK):
        log.error("the database folder %s is not writable (mode %s): run `chmod 700 %s` as the app's user",
                  path.parent, _mode(path.parent), path.parent)
        return False
    if path.exists() and not os.access(path, os.W_OK):
        log.error("the database %s is not writable (mode %s): run `chmod 600 %s` as the app's user",
                  path, _mode(path), path)
        return False
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            st_ = extra.stat()
        except FileNotFoundError:
            continue
        if os.access(extra, os.W_OK):
            continue
        if st_.st_uid == os.geteuid():
            os.chmod(extra, FILE_MODE)
            log.warning("repaired the mode of %s (was %s, now 0o600)", extra, oct(st_.st_mode & 0o777))
            repaired = True
        else:
            log.error("%s belongs to another user and is not writable: run `chown` and `chmod 600 %s`",
                      extra, extra)
    return repaired


class BaseStore:
    """Opens connections to one SQLite file; area mixins add the intention-revealing methods."""

    def __init__(self, path: str | os.PathLike, *, migrate: bool = True):
        self.path = Path(path)
        make_private_dirs(self.path.parent)
        if migrate:
            self.migrate()

    # -- connections ---------------------------------------------------------------------------
    def _connect(self, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")  # whatever the build's default (see the module's docstring)
        return conn

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading; closed afterwards."""
        with neutral_errors(self.path):
            conn = self._connect()
            try:
                yield conn
            finally:
                conn.close()

    def damaged(self) -> str | None:
        """Why the store only reads (its file failed its integrity check), or None."""
        return damaged_reason(self.path)

    @contextlib.contextmanager
    def _write_turn(self, deadline: float | None = None) -> Iterator[None]:
        """This process's turn to write to the file, in arrival order (see the module's docstring)."""
        if deadline is None:
            deadline = time.monotonic() + WRITE_WAIT_S
        lock = _write_lock(self.path)
        if not lock.acquire(max(0.0, deadline - time.monotonic())):
            raise StoreBusy("the saves ahead of this one did not finish in time")
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back whole on any error.

        Writers of this process take turns in arrival order first (see the module's docstring); the
        whole wait is at most ``WRITE_WAIT_S``. A damaged file takes no write (``StoreDamaged``).
        """
        why = damaged_reason(self.path)
        if why is not None:
            raise StoreDamaged(f"{self.path} is in read-only mode: {why}")
        deadline = time.monotonic() + WRITE_WAIT_S
        with neutral_errors(self.path), self._write_turn(deadline):
            conn = self._begin(deadline)
            try:
                with immediate_transaction(conn, begun=True):
                    yield conn
            finally:
                conn.close()

    def _begin(self, deadline: float) -> sqlite3.Connection:
        """A connection holding the write lock (``BEGIN IMMEDIATE``) before ``deadline``. Refused as
        read-only: the WAL and SHM modes are repaired if they are the cause, and it is tried once more."""
        for attempt in (1, 2):
            remaining_ms = max(1, int((deadline - time.monotonic()) * 1000))
            conn = self._connect(busy_timeout_ms=remaining_ms)
            try:
                conn.execute("BEGIN IMMEDIATE")
                return conn
            except sqlite3.Error as exc:
                conn.close()
                mapped = neutral_error(exc, self.path)
                if attempt == 1 and isinstance(mapped, StoreReadOnly) and repair_own_files(self.path):
                    continue
                raise
        raise AssertionError("unreachable")

    # -- schema ----------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Check the file and create or upgrade the schema; cheap and idempotent (once per file per process).

        First ``PRAGMA quick_check``: a damaged file goes into read-only mode (see the module's
        docstring) and is not migrated. A file that cannot be written just now (busy, full, read-only)
        is served as it is, with a warning in the log, and checked again on the next use; only a
        schema that is really behind needs a write."""
        key = str(self.path.resolve())
        if key in _migrated or damaged_reason(self.path) is not None:
            return
        with _migrate_lock:
            if key in _migrated:
                return
            try:
                make_private(self.path)
            except OSError as exc:
                log.warning("could not create or protect %s: %s (modes %s)", self.path, exc, file_modes(self.path))
            try:
                self._check_and_migrate()
            except StoreDamaged:
                return  # read-only mode, logged loudly by mark_damaged
            except (StoreBusy, StoreFull, StoreReadOnly, StoreUnavailable) as exc:
                log.warning("the schema of %s was not checked or upgraded now (%s: %s); serving it as it is, "
                            "tried again on the next use", self.path, type(exc).__name__, exc)
                return
            _migrated.add(key)

    def _check_and_migrate(self) -> None:
        with neutral_errors(self.path):
            conn = self._connect()
            try:
                if self.path.stat().st_size > 0:
                    verdict = quick_check(conn)
                    if verdict != "ok":
                        mark_damaged(self.path, verdict)
                        raise StoreDamaged(verdict)
                # WAL is a property of the file, set outside any transaction.
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                # Foreign keys off while migrating (a pragma that is a no-op inside a transaction):
                # a table rebuild drops a table, and with foreign keys on that drop would cascade-delete
                # every row that refers to it (SQLite's 12-step table rebuild). They are checked
                # before the commit instead.
                conn.execute("PRAGMA foreign_keys = OFF")
                db = sqlite_utils.Database(conn)
                if not migrations.pending(db):
                    return  # nothing to write: a read-only or busy file is still served
                # One write transaction around all pending migrations: several processes starting
                # on the same new file queue here, and the later ones find nothing left to apply.
                # Each migration's own atomic() becomes a savepoint inside it.
                with immediate_transaction(conn):
                    migrations.apply(db)
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise sqlite3.IntegrityError(f"a migration left {len(broken)} rows without their parent")
            finally:
                conn.close()

    def backup_to(self, dest: str | os.PathLike) -> None:
        """A consistent copy of the whole database at one moment, taken while the app keeps running.

        SQLite's online backup API in one step: it reads inside one read transaction, so the copy
        holds exactly the transactions committed before it started (WAL lets writers go on
        meanwhile). ``dest`` must not exist yet; it is synced to disk before this returns.
        """
        dest = Path(dest)
        create_private_file(dest)  # 0600 before a byte of health data is in it; raises if it exists
        src = self._connect()
        try:
            out = sqlite3.connect(dest, isolation_level=None)
            try:
                src.backup(out)  # pages=-1: everything in one step, one snapshot
                out.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
                check = out.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                out.close()
        finally:
            src.close()
        if check != "ok":
            dest.unlink(missing_ok=True)
            raise sqlite3.DatabaseError(f"the copy failed its integrity check: {check}")
        with open(dest, "rb") as f:
            os.fsync(f.fileno())

    def integrity_check(self) -> str:
        with self.read() as conn:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
