"""Reading the practitioner's editable texts under ``content/``.

Files are re-read when they change on disk (checked by modification time), so an edited text shows
up on the next page load without restarting the server. Every version is validated as it is read: a
file that does not parse is named in the log with its line, and the last good version of it stays in
service (at start, with no good version yet, the text falls back to the other language). A Learn
section missing in one language is shown in the other one, with a warning in the log.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
LANGS = ("nl", "en")  # the languages content exists in (lib/i18n.py names them for the switch)

log = logging.getLogger("magnesium.content")

_lock = threading.Lock()
_cache: dict[Path, tuple[int, object]] = {}
_broken: dict[Path, int] = {}  # a file -> the version of it that was logged as broken (logged once)


class ContentBroken(Exception):
    """A content file that does not parse, and no good version of it has been read yet."""


def _cached(path: Path, parse) -> object:
    """Parse ``path`` once per version of the file on disk; a version that does not parse is logged (file
    and line) and the last good one is kept in service."""
    mtime = path.stat().st_mtime_ns
    with _lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == mtime:
            return hit[1]
        if _broken.get(path) == mtime:
            if hit is not None:
                return hit[1]
            raise ContentBroken(str(path))
    try:
        value = parse(path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        with _lock:
            _broken[path] = mtime
        keeping = ("keeping its last good version in service" if hit
                   else "no good version yet: the other language is used")
        log.error("content file %s is broken: %s; %s", _relative(path), exc, keeping)
        if hit is not None:
            return hit[1]
        raise ContentBroken(str(path)) from exc
    with _lock:
        _cache[path] = (mtime, value)
        if _broken.pop(path, None) is not None:
            log.warning("content file %s is good again", _relative(path))
    return value


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(CONTENT_DIR.parent))
    except ValueError:
        return str(path)


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


_warned_fallbacks: set[tuple[str, str]] = set()


def learn_sections(lang: str, fallback: str = "nl") -> list[Section]:
    """The Learn sections in ``lang``, ordered; a section missing in ``lang`` (or broken there) is shown in
    ``fallback`` or another language, with a warning in the log."""
    base = CONTENT_DIR / "learn"
    found: dict[str, Section] = {}
    others = [fallback] + [c for c in LANGS if c not in (fallback, lang)]
    for code in [c for c in others if c != lang] + [lang]:
        folder = base / code
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            match = _SECTION_FILE.match(path.name)
            if not match:
                continue
            try:
                title, body = _cached(path, _parse_section)  # type: ignore[misc]
            except (ContentBroken, OSError):
                continue
            order, sid = int(match.group(1)), match.group(2)
            found[sid] = Section(sid, order, title, body, code)
    for section in found.values():
        if section.lang != lang and (lang, section.id) not in _warned_fallbacks:
            _warned_fallbacks.add((lang, section.id))
            log.warning("Learn section %r is missing in %s: shown in %s instead", section.id, lang, section.lang)
    return sorted(found.values(), key=lambda s: s.order)


def learn_section_ids(lang: str) -> set[str]:
    """The section ids that exist in ``lang`` itself (no fallback): used to check translations."""
    folder = CONTENT_DIR / "learn" / lang
    return {m.group(2) for p in folder.glob("*.md") if (m := _SECTION_FILE.match(p.name))}
