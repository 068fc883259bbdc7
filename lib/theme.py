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
    # Captions, hints and chart summaries: quieter than ``text`` yet AA (5.56:1 on white, 5.08:1 on the
    # secondary background; tests/test_theme.py computes every pair). Not a Streamlit theme option, so not in
    # the file. Streamlit draws captions at 60 % opacity of ``text`` (4.04:1): lib/ui/a11y.py paints them in
    # this colour at full opacity.
    muted_text: str = "#626970"
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


AA_TEXT = 4.5  # WCAG 2.2 AA, normal-size text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB`` (or ``#RGB``)."""
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    if len(h) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    r, g, b = (_channel(int(h[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
