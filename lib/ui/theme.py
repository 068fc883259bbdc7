"""The few style rules Streamlit's theme cannot express, in the colours of lib/theme.py.

- A destructive action (delete her account, end a challenge early) is drawn red: put its button inside
  ``danger_zone(key)`` (a container whose key starts with ``danger_``).
- No link icon beside a heading: Streamlit's own headings are drawn with ``anchor=False``; the headings
  inside Markdown (Learn's sections) have no such switch, so their link is hidden here (``display: none``
  also takes it out of the keyboard's tab order and of what a screen reader announces).
- Learn's section titles (the fold-out labels) are larger than the headings inside a section; both are capped
  by the screen's width like every heading (lib/ui/text_fit.py), so a long word never breaks at large text.
"""

from __future__ import annotations

import streamlit as st

from lib import theme

DANGER_PREFIX = "danger_"


def apply() -> None:
    """Once per run, from the entry script."""
    th = theme.current()
    st.html(f"""<style>
[class*="st-key-{DANGER_PREFIX}"] button {{
  background-color: {th.danger}; border-color: {th.danger}; color: #fff; }}
[class*="st-key-{DANGER_PREFIX}"] button:hover, [class*="st-key-{DANGER_PREFIX}"] button:focus-visible {{
  background-color: #8F1D14; border-color: #8F1D14; color: #fff; }}
[class*="st-key-{DANGER_PREFIX}"] button:disabled {{
  background-color: transparent; border-color: {th.border}; color: {th.text}; opacity: .6; }}
[data-testid="stHeaderActionElements"] a[href^="#"] {{ display: none; }}
.st-key-learn_sections [data-testid="stExpander"] summary p {{ font-size: min(1.3rem, 7vw) !important;
  font-weight: 600; }}
.st-key-learn_sections [data-testid="stExpanderDetails"] h3 {{ font-size: min(1.1rem, 7vw) !important; }}
</style>""")


def danger_zone(key: str):
    """A container whose buttons look destructive."""
    return st.container(key=DANGER_PREFIX + key)
