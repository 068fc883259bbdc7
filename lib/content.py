"""Reading the practitioner's editable texts under ``content/``.

Files are re-read when they change on disk (checked by modification time), so an edited text shows
up on the next page load without restarting the server.
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

_lock = threading.Lock()
_cache: dict[Path, tuple[int, object]] = {}


def _cached(path: Path, parse) -> object:
    """Parse ``path`` once per version of the file on disk."""
    mtime = path.stat().st_mtime_ns
    with _lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == mtime:
            return hit[1]
    value = parse(path)
    with _lock:
        _cache[path] = (mtime, value)
    return value


def _parse_toml(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_toml(relative: str) -> dict:
    """A TOML file under ``content/``, parsed, re-read when it changes."""
    return _cached(CONTENT_DIR / relative, _parse_toml)  # type: ignore[return-value]


@dataclass(frozen=True)
class Section:
    """One Learn section: its id (from the file name), title (its first heading) and body."""

    id: str
    order: int
    title: str
    body: str
    lang: str


_SECTION_FILE = re.compile(r"^(\d+)-([a-z0-9-]+)\.md$")


def _parse_section(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8").strip()
    first, _, rest = text.partition("\n")
    title = first.lstrip("#").strip() if first.startswith("#") else path.stem
    return title, rest.strip()


def learn_sections(lang: str, fallback: str = "nl") -> list[Section]:
    """The Learn sections in ``lang``, ordered; a section missing in ``lang`` falls back to ``fallback``."""
    base = CONTENT_DIR / "learn"
    found: dict[str, Section] = {}
    for code in (fallback, lang):
        folder = base / code
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            match = _SECTION_FILE.match(path.name)
            if not match:
                continue
            title, body = _cached(path, _parse_section)  # type: ignore[misc]
            order, sid = int(match.group(1)), match.group(2)
            found[sid] = Section(sid, order, title, body, code)
    return sorted(found.values(), key=lambda s: s.order)


def learn_section_ids(lang: str) -> set[str]:
    """The section ids that exist in ``lang`` itself (no fallback): used to check translations."""
    folder = CONTENT_DIR / "learn" / lang
    return {m.group(2) for p in folder.glob("*.md") if (m := _SECTION_FILE.match(p.name))}
