"""The before/after analysis on worked examples: the numbers and the words she will read."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import analysis as a
from lib import challenge as rules
from lib.i18n import t
from lib.signals import rating_columns

MG = dt.date(2026, 3, 8)


def challenge(with_baseline=True):
    start = MG - dt.timedelta(days=7) if with_baseline else MG
    return {"id": 1, "start_date": start.isoformat(), "with_baseline": int(with_baseline),
            "magnesium_start": MG.isoformat(), "status": "active"}


def log(day: dt.date, phase="magnesium", applied=1, **ratings):
    row = {"day": day.isoformat(), "challenge_id": 1, "phase": phase, "applied": applied,
           "relaxation_minutes": None, "coffee_cups": None, "note": ""}
    row.update({c: None for c in rating_columns()})
    row.update(ratings)
    return row


def phases(base_values, mg_values, rating="sleep_quality", skip=()):
    """Baseline days MG-7..MG-1 and magnesium days MG..; ``skip`` = day offsets she did not log."""
    rows = []
    for i, v in enumerate(base_values):
        day = MG - dt.timedelta(days=len(base_values) - i)
        if (day - MG).days not in skip:
            rows.append(log(day, "baseline", 0, **{rating: v}))
    for i, v in enumerate(mg_values):
        day = MG + dt.timedelta(days=i)
        if i not in skip:
            rows.append(log(day, **{rating: v}))
    return rows


def test_nap_matches_a_hand_count():
    # Pairs (before, after) for [2, 3, 5] x [4, 5, 6]: after is higher in 7 pairs, one tie (5, 5),
    # lower in one (5, 4): (7 + 0.5) / 9.
    assert a.nap([2, 3, 5], [4, 5, 6], True) == pytest.approx(7.5 / 9)
    # Lower is better: only (5, 4) is better, the tie counts half: 1.5 / 9.
    assert a.nap([2, 3, 5], [4, 5, 6], False) == pytest.approx(1.5 / 9)
    assert a.nap([], [1], True) is None


def test_no_data_says_too_few_and_keeps_the_caveat():
    comp = a.compare_phases([], challenge(), MG + dt.timedelta(days=2))
    assert all(r.verdict == a.TOO_FEW for r in comp.ratings)
    words = a.summary(comp, None, a.adherence([], challenge(), MG + dt.timedelta(days=2)), "en")
    assert words[0] == t("progress.summary.too_few_change", "en", n=3)
    assert words[-1] == t("progress.summary.caveat", "en")
    assert 2 <= len(words) <= 4


def test_one_day_is_too_few():
    comp = a.compare_phases([log(MG, sleep_quality=7)], challenge(False))
    assert comp.by_rating()["sleep_quality"].verdict == a.TOO_FEW
    assert comp.mode == a.MODE_CHANGE


def test_every_day_logged_with_a_clear_improvement_is_better():
    rows = phases([3, 4, 3, 4, 3, 4, 3], [6, 7, 6, 7, 8, 7, 6, 7, 8, 7, 8, 7, 8, 8])
    comp = a.compare_phases(rows, challenge(), MG + dt.timedelta(days=20))
    sleep = comp.by_rating()["sleep_quality"]
    assert comp.mode == a.MODE_BASELINE
    assert (sleep.n_before, sleep.n_after) == (7, 14)
    assert sleep.verdict == a.BETTER
    assert sleep.nap == 1.0
    assert sleep.ci_low > 0
    assert sleep.mean_after - sleep.mean_before == pytest.approx(sleep.diff)
    assert [(c.phase, c.logged, c.days) for c in comp.completeness] == [("baseline", 7, 7), ("magnesium", 14, 14)]
    words = a.summary(comp, None, a.adherence(rows, challenge(), MG + dt.timedelta(days=20)), "nl")
    assert words[0].startswith("Slaapkwaliteit was in de magnesiumfase duidelijk beter")
    assert "3,7" in words[0]  # (100/14 - 24/7) with a decimal comma
    assert "bewijst niet" in words[0]


def test_missed_days_are_counted_not_filled_in():
    rows = phases([3, 4, 3, 4, 3, 4, 3], [6, 7, 6, 7, 8, 7, 6, 7, 8, 7, 8, 7, 8, 8], skip={-3, 2, 5, 9})
    today = MG + dt.timedelta(days=20)
    comp = a.compare_phases(rows, challenge(), today)
    assert [(c.phase, c.logged, c.days) for c in comp.completeness] == [("baseline", 6, 7), ("magnesium", 11, 14)]
    sleep = comp.by_rating()["sleep_quality"]
    assert (sleep.n_before, sleep.n_after) == (6, 11)
    adh = a.adherence(rows, challenge(), today)
    assert (adh.logged, adh.days, adh.applied) == (11, 14, 11)


def test_a_signal_that_got_worse_is_called_worse_direction_aware():
    # Headache: lower is better, so rising values are worse.
    rows = phases([1, 2, 1, 2, 1, 2, 1], [5, 6, 5, 6, 5, 6, 5, 6], rating="headache")
    comp = a.compare_phases(rows, challenge(), MG + dt.timedelta(days=10))
    head = comp.by_rating()["headache"]
    assert head.verdict == a.WORSE
    assert head.improvement < 0 and head.ci_high < 0
    assert head.nap == 0.0
    words = a.summary(comp, None, None, "en")
    assert t("progress.summary.worse", "en", signals="headache") in words
    # Falling muscle tension is an improvement.
    rows = phases([7, 8, 7, 8, 7], [4, 3, 4, 3, 4], rating="muscle_tension")
    tension = a.compare_phases(rows, challenge()).by_rating()["muscle_tension"]
    assert tension.verdict == a.BETTER and tension.improvement > 0


def test_all_ties_give_no_clear_difference():
    rows = phases([5] * 7, [5] * 14)
    sleep = a.compare_phases(rows, challenge()).by_rating()["sleep_quality"]
    assert sleep.nap == 0.5
    assert (sleep.ci_low, sleep.ci_high) == (0.0, 0.0)
    assert sleep.verdict == a.NO_CLEAR


def test_high_nap_alone_is_not_enough():
    # Most pairs favour the later days, but with so few days the interval still touches zero.
    cmp = a.compare_values("sleep_quality", [5, 5, 6], [5, 6, 7], True)
    assert cmp.nap >= a.NAP_BETTER
    assert cmp.ci_low <= 0
    assert cmp.verdict == a.NO_CLEAR


def test_the_seeded_bootstrap_gives_the_same_words_every_time():
    rows = phases([4, 5, 3, 6, 4, 5, 4], [5, 6, 4, 7, 5, 6, 6, 5, 7, 6, 5, 6, 7, 6])
    first = a.compare_phases(rows, challenge())
    for _ in range(5):
        again = a.compare_phases(rows, challenge())
        assert [(r.verdict, r.ci_low, r.ci_high) for r in again.ratings] == [
            (r.verdict, r.ci_low, r.ci_high) for r in first.ratings]
        assert a.summary(again, None, None, "nl") == a.summary(first, None, None, "nl")


def test_without_baseline_it_is_change_during_the_two_weeks_first_three_vs_last_three():
    rows = [log(MG + dt.timedelta(days=i), sleep_quality=v) for i, v in enumerate([3, 3, 4, 9, 1, 9, 7, 8, 8])]
    comp = a.compare_phases(rows, challenge(False))
    sleep = comp.by_rating()["sleep_quality"]
    assert comp.mode == a.MODE_CHANGE
    assert (sleep.mean_before, sleep.mean_after) == (pytest.approx(10 / 3), pytest.approx(23 / 3))
    assert sleep.verdict == a.BETTER
    words = a.summary(comp, None, None, "en")
    assert "during the two weeks" in words[0] and "not a proven effect of magnesium" in words[0]
    assert not any("magnesium phase" in w for w in words)


def test_pre_post_sorted_by_largest_improvement_with_totals():
    pre = {"sleep": 4, "muscles": 3, "headache": 1, "fatigue": 2}
    post = {"sleep": 1, "muscles": 3, "headache": 2, "fatigue": 1}
    res = a.pre_post({"pre": {"answers": pre, "score": None}, "post": {"answers": post, "score": None}})
    assert [(r.signal, r.improvement) for r in res.rows[:4]] == [("sleep", 3), ("fatigue", 1), ("muscles", 0),
                                                                  ("headache", -1)]
    assert res.total_pre == 62.5 and res.total_post == 43.8
    assert a.pre_post({"pre": {"answers": pre, "score": 60}}) is None


def test_better_nights_only_with_enough_days_on_both_sides():
    rows = [log(MG + dt.timedelta(days=i), applied=int(i % 3 != 0), sleep_quality=6 + (i % 3 != 0),
                relaxation_minutes=[0, 20][i % 2], coffee_cups=2) for i in range(9)]
    splits = {s.factor: s for s in a.better_nights(rows)}
    assert splits["magnesium"].n_with == 6 and splits["magnesium"].n_without == 3
    assert splits["magnesium"].mean_with == 7 and splits["magnesium"].mean_without == 6
    assert "relaxation" in splits
    assert "coffee" not in splits  # every day two cups: nothing to compare
    # Five days: two without magnesium is fewer than three, so that comparison is not shown.
    assert "magnesium" not in {s.factor for s in a.better_nights(rows[:5])}


def test_day_numbers_and_phase_ranges():
    ch = challenge()
    assert rules.day_number(ch, MG) == 1
    assert rules.day_number(ch, MG + dt.timedelta(days=13)) == 14
    assert rules.day_number(ch, MG - dt.timedelta(days=1)) == 0
    ranges = rules.phase_ranges(ch, today=MG + dt.timedelta(days=3))
    assert ranges == {"baseline": (MG - dt.timedelta(days=7), MG - dt.timedelta(days=1)),
                      "magnesium": (MG, MG + dt.timedelta(days=3))}


def test_while_the_baseline_runs_magnesium_day_one_is_the_day_after_baseline_day_7():
    ch = {"start_date": "2026-03-01", "with_baseline": 1, "magnesium_start": None}
    assert rules.phase_ranges(ch, dt.date(2026, 3, 4)) == {"baseline": (dt.date(2026, 3, 1), dt.date(2026, 3, 4))}
    assert rules.magnesium_day_one(ch) == dt.date(2026, 3, 8)
    no_baseline = {"start_date": "2026-03-01", "with_baseline": 0, "magnesium_start": None}
    assert rules.phase_ranges(no_baseline) == {"magnesium": (dt.date(2026, 3, 1), dt.date(2026, 3, 14))}


def test_numbers_in_her_language():
    assert a.fmt_num(2.26, "nl") == "2,3"
    assert a.fmt_num(1.5, "en") == "1.5"
    assert a.fmt_num(1.5, "nl") == "1,5"


ratings_lists = st.lists(st.integers(0, 10), min_size=1, max_size=15)


@settings(max_examples=60, deadline=None)
@given(ratings_lists, ratings_lists, st.booleans())
def test_nap_and_words_hold_their_promises(before, after, higher):
    value = a.nap(before, after, higher)
    assert 0 <= value <= 1
    assert a.nap(after, before, higher) == pytest.approx(1 - value)  # swapping the phases mirrors it
    res = a.compare_values("energy", before, after, higher)
    if min(len(before), len(after)) < a.MIN_PHASE_DAYS:
        assert res.verdict == a.TOO_FEW
    elif res.verdict == a.BETTER:
        assert res.ci_low > 0 and res.nap >= a.NAP_BETTER and res.improvement > 0
    elif res.verdict == a.WORSE:
        assert res.ci_high < 0 and res.nap <= a.NAP_WORSE and res.improvement < 0
