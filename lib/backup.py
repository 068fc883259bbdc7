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
import stat
import sys
from pathlib import Path

from lib import settings
from lib.store import Store
from lib.store.base import make_private_dirs


def target(dest: str | os.PathLike, now: dt.datetime | None = None) -> Path:
    """The file to write: ``dest`` itself, or a dated file name when ``dest`` is a folder."""
    path = Path(dest).expanduser()
    if path.is_dir():
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
        path = path / f"magnesium-{stamp}.db"
    return path


def readable_by_others(folder: Path) -> bool:
    """Whether anyone but the folder's owner may list or open what is in it."""
    return bool(folder.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def backup(dest: str | os.PathLike, store: Store | None = None, warn=None) -> Path:
    """Copy ``store`` (the SQLite database the settings name, by default) to ``dest``: the copy is 0600,
    a folder made for it 0700. A folder she named herself is left as it is: ``warn`` (default: print to
    stderr) is told when others can read it."""
    store = store or Store(settings.current().database)
    path = target(dest)
    if path.parent.exists():
        if readable_by_others(path.parent):
            (warn or _warn)(f"warning: others can read {path.parent} (mode {path.parent.stat().st_mode & 0o777:o}); "
                            f"backups hold health data, consider chmod 700")
    else:
        make_private_dirs(path.parent)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if path.exists():
        raise FileExistsError(f"{path} exists already; choose a new name or a folder")
    store.backup_to(partial)
    os.replace(partial, path)  # a half-written copy never carries the final name
    return path


def _warn(text: str) -> None:
    print(text, file=sys.stderr)


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
