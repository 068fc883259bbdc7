"""The app's settings, read once into one typed object.

Each setting is looked up in the environment first, then in the ``[magnesium]`` table of
``.streamlit/secrets.toml`` (read here with ``tomllib``, so the core never imports Streamlit), then
falls back to its default:

| setting           | environment                   | secrets.toml ``[magnesium]`` | default                        |
| ----------------- | ----------------------------- | ---------------------------- | ------------------------------ |
| database          | ``MAGNESIUM_DB``              | ``database``                 | ``data/magnesium.db``          |
| fixed_today       | ``MAGNESIUM_TODAY``           | ``today``                    | none (the real date)           |
| trusted_proxies   | ``MAGNESIUM_TRUSTED_PROXIES`` | ``trusted_proxies``          | none                           |
| cookie_secure     | ``MAGNESIUM_COOKIE_SECURE``   | ``cookie_secure``            | off                            |
| report_font_dir   | ``MAGNESIUM_FONT_DIR``        | ``report_font_dir``          | Debian's DejaVu folder         |
| bind_address      | ``MAGNESIUM_ADDRESS``         | ``bind_address``             | ``127.0.0.1`` (this machine)   |
| frame_ancestors   | ``MAGNESIUM_FRAME_ANCESTORS`` | ``frame_ancestors``          | none (only the app itself)     |
| cache_bytes       | ``MAGNESIUM_CACHE_BYTES``     | ``cache_bytes``              | 32 MiB (``lib/progress_cache``) |

``current()`` reads them the first time it is asked (at server start) and keeps them: changing a
variable later changes nothing. A malformed value fails loudly at that moment. Tests build a
``Settings`` object and install it with ``use()`` instead of touching the environment or modules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
SECRETS_FILE = APP_DIR / ".streamlit" / "secrets.toml"
SECRETS_TABLE = "magnesium"
DEFAULT_DB = APP_DIR / "data" / "magnesium.db"
# A local run listens on this machine only: no other device reaches it, and Streamlit makes no outside
# call to learn an external address (it does in headless mode when bound to every interface).
LOOPBACK = "127.0.0.1"
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024  # what the Progress page may keep of its charts (lib/progress_cache.py)

# setting -> (environment variable, key in the secrets table)
SOURCES = {
    "database": ("MAGNESIUM_DB", "database"),
    "fixed_today": ("MAGNESIUM_TODAY", "today"),
    "trusted_proxies": ("MAGNESIUM_TRUSTED_PROXIES", "trusted_proxies"),
    "cookie_secure": ("MAGNESIUM_COOKIE_SECURE", "cookie_secure"),
    "report_font_dir": ("MAGNESIUM_FONT_DIR", "report_font_dir"),
    "bind_address": ("MAGNESIUM_ADDRESS", "bind_address"),
    "frame_ancestors": ("MAGNESIUM_FRAME_ANCESTORS", "frame_ancestors"),
    "cache_bytes": ("MAGNESIUM_CACHE_BYTES", "cache_bytes"),
}


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its host, in one place."""

    database: Path = DEFAULT_DB
    fixed_today: dt.date | None = None
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    cookie_secure: bool = False
    report_font_dir: Path = DEFAULT_FONT_DIR
    bind_address: str = LOOPBACK  # ``server.address`` for ``make run``; a host sets its own
    frame_ancestors: tuple[str, ...] = ()  # the host's own origins that may frame the app
    cache_bytes: int = DEFAULT_CACHE_BYTES  # the Progress page's chart cache, in (pickled) bytes

    def but(self, **changes) -> Settings:
        """A copy with some settings changed (for tests)."""
        return replace(self, **changes)


# -- reading -------------------------------------------------------------------------------------
def _secrets(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    table = data.get(SECRETS_TABLE, {})
    return table if isinstance(table, dict) else {}


def _date(name: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:  # a typo must not silently leave the real clock running
        raise ValueError(f"{name} must be a date like 2026-03-01, got {value!r}") from exc


def _proxies(value) -> frozenset[str]:
    if value in (None, ""):
        return frozenset()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return frozenset(str(h).strip() for h in items if str(h).strip())


def _flag(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{name} must be 1 or 0, got {value!r}")


def _bytes(name: str, value) -> int:
    if value in (None, ""):
        return DEFAULT_CACHE_BYTES
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number of bytes, got {value!r}")
    try:
        number = value if isinstance(value, int) else int(str(value).strip().replace("_", ""))
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number of bytes, got {value!r}") from exc
    if number < 1:
        raise ValueError(f"{name} must be a positive number of bytes, got {value!r}")
    return number


def load(environ: Mapping[str, str] | None = None, secrets_file: Path | None = None) -> Settings:
    """Read the settings: the environment first, then the secrets file, then the defaults."""
    environ = os.environ if environ is None else environ
    secrets = _secrets(SECRETS_FILE if secrets_file is None else secrets_file)

    def raw(setting: str):
        env_name, key = SOURCES[setting]
        value = environ.get(env_name)
        if value not in (None, ""):
            return env_name, value
        return f"{key} in {SECRETS_TABLE} of secrets.toml", secrets.get(key)

    out: dict = {}
    name, value = raw("database")
    if value:
        out["database"] = Path(str(value)).expanduser()
    name, value = raw("fixed_today")
    out["fixed_today"] = _date(name, value)
    out["trusted_proxies"] = _proxies(raw("trusted_proxies")[1])
    name, value = raw("cookie_secure")
    out["cookie_secure"] = _flag(name, value)
    name, value = raw("report_font_dir")
    if value:
        out["report_font_dir"] = Path(str(value)).expanduser()
    name, value = raw("bind_address")
    out["bind_address"] = (str(value).strip() or LOOPBACK) if value else LOOPBACK
    value = raw("frame_ancestors")[1]
    out["frame_ancestors"] = tuple(value if isinstance(value, list | tuple) else str(value or "").split())
    name, value = raw("cache_bytes")
    out["cache_bytes"] = _bytes(name, value)
    return Settings(**out)


# -- the process's settings ------------------------------------------------------------------------
_current: Settings | None = None
_lock = threading.Lock()


def current() -> Settings:
    """This process's settings, read on first use (the server's start) and kept."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = load()
    return _current


def install(settings: Settings | None) -> None:
    """Make ``settings`` this process's settings (None: read them again on next use)."""
    global _current
    with _lock:
        _current = settings


@contextlib.contextmanager
def use(settings: Settings | None) -> Iterator[Settings | None]:
    """``settings`` for the duration of a ``with`` block (tests), then the previous ones again; None:
    read from the environment and secrets.toml at the first question inside the block."""
    global _current
    with _lock:
        before = _current
        _current = settings
    try:
        yield settings
    finally:
        with _lock:
            _current = before


def main(argv: list[str] | None = None) -> int:
    """``python -m lib.settings bind-address``: one setting for a shell script (``make run``)."""
    args = sys.argv[1:] if argv is None else argv
    value = getattr(current(), args[0].replace("-", "_")) if args else current()
    print("" if value is None else value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
