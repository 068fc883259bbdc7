"""How much the Progress page may keep in memory between runs, and for how long.

What is kept: each chart's finished Vega-Lite spec with its text alternative. Building one is the
expensive part of the page (Altair walks and validates every row: about 40 ms for a two-week chart,
150-200 ms for a year) while the result is small (5-60 KB). What is not kept: her rows, the
DataFrames and the View (a year is about 0.5 MB), which take a few milliseconds to read and compute
again. Keeping views, and specs as live dicts (about ten times their pickled size), for up to 256 and
2,048 entries an hour long was what filled a server's memory.

The budget is in bytes (what the kept specs take, pickled, as Streamlit's ``st.cache_data`` counts
them), so a year of logs and two weeks cost what they weigh: when a new spec would go over the
budget, the least recently used ones go first. Every entry also expires after ``TTL_SECONDS``.

The budget is the setting ``cache_bytes`` (``MAGNESIUM_CACHE_BYTES``, or ``cache_bytes`` in the
``[magnesium]`` table of ``.streamlit/secrets.toml``; ``lib/settings.py``); its default, 32 MiB,
suits a host with 1 GB of memory (see "Hosting notes" in the README).
"""

from __future__ import annotations

from lib import settings

TTL_SECONDS = 120


def cache_bytes() -> int:
    """The byte budget of the Progress page's chart cache."""
    return settings.current().cache_bytes
