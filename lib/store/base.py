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

Durability: WAL with ``synchronous=FULL``. A save is "acknowledged" to the participant only after
its transaction has committed, and with FULL the commit has been synced to disk, so it survives a
killed server and also an operating-system crash or power loss (NORMAL could drop the last commits
in the latter two).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from lib.store.errors import AlreadyExists, InvalidRow, StoreBusy, StoreError
from lib.store.schema import migrations

BUSY_TIMEOUT_MS = 10_000
QUEUE_TIMEOUT_S = 60  # how long a save may wait for the writers ahead of it in this process

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
def immediate_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on ``conn``, rolled back whole on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
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


def neutral_error(exc: sqlite3.Error) -> StoreError | None:
    """The store error for a SQLite error (by its result code, never its text); None for a bug."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in _SAME_KEY:
        return AlreadyExists(str(exc))
    if name.startswith("SQLITE_CONSTRAINT"):
        return InvalidRow(str(exc))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreBusy(str(exc))
    return None


@contextlib.contextmanager
def neutral_errors() -> Iterator[None]:
    """SQLite errors that mean something to a service, raised as the errors of lib/store/errors.py."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = neutral_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


class BaseStore:
    """Opens connections to one SQLite file; area mixins add the intention-revealing methods."""

    def __init__(self, path: str | os.PathLike, *, migrate: bool = True):
        self.path = Path(path)
        make_private_dirs(self.path.parent)
        if migrate:
            self.migrate()

    # -- connections ---------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")  # whatever the build's default (see the module's docstring)
        return conn

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading; closed afterwards."""
        with neutral_errors():
            conn = self._connect()
            try:
                yield conn
            finally:
                conn.close()

    @contextlib.contextmanager
    def _write_turn(self) -> Iterator[None]:
        """This process's turn to write to the file, in arrival order (see the module's docstring)."""
        lock = _write_lock(self.path)
        if not lock.acquire(QUEUE_TIMEOUT_S):
            raise StoreBusy("too many saves waiting in this process")
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back whole on any error.

        Writers of this process take turns in arrival order first (see the module's docstring).
        """
        with neutral_errors(), self._write_turn():
            conn = self._connect()
            try:
                with immediate_transaction(conn):
                    yield conn
            finally:
                conn.close()

    # -- schema ----------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create or upgrade the schema; cheap and idempotent (done once per file per process)."""
        key = str(self.path.resolve())
        if key in _migrated:
            return
        with _migrate_lock:
            if key in _migrated:
                return
            make_private(self.path)
            conn = self._connect()
            try:
                # WAL is a property of the file, set outside any transaction.
                conn.execute("PRAGMA journal_mode = WAL")
                # Foreign keys off while migrating (a pragma that is a no-op inside a transaction):
                # a table rebuild drops a table, and with foreign keys on that drop would cascade-delete
                # every row that refers to it (SQLite's 12-step table rebuild). They are checked
                # before the commit instead.
                conn.execute("PRAGMA foreign_keys = OFF")
                db = sqlite_utils.Database(conn)
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
            _migrated.add(key)

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
