"""The daily log's rating scales (lib/ui/rating_scales.py): what each scale stands at."""

from __future__ import annotations

from lib.ui import rating_scales

NAMES = ["sleep_quality", "energy", "mood"]


def test_nothing_tapped_and_nothing_saved_is_not_rated():
    assert rating_scales.current(None, NAMES, {}) == {n: None for n in NAMES}


def test_a_saved_day_shows_its_ratings_as_whole_numbers():
    saved = {"sleep_quality": 6.0, "energy": None, "mood": 3}
    assert rating_scales.current({}, NAMES, saved) == {"sleep_quality": 6, "energy": None, "mood": 3}


def test_her_taps_win_over_the_saved_day_and_a_cleared_tap_is_not_rated():
    saved = {"sleep_quality": 6, "energy": 4, "mood": 3}
    tapped = {"sleep_quality": 0, "energy": None}  # a real 0; energy tapped and tapped again: cleared
    assert rating_scales.current(tapped, NAMES, saved) == {"sleep_quality": 0, "energy": None, "mood": 3}
