"""One lookup for every string the participant sees.

Strings live in ``content/i18n/<lang>/<area>.toml``; a key is ``<area>.<name>`` (nested tables
add dots). Dutch is the default and the fallback: a key missing in another language shows the
Dutch text (and the test suite fails on it). Adding a language means copying ``content/i18n/nl``
to a new folder, translating it, and adding the code to ``LANGUAGES``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from lib.content import CONTENT_DIR, ContentBroken, load_toml

DEFAULT_LANG = "nl"
# Code -> the language's own name, shown in the language switch.
LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
# The address keeps a visitor's chosen language (``?lang=en``), so a reload or a shared link keeps it too.
LANG_PARAM = "lang"

I18N_DIR = CONTENT_DIR / "i18n"


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


# Looking up a string must be cheap (a page does it dozens of times per run), so the flattened
# table is kept and the files' modification times are looked at no more than once a second.
_RECHECK_SECONDS = 1.0
_tables: dict[str, tuple[float, tuple, dict[str, str]]] = {}
_tables_lock = threading.Lock()


def _signature(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.toml")))


def strings(lang: str) -> dict[str, str]:
    """Every key of one language (no fallback), flattened."""
    now = time.monotonic()
    hit = _tables.get(lang)
    if hit is not None and now - hit[0] < _RECHECK_SECONDS:
        return hit[2]
    folder = I18N_DIR / lang
    sig = _signature(folder)
    if hit is not None and hit[1] == sig:
        table = hit[2]
    else:
        table = {}
        for name, _mtime in sig:
            try:
                _flatten(Path(name).stem, load_toml(str(Path("i18n") / lang / name)), table)
            except ContentBroken:
                continue  # logged with its file and line; its keys come from another language meanwhile
    with _tables_lock:
        _tables[lang] = (now, sig, table)
    return table


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANG


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Dutch when missing), with ``{placeholders}`` filled in."""
    lang = normalise_lang(lang)
    text = strings(lang).get(key)
    for other in (DEFAULT_LANG, *LANGUAGES):  # a missing key, or a file broken at start
        if text is not None:
            break
        if other != lang:
            text = strings(other).get(key)
    if text is None:
        # A missing key is a bug, but the page must still render: show the key itself.
        return key
    return text.format(**values) if values else text


class Translator:
    """``tr = Translator("en"); tr("home.title")`` — a lookup bound to one language."""

    def __init__(self, lang: str | None):
        self.lang = normalise_lang(lang)

    def __call__(self, key: str, /, **values: object) -> str:
        return t(key, self.lang, **values)

    def plural(self, key: str, n: float, /, **values: object) -> str:
        """``key`` as a table of CLDR plural forms (``one``, ``other``, ...): the form her language uses for
        ``n`` (lib/locales.py), else ``other``; ``{n}`` is filled in with the number in her format."""
        return plural(key, n, self.lang, **values)


def plural(key: str, n: float, lang: str | None = None, /, **values: object) -> str:
    from lib import locales  # locales reads DEFAULT_LANG from here

    lang = normalise_lang(lang)
    form = locales.plural_form(n, lang)
    table = strings(lang)
    chosen = f"{key}.{form}" if f"{key}.{form}" in table else f"{key}.other"
    return t(chosen, lang, **{"n": locales.number(n, lang), **values})
