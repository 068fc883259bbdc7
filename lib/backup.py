"""A consistent copy of the live database, while participants keep logging.

    python -m lib.backup DEST            # DEST: a new file, or a folder (then a dated file inside it)

The copy is taken with SQLite's online backup API in one read transaction (see
``BaseStore.backup_to``): it holds every save confirmed before the backup started, passes
``PRAGMA integrity_check``, and is a single file that opens on its own. Restoring is copying it
back in place of the database file while the app is stopped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from lib import settings
from lib.store import Store


def target(dest: str | os.PathLike, now: dt.datetime | None = None) -> Path:
    """The file to write: ``dest`` itself, or a dated file name when ``dest`` is a folder."""
    path = Path(dest).expanduser()
    if path.is_dir():
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
        path = path / f"magnesium-{stamp}.db"
    return path


def backup(dest: str | os.PathLike, store: Store | None = None) -> Path:
    """Copy ``store`` (the SQLite database the settings name, by default) to ``dest``."""
    store = store or Store(settings.current().database)
    path = target(dest)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if path.exists():
        raise FileExistsError(f"{path} exists already; choose a new name or a folder")
    store.backup_to(partial)
    os.replace(partial, path)  # a half-written copy never carries the final name
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.backup", description=__doc__.splitlines()[0])
    parser.add_argument("dest", help="a new file, or an existing folder for a dated file")
    args = parser.parse_args(argv)
    store = Store(settings.current().database, migrate=False)  # a SQLite file: this tool is SQLite's own
    if not store.path.exists():
        print(f"no database at {store.path} (set MAGNESIUM_DB)", file=sys.stderr)
        return 1
    try:
        path = backup(args.dest, store)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
