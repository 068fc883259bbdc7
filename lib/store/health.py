"""A health check that tells the truth about the database (no Streamlit, no web framework here).

``/_stcore/health`` only says that Streamlit's server is up: it answered "ok" through a full disk, a
read-only file, a held lock and a damaged file. ``check()`` asks what a participant's save needs:

- the folder, the database and its WAL and SHM files can be written (their modes);
- the database is not in read-only mode after a failed integrity check (lib/store/base.py);
- a read works;
- a write can start: ``BEGIN IMMEDIATE; ROLLBACK`` with a short busy timeout (nothing is written);
- the disk has free space left.

A write refused as read-only repairs the app's own WAL and SHM files first (as a save does). The web
route that answers hosts is lib/web/health_route.py.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from lib.store import base as store_base

CHECK_TIMEOUT_MS = 1_000  # a write lock held longer than this by someone else: not healthy now
MIN_FREE_BYTES = 32 * 1024 * 1024  # less free space than this on the database's disk: not healthy


@dataclass
class Health:
    ok: bool
    path: Path
    problems: list[str] = field(default_factory=list)  # short names: "read", "write", "disk", ...
    errors: list[str] = field(default_factory=list)  # what went wrong, for the log
    free_bytes: int | None = None
    modes: dict[str, str] = field(default_factory=dict)

    def log_line(self) -> str:
        """One line a host can act on: the path, the error, the free bytes and the file modes."""
        modes = " ".join(f"{k}={v}" for k, v in self.modes.items())
        return (f"health check failed: path={self.path} failed={','.join(self.problems)} "
                f"error={' | '.join(self.errors) or '-'} free_bytes={self.free_bytes} modes: {modes}")


def _writable(path: Path) -> bool:
    return not path.exists() or os.access(path, os.W_OK)


def _try_write(path: Path) -> None:
    conn = sqlite3.connect(path, timeout=CHECK_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {CHECK_TIMEOUT_MS}")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def check(path: str | os.PathLike, *, min_free_bytes: int = MIN_FREE_BYTES) -> Health:
    """Everything a save needs, checked now (see the module's docstring)."""
    path = Path(path)
    report = Health(ok=True, path=path)

    def fail(name: str, error: str) -> None:
        report.problems.append(name)
        report.errors.append(f"{name}: {error}")

    if not path.exists():
        fail("file", "the database file does not exist")
    files = {"folder": path.parent, "db": path, "wal": path.with_name(path.name + "-wal"),
             "shm": path.with_name(path.name + "-shm")}
    for name, each in files.items():
        writable = os.access(each, os.W_OK | os.X_OK) if name == "folder" else _writable(each)
        if not writable:
            fail("modes", f"{each} is not writable")
    why = store_base.damaged_reason(path)
    if why is not None:
        fail("damaged", f"integrity check failed: {why}")
    if path.exists():
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=CHECK_TIMEOUT_MS / 1000)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            fail("read", f"{type(exc).__name__}: {exc}")
        if why is None:
            try:
                _try_write(path)
            except sqlite3.Error as exc:
                mapped = store_base.neutral_error(exc, path)
                repaired = isinstance(mapped, store_base.StoreReadOnly) and store_base.repair_own_files(path)
                try:
                    if not repaired:
                        raise exc
                    _try_write(path)
                except sqlite3.Error as again:
                    fail("write", f"{getattr(again, 'sqlite_errorname', type(again).__name__)}: {again}")
    report.free_bytes = store_base.free_bytes(path)
    if report.free_bytes is None or report.free_bytes < min_free_bytes:
        fail("disk", f"free space {report.free_bytes} bytes is below {min_free_bytes}")
    report.modes = store_base.file_modes(path)
    report.ok = not report.problems
    return report
