"""The menu she can see: one row of links at the top of every page, on a phone as on a computer.

Streamlit's own menu lives in the sidebar, and at phone width (and with ``position="top"`` too) it folds
into a 28-px "»" without a label. The entry script therefore calls ``st.navigation(..., position="hidden")``
and draws this row instead: every page of the page table as an icon above a short name, all in one row
that fits 390 px without sideways scrolling (each link at least 44 px tall, a comfortable thumb target).
Each link is at least as wide as its name: with large text (200 %) the row wraps onto a second line
instead of cutting or overlapping the names.
The page she is on is marked (Streamlit gives its link ``aria-current="page"``-like styling; we add a
bar under it).
"""

from __future__ import annotations

import streamlit as st

NAV_KEY = "mg_nav"

# Phone first: seven links share the width; the icon sits above its name. On a wide screen the same row
# simply has more room. The row bleeds into the page's side padding on a phone to win a few pixels.
_STYLE = """<style>
.st-key-mg_nav { flex-wrap: wrap !important; gap: 0 !important; justify-content: space-between;
  border-bottom: 1px solid rgba(128, 128, 128, .25); padding-bottom: .15rem; }
.st-key-mg_nav > div { flex: 1 1 0 !important; min-width: max-content !important; width: auto !important; }
.st-key-mg_nav [data-testid="stPageLink"] { width: 100%; }
.st-key-mg_nav [data-testid="stPageLink"] a { flex-direction: column; align-items: center; justify-content: center;
  gap: .1rem; padding: .3rem .1rem; min-height: 2.75rem; margin: 0; width: 100%; border-radius: .5rem; }
.st-key-mg_nav [data-testid="stPageLink"] a span { margin: 0 !important; }
.st-key-mg_nav [data-testid="stPageLink"] a p {
  font-size: .72rem; line-height: 1.1; white-space: nowrap; text-align: center; overflow: hidden;
  text-overflow: ellipsis; max-width: 100%; }
@media (max-width: 640px) {
  .st-key-mg_nav { margin-left: -12px; margin-right: -12px; width: calc(100% + 24px) !important; }
  .st-key-mg_nav [data-testid="stPageLink"] a p { font-size: .68rem; }
}
</style>"""


def bar(pages: list, current) -> None:
    """One row of links to every page (``pages`` are the ``st.Page`` objects given to ``st.navigation``)."""
    st.html(_STYLE)
    with st.container(horizontal=True, key=NAV_KEY, gap=None):
        for p in pages:
            st.page_link(p, label=p.title, icon=p.icon, width="stretch")
