"""One chart on a page, for every reader: the chart with one short label ("Grafiek: …", its text summary),
and the same summary as a caption below it for everyone.

Vega's own per-point and per-axis labels are switched off in the spec (lib/charts.py ``finish``), so a
screen reader hears the summary once instead of 21-47 raw labels.
"""

from __future__ import annotations

import streamlit as st

from lib import ui


def show(spec: dict, summary: str) -> None:
    st.vega_lite_chart(spec, width="stretch", alt=ui.tr()("progress.chart_label", summary=summary))
    st.caption(summary)
