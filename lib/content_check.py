"""Every content file validated before the app serves (server.py calls ``at_start``).

Each TOML file under ``content/`` must parse and each Learn section must be readable; a broken file is
named in the log with its line (lib/content.py) and the app starts anyway, with the other language
standing in. After the start, every change is validated when the changed file is next read, and a
broken version never replaces the last good one (lib/content.py).
"""

from __future__ import annotations

from lib import content


def at_start() -> list[str]:
    """The content files that are broken now (each also logged); the Learn sections in every language."""
    broken = []
    for path in sorted(content.CONTENT_DIR.rglob("*.toml")):
        try:
            content.load_toml(str(path.relative_to(content.CONTENT_DIR)))
        except content.ContentBroken:
            broken.append(str(path.relative_to(content.CONTENT_DIR.parent)))
        except OSError as exc:
            content.log.error("content file %s cannot be read: %s", path, exc)
            broken.append(str(path.relative_to(content.CONTENT_DIR.parent)))
    for lang in content.LANGS:
        content.learn_sections(lang)  # a section missing in one language is logged as a warning
    return broken
