"""The app's one look, read from ``.streamlit/config.toml`` ``[theme]``.

Streamlit paints its own widgets from that table; the HTML account forms (lib/web/account_forms.py) and
the few style rules the pages add (lib/ui/theme.py) take their colours from here, so a practice that
changes a colour in the file changes it everywhere. Plain Python: no Streamlit.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


@dataclass(frozen=True)
class Theme:
    primary: str = "#0072B2"
    background: str = "#FFFFFF"
    secondary_background: str = "#F1F5F9"
    text: str = "#1F2933"
    danger: str = "#B42318"
    border: str = "#CBD5E1"
    button_radius: str = "0.5rem"


@lru_cache(maxsize=1)
def current() -> Theme:
    """The theme of the config file; the defaults above for anything it does not set."""
    try:
        table = tomllib.loads(CONFIG.read_text(encoding="utf-8")).get("theme", {})
    except (OSError, tomllib.TOMLDecodeError):
        table = {}
    base = Theme()
    return Theme(
        primary=table.get("primaryColor", base.primary),
        background=table.get("backgroundColor", base.background),
        secondary_background=table.get("secondaryBackgroundColor", base.secondary_background),
        text=table.get("textColor", base.text),
        danger=table.get("redColor", base.danger),
        border=table.get("borderColor", base.border),
        button_radius=table.get("buttonRadius", base.button_radius),
    )
