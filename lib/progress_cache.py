"""How much the Progress page may keep in memory between runs, and for how long.

What is kept: each chart's finished Vega-Lite spec with its text alternative. Building one is the
expensive part of the page (Altair walks and validates every row: about 40 ms for a two-week chart,
150-200 ms for a year) while the result is small (5-60 KB). What is not kept: her rows, the
DataFrames and the View (a year is about 0.5 MB), which take a few milliseconds to read and compute
again; keeping them was what filled a server's memory.

The budget is in bytes (what the kept specs take, pickled, as Streamlit's ``st.cache_data`` counts
them), so a year of logs and two weeks cost what they weigh: when a new spec would go over the
budget, the least recently used ones go first. Every entry also expires after ``TTL_SECONDS``.

``MAGNESIUM_CACHE_BYTES`` sets the budget (a whole number of bytes); the default suits a host with
1 GB of memory.
"""

from __future__ import annotations

import os

ENV_CACHE_BYTES = "MAGNESIUM_CACHE_BYTES"
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024
TTL_SECONDS = 120


def cache_bytes() -> int:
    """The byte budget of the Progress page's chart cache (``MAGNESIUM_CACHE_BYTES`` or the default)."""
    raw = os.environ.get(ENV_CACHE_BYTES, "").strip().replace("_", "")
    if not raw:
        return DEFAULT_CACHE_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{ENV_CACHE_BYTES} must be a whole number of bytes, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{ENV_CACHE_BYTES} must be a positive number of bytes, not {value}")
    return value
