"""Her own before/after story, as plain numbers: pure functions, no Streamlit, no database.

Why this shape: a fair comparison for one person needs phases, not two points (see the product
brief). With a logged baseline week the magnesium phase is compared with it; without one, the
first three logged days are compared with the last three and the result is labelled "change
during the two weeks", never an effect of magnesium. Missing days are never imputed.

Per rating: the mean difference (challenge minus baseline, turned so that positive means better
for that rating's direction) with a seeded bootstrap 95 % interval over days, and NAP (the share
of baseline-challenge day pairs in which the challenge day is better, ties counting half).
"Better" needs the interval above zero AND NAP >= 0.66; "worse" the interval below zero AND
NAP <= 0.34 (Parker & Vannest's "medium" band); everything else is "no clear difference".

Day numbers (day N of 14) and phase ranges come from the challenge rules in ``lib/challenge.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from lib import challenge as challenge_rules
from lib import locales
from lib import signals as signals_mod
from lib.i18n import t

CHALLENGE_DAYS = 14
MIN_PHASE_DAYS = 3  # logged days with a value, per phase, before any words are said
EDGE_DAYS = 3  # first three vs last three when there is no baseline
NAP_BETTER = 0.66
NAP_WORSE = 0.34
BOOTSTRAP_ROUNDS = 2000
SEED = 20170813  # fixed: the same data always gives the same interval and the same words
MIN_SIDE_DAYS = 3  # "what goes with better nights": days needed on each side

BETTER, NO_CLEAR, WORSE, TOO_FEW = "better", "no_clear", "worse", "too_few"
MODE_BASELINE, MODE_CHANGE = "baseline", "change"


# -- the statistics ----------------------------------------------------------------------------
def nap(before: Sequence[float], after: Sequence[float], higher_is_better: bool) -> float | None:
    """Non-overlap of all pairs: share of (before, after) pairs where ``after`` is better; ties half."""
    if not before or not after:
        return None
    score = 0.0
    for a in before:
        for b in after:
            if a == b:
                score += 0.5
            elif (b > a) == higher_is_better:
                score += 1.0
    return score / (len(before) * len(after))


def bootstrap_interval(
    before: Sequence[float], after: Sequence[float], *, rounds: int = BOOTSTRAP_ROUNDS, seed: int = SEED
) -> tuple[float, float]:
    """95 % percentile interval of mean(after) - mean(before), resampling days within each phase."""
    rng = np.random.default_rng(seed)
    b = np.asarray(before, dtype=float)
    a = np.asarray(after, dtype=float)
    mb = b[rng.integers(0, len(b), size=(rounds, len(b)))].mean(axis=1)
    ma = a[rng.integers(0, len(a), size=(rounds, len(a)))].mean(axis=1)
    lo, hi = np.percentile(ma - mb, [2.5, 97.5])
    return float(lo), float(hi)


@dataclass
class RatingComparison:
    rating: str
    higher_is_better: bool
    n_before: int
    n_after: int
    mean_before: float | None = None
    mean_after: float | None = None
    diff: float | None = None  # mean_after - mean_before, in rating points
    improvement: float | None = None  # diff turned so that positive = better
    ci_low: float | None = None  # interval of the improvement
    ci_high: float | None = None
    nap: float | None = None  # share of pairs where the later phase is better
    verdict: str = TOO_FEW


def compare_values(
    rating: str, before: Sequence[float], after: Sequence[float], higher_is_better: bool, *, seed: int = SEED
) -> RatingComparison:
    """One rating's comparison; TOO_FEW below ``MIN_PHASE_DAYS`` values in either phase."""
    res = RatingComparison(rating, higher_is_better, len(before), len(after))
    if len(before) < MIN_PHASE_DAYS or len(after) < MIN_PHASE_DAYS:
        return res
    sign = 1.0 if higher_is_better else -1.0
    res.mean_before = statistics.fmean(before)
    res.mean_after = statistics.fmean(after)
    res.diff = res.mean_after - res.mean_before
    res.improvement = sign * res.diff
    lo, hi = bootstrap_interval(before, after, seed=seed)
    res.ci_low, res.ci_high = sorted((sign * lo, sign * hi))
    res.nap = nap(before, after, higher_is_better)
    if res.ci_low > 0 and res.nap >= NAP_BETTER:
        res.verdict = BETTER
    elif res.ci_high < 0 and res.nap <= NAP_WORSE:
        res.verdict = WORSE
    else:
        res.verdict = NO_CLEAR
    return res


# -- phases of one challenge -------------------------------------------------------------------
@dataclass
class PhaseCompleteness:
    phase: str
    logged: int
    days: int  # calendar days of the phase so far

    @property
    def share(self) -> float:
        return self.logged / self.days if self.days else 0.0


@dataclass
class Comparison:
    mode: str  # MODE_BASELINE or MODE_CHANGE
    ratings: list[RatingComparison]
    completeness: list[PhaseCompleteness]

    def by_rating(self) -> dict[str, RatingComparison]:
        return {r.rating: r for r in self.ratings}


def _directions() -> dict[str, bool]:
    found = {rating: sig.higher_is_better for rating, sig in signals_mod.by_rating().items()}
    return {r: found.get(r, False) for r in signals_mod.rating_columns()}


def _values(logs: Iterable[dict], rating: str) -> list[float]:
    return [float(row[rating]) for row in logs if row.get(rating) is not None]


def compare_phases(
    logs: Sequence[dict], challenge: dict | None = None, today: dt.date | None = None, *, seed: int = SEED
) -> Comparison:
    """Per rating: baseline vs magnesium phase when she logged a baseline; else first vs last three days."""
    logs = sorted(logs, key=lambda r: r["day"])
    directions = _directions()
    baseline = [r for r in logs if r.get("phase") == "baseline"]
    magnesium = [r for r in logs if r.get("phase") != "baseline"]
    completeness: list[PhaseCompleteness] = []
    if challenge is not None:
        ranges = challenge_rules.phase_ranges(challenge, today)
        for phase, (a, b) in ranges.items():
            rows = baseline if phase == "baseline" else magnesium
            logged = sum(1 for r in rows if a <= challenge_rules.as_date(r["day"]) <= b)
            completeness.append(PhaseCompleteness(phase, logged, (b - a).days + 1))
    ratings = []
    if baseline:
        mode = MODE_BASELINE
        for col in signals_mod.rating_columns():
            ratings.append(
                compare_values(col, _values(baseline, col), _values(magnesium, col), directions[col], seed=seed)
            )
    else:
        mode = MODE_CHANGE
        for col in signals_mod.rating_columns():
            values = _values(magnesium, col)
            if len(values) < 2 * EDGE_DAYS:
                ratings.append(RatingComparison(col, directions[col], min(len(values), EDGE_DAYS),
                                                max(0, len(values) - EDGE_DAYS)))
                continue
            ratings.append(
                compare_values(col, values[:EDGE_DAYS], values[-EDGE_DAYS:], directions[col], seed=seed)
            )
    return Comparison(mode, ratings, completeness)


# -- pre-test versus post-test -----------------------------------------------------------------
@dataclass
class PrePost:
    signal: str  # signal id
    pre: int | None
    post: int | None

    @property
    def improvement(self) -> int | None:
        """Frequency went down by this much (the test asks how often a complaint happened)."""
        if self.pre is None or self.post is None:
            return None
        return self.pre - self.post


@dataclass
class PrePostResult:
    rows: list[PrePost]
    total_pre: float | None
    total_post: float | None

    @property
    def total_improvement(self) -> float | None:
        if self.total_pre is None or self.total_post is None:
            return None
        return self.total_pre - self.total_post


def pre_post(assessments: dict) -> PrePostResult | None:
    """Per signal and total, sorted by the largest improvement first; None without both tests."""
    pre, post = assessments.get("pre"), assessments.get("post")
    if not pre or not post:
        return None
    rows = [PrePost(s.id, pre["answers"].get(s.id), post["answers"].get(s.id)) for s in signals_mod.signals()]
    rows.sort(key=lambda r: (r.improvement is None, -(r.improvement or 0)))
    total_pre = pre.get("score")
    total_post = post.get("score")
    if total_pre is None:
        total_pre = signals_mod.signal_score(pre["answers"])[0]
    if total_post is None:
        total_post = signals_mod.signal_score(post["answers"])[0]
    return PrePostResult(rows, total_pre, total_post)


# -- what goes with better nights --------------------------------------------------------------
@dataclass
class Split:
    factor: str  # "magnesium", "relaxation", "coffee"
    label_with: str  # i18n suffix for the "with" side
    label_without: str
    mean_with: float
    n_with: int
    mean_without: float
    n_without: int
    threshold: float | None = None


def better_nights(logs: Sequence[dict]) -> list[Split]:
    """Sleep quality on days with vs without magnesium, more vs less relaxation, less vs more coffee.

    Shown only with at least ``MIN_SIDE_DAYS`` days with a sleep rating on both sides. The split for
    relaxation and coffee is at her own median, so it works whatever her habits are.
    """
    rated = [r for r in logs if r.get("sleep_quality") is not None]
    out: list[Split] = []

    def add(factor, with_rows, without_rows, lw, lwo, threshold=None):
        if len(with_rows) >= MIN_SIDE_DAYS and len(without_rows) >= MIN_SIDE_DAYS:
            out.append(Split(factor, lw, lwo,
                             statistics.fmean(r["sleep_quality"] for r in with_rows), len(with_rows),
                             statistics.fmean(r["sleep_quality"] for r in without_rows), len(without_rows),
                             threshold))

    add("magnesium", [r for r in rated if r.get("applied")], [r for r in rated if not r.get("applied")],
        "with", "without")
    for factor, col, more_is_with in (("relaxation", "relaxation_minutes", True), ("coffee", "coffee_cups", False)):
        have = [r for r in rated if r.get(col) is not None]
        if not have:
            continue
        med = statistics.median(r[col] for r in have)
        high = [r for r in have if r[col] > med]
        low = [r for r in have if r[col] <= med]
        if more_is_with:
            add(factor, high, low, "more", "less", med)
        else:
            add(factor, low, high, "less", "more", med)
    return out


# -- adherence ---------------------------------------------------------------------------------
@dataclass
class Adherence:
    logged: int
    days: int
    applied: int


def adherence(logs: Sequence[dict], challenge: dict | None, today: dt.date | None = None) -> Adherence:
    """Logged days and magnesium days within the magnesium phase so far."""
    rng = challenge_rules.phase_ranges(challenge, today).get("magnesium") if challenge else None
    if rng is None:
        rows = [r for r in logs if r.get("phase") != "baseline"]
        return Adherence(len(rows), len(rows), sum(1 for r in rows if r.get("applied")))
    a, b = rng
    rows = [r for r in logs if r.get("phase") != "baseline" and a <= challenge_rules.as_date(r["day"]) <= b]
    return Adherence(len(rows), (b - a).days + 1, sum(1 for r in rows if r.get("applied")))


# -- words -------------------------------------------------------------------------------------
def fmt_num(value: float, lang: str, digits: int = 1) -> str:
    """A number the way she reads it: a decimal comma in Dutch."""
    return locales.number(value, lang, digits)


def rating_name(rating: str, lang: str) -> str:
    sig = signals_mod.by_rating().get(rating)
    return sig.text("rating", lang) if sig else rating


def _join(names: list[str], lang: str) -> str:
    """"energy, mood and stress": names in the middle of a sentence, lower-case."""
    names = [n[:1].lower() + n[1:] for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + t("progress.summary.and", lang) + names[-1]


def summary(
    comparison: Comparison, prepost: PrePostResult | None, adh: Adherence | None, lang: str
) -> list[str]:
    """Three or four sentences: what improved most, what did not change, adherence, the caveat.

    The words never claim a cause: "fits with", "no clear difference", and always the caveat.
    """
    sentences: list[str] = []
    judged = [r for r in comparison.ratings if r.verdict != TOO_FEW]
    better = sorted((r for r in judged if r.verdict == BETTER), key=lambda r: -(r.improvement or 0))
    worse = [r for r in judged if r.verdict == WORSE]
    unclear = [r for r in judged if r.verdict == NO_CLEAR]
    mode_key = "baseline" if comparison.mode == MODE_BASELINE else "change"
    if not judged:
        sentences.append(t(f"progress.summary.too_few_{mode_key}", lang, n=MIN_PHASE_DAYS))
    elif better:
        top = better[0]
        sentences.append(t(f"progress.summary.best_{mode_key}", lang, signal=rating_name(top.rating, lang),
                           points=fmt_num(abs(top.diff or 0), lang)))
    else:
        sentences.append(t(f"progress.summary.none_better_{mode_key}", lang))
    if worse:
        names = _join([rating_name(r.rating, lang) for r in worse], lang)
        sentences.append(t("progress.summary.worse", lang, signals=names))
    elif unclear and better:
        sentences.append(t("progress.summary.unchanged", lang,
                           signals=_join([rating_name(r.rating, lang) for r in unclear[:3]], lang)))
    elif prepost is not None and prepost.total_improvement is not None:
        key = "progress.summary.prepost_down" if prepost.total_improvement > 0 else "progress.summary.prepost_same"
        if prepost.total_improvement < 0:
            key = "progress.summary.prepost_up"
        sentences.append(t(key, lang, pre=fmt_num(prepost.total_pre, lang, 0),
                           post=fmt_num(prepost.total_post, lang, 0)))
    if adh is not None and adh.days:
        sentences.append(t("progress.summary.adherence", lang, logged=adh.logged, days=adh.days, applied=adh.applied))
    sentences.append(t("progress.summary.caveat", lang))
    return sentences[:4]
