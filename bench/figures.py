"""Small pieces the single-figure benchmark scripts share: medians in milliseconds, and the printout."""

from __future__ import annotations

import json
import statistics


def median_ms(samples: list[float], digits: int = 2) -> float:
    """The median of durations in seconds, in milliseconds."""
    return round(statistics.median(samples) * 1000, digits)


def print_figures(name: str, result: dict) -> None:
    """One aligned line per figure, then the whole result as one JSON line under ``name``."""
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps({name: result}))
