"""Large text on a phone: with the browser's text at 200 % nothing essential is cut off and nothing needs
sideways scrolling (WCAG 1.4.4 and 1.4.10). Streamlit sizes everything in rem, so its text grows with the
browser's setting; what it does not do is let the text move to a next line where it no longer fits.

- Links drawn as buttons (Home's next step, "Lees meer"), the Account and Progress tabs, a metric's label
  and a multiselect's chips wrap to a next line instead of ending in an ellipsis or leaving the screen.
- Headings are capped by the screen's width (``min(<size>, <n>vw)``, with the sizes of the theme's
  ``headingFontSizes``; Learn's own title rules in lib/ui/theme.py carry the same cap): at 100 % text they
  keep that size, at 200 % a long word such as "Magnesium" still fits one line, so a heading breaks only
  between words.
- On a phone the page's side margins stay at 16 px (Streamlit uses 1 rem, which doubles with the text).
- Learn's tables (``lib/md_table.py``) reflow below 640 px: one block per row, each value after its
  column's name.

One rule is for the keyboard: the folded side panel (the language switch; the "»" opens it) sits off
screen while folded, and its controls stayed in the Tab order as stops she cannot see. While folded it is
``visibility: hidden``, which takes them out of the Tab order and of what a screen reader finds; opened,
it is visible again.

The menu row (lib/ui/nav.py) and the daily log's rating scales (lib/ui/rating_scales.py) wrap in their own style
rules. Applied once per run from the entry script.
"""

from __future__ import annotations

import streamlit as st

from lib import theme

PHONE_MAX = 640  # px: Streamlit's own breakpoint for a narrow screen


def apply() -> None:
    th = theme.current()
    st.html(f"""<style>
[data-testid="stMain"] h1 {{ font-size: min(2rem, 11vw) !important; }}
[data-testid="stMain"] h2 {{ font-size: min(1.5rem, 9vw) !important; }}
[data-testid="stMain"] h3 {{ font-size: min(1.25rem, 8vw) !important; }}
[data-testid="stMain"] h4 {{ font-size: min(1.1rem, 7vw) !important; }}
[data-testid="stMain"] [data-testid="stPageLink"] a {{ height: auto; }}
[data-testid="stMain"] [data-testid="stPageLink"] a span,
[data-testid="stMain"] [data-testid="stPageLink"] a p {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
.st-key-mg_nav [data-testid="stPageLink"] a span,
.st-key-mg_nav [data-testid="stPageLink"] a p {{ white-space: nowrap !important; }}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[data-baseweb="tag"] {{ max-width: 100% !important; height: auto !important; }}
[data-baseweb="tag"] span {{ white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }}
[data-testid="stTabs"] [role="tablist"] {{ flex-wrap: wrap !important; overflow: visible !important; }}
[data-testid="stTabs"] [role="tab"] {{ white-space: normal; }}
[data-testid="stSidebar"][data-collapsed="true"] {{ visibility: hidden; }}
@media (max-width: {PHONE_MAX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 16px !important; padding-right: 16px !important; }}
  table.mg-reflow, table.mg-reflow tbody, table.mg-reflow tr, table.mg-reflow td {{
    display: block; width: 100%; box-sizing: border-box; }}
  table.mg-reflow thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }}
  table.mg-reflow tr {{ border: 1px solid {th.border}; border-radius: .5rem; margin-bottom: .5rem;
    padding: .25rem .75rem; }}
  table.mg-reflow td {{ border: none; padding: .15rem 0; }}
  table.mg-reflow td::before {{ content: attr(data-label) ": "; font-weight: 600; }}
}}
</style>""")
