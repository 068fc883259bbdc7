"""The daily log's eight 0-10 rating scales, drawn by the browser itself (``st.components.v2``).

Each scale is a radio group of eleven buttons with the rating's name and its two anchors as its label,
read out by a screen reader with each number. Nothing is preset: a scale she does not tap stays empty, and
a tap on the chosen number clears it again. Every tap reaches the server at once and lives in her session
(under the form's key, one per day), so a phone that was locked for a while and reconnects still has it.

Why not eight ``st.segmented_control``: each of their 88 buttons is a React component with its own styles
and a Markdown label, and drawing them made the log the slowest page on a phone (about 180 ms of a page
change on a 2-core machine). Here the browser draws plain buttons once per day's form and afterwards only
changes which one is chosen (lib/ui/rating_scales.js), so the keyboard's focus stays where it was.

Sizes: one row of eleven at 390 px, each button about 32 px wide and 32 px tall (WCAG 2.2 asks at least 24);
with large text (200 %) a scale wraps onto a second row (8 + 3) instead of cutting its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from lib import theme

NAME = "mg_rating_scales"
_JS = (Path(__file__).with_name("rating_scales.js")).read_text(encoding="utf-8")


def _css() -> str:
    th = theme.current()
    return f"""
.mg-scales {{ display: flex; flex-direction: column; gap: .35rem; }}
.mg-scale-label {{ font-size: .8rem; line-height: 1.25; color: {th.text}; margin-bottom: .1rem; }}
.mg-scale [role="radiogroup"] {{ display: flex; flex-wrap: wrap; row-gap: .25rem; width: 100%; }}
.mg-scale button {{ flex: 1 0 1.35rem; min-width: 1.35rem; min-height: 2rem; margin: 0 0 0 -1px; padding: 0;
  font: inherit; font-size: .9rem; line-height: 1; color: {th.text}; background: {th.background};
  border: 1px solid {th.border}; border-radius: 0; cursor: pointer; touch-action: manipulation; }}
.mg-scale button:first-child {{ margin-left: 0; border-radius: {th.button_radius} 0 0 {th.button_radius}; }}
.mg-scale button:last-child {{ border-radius: 0 {th.button_radius} {th.button_radius} 0; }}
.mg-scale button[aria-checked="true"] {{ background: {th.primary}; border-color: {th.primary}; color: #fff;
  font-weight: 600; position: relative; }}
.mg-scale button:focus-visible {{ outline: 2px solid {th.primary}; outline-offset: 1px; position: relative;
  z-index: 1; }}
@media (hover: hover) {{ .mg-scale button:hover {{ border-color: {th.primary}; position: relative; }} }}
"""


_component = st.components.v2.component(NAME, js=_JS, css=_css(), isolate_styles=False)


def current(state: Mapping | None, names: list[str], saved: Mapping) -> dict[str, int | None]:
    """Each scale's value: what she tapped in this form (a cleared scale is None), else what was saved."""
    tapped = dict(state or {})
    return {n: _rating(tapped[n]) if n in tapped else _rating(saved.get(n)) for n in names}


def _rating(value) -> int | None:
    return None if value is None else int(value)


def show(key: str, scales: list[tuple[str, str]], saved: Mapping) -> dict[str, int | None]:
    """The scales ``[(name, label), ...]`` under ``key`` (one key per day's form), starting from ``saved``
    (the day's stored ratings, or nothing); returns the value of each as it stands now."""
    names = [n for n, _ in scales]
    # The browser shows her taps itself (they are what it sent); the server sends only the saved values,
    # so a tap never waits for, or is undone by, a run that started before it.
    tapped = _component(key=key, data={"form": key, "saved": current(None, names, saved),
                                       "scales": [{"name": n, "label": label} for n, label in scales]})
    return current(tapped, names, saved)
