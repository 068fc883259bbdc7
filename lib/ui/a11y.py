"""What makes every page readable and say what it is (WCAG 2.2 AA), once per run from the entry script.

- Captions (page intros, status lines, chart summaries, the footer's health disclaimer, help texts) in the
  theme's ``muted_text`` at full opacity: Streamlit draws them at 60 % of the text colour, 4.04:1 on white.
- Streamlit's "Press Enter to submit form" / "Press Enter to apply" under a field is English on every page
  and says nothing the field's own button does not: hidden (no field of the app counts characters, the only
  other thing that line shows).
- A chart's toolbar (Streamlit's "Show data", "Download as PNG", "Copy Vega-Lite spec", "Fullscreen") is
  hidden (charts are the only elements of the app with a toolbar, so the rule needs no costly ``:has``):
  English on every page, each button repeats the chart's whole label to a screen reader, and its table
  shows raw column names; the page has its own downloads (PNG, CSV, PDF) below.
- The document's language and title (lib/ui/document.py).
"""

from __future__ import annotations

import streamlit as st

from lib import theme
from lib.ui import document


def styles() -> None:
    th = theme.current()
    st.html(f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] + div [data-testid="stCaptionContainer"],
[data-testid="stTooltipContent"] {{ color: {th.muted_text}; opacity: 1; }}
[data-testid="InputInstructions"] {{ display: none; }}
[data-testid="stMain"] [data-testid="stElementToolbar"] {{ display: none; }}
.st-key-{document.KEY} {{ display: none; }}
</style>""")


def apply(page) -> None:
    styles()
    document.apply(page)
