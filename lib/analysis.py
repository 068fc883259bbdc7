"""Her own before/after story, as numbers and verdict codes: pure functions, no Streamlit, no words.

Why this shape: a fair comparison for one person needs phases, not two points (see the product
brief), and one question asked once, not eight. So each challenge has ONE primary outcome, fixed
when it starts (``challenges.primary_outcome``): by default her overall complaint score of a day
(the direction-corrected mean of the ratings she gave that day, 0-100, lower = fewer complaints; a
day with fewer than ``MIN_RATINGS_PER_DAY`` ratings counts as missing), or the one complaint she
picked. The headline verdict is about that outcome; the eight ratings are details, judged with
Holm's correction so that the page as a whole does not cry wolf.

The decision rule (measured, not assumed: ``python -m bench.calibration``): a permutation test on
the difference of the two phases' means, exact when the number of splits is small, else a seeded
Monte-Carlo one; two-sided at ``ALPHA``. Its interval comes from inverting the same test (the
shifts it does not reject) and is never narrower than half a rating point either side, because
whole-number ratings cannot show finer differences (a constant series thus gets no zero-width
interval). "Better"/"worse" needs the test to reject AND that interval to exclude zero. Below
``MIN_PHASE_DAYS`` days per phase there is no verdict, only how many more evenings are needed.

With a logged baseline the magnesium phase is compared with it; without one, the first half of the
logged days is compared with the last half, labelled "change during the challenge", never an effect
of magnesium. Missing days are never imputed. Sentences are composed in ``lib/wording.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from lib import challenge as challenge_rules
from lib import signals as signals_mod

CHALLENGE_DAYS = 14
MIN_PHASE_DAYS = 5  # days with a value per phase before any verdict (set by bench/calibration.py)
MIN_RATINGS_PER_DAY = 4  # k: a day's overall score needs at least this many of the eight ratings
ALPHA = 0.035  # two-sided; 0.05 let day-to-day persistence (AR(1) 0.3) through too often (bench/calibration.py)
EXACT_SPLITS = 5000  # up to this many splits the permutation test is exact; beyond, Monte-Carlo
PERMUTATIONS = 4000  # Monte-Carlo splits (seeded)
RESOLUTION = 0.5  # rating points: the interval is never narrower than this either side of the estimate
SEED = 20170813  # fixed: the same data always gives the same p-value, interval and words
MIN_SIDE_DAYS = 3  # "what goes with better nights": days needed on each side
OVERALL = "overall"  # the default primary outcome
SCORE_SCALE = 10.0  # 0-10 ratings -> 0-100 score

BETTER, NO_CLEAR, WORSE, TOO_FEW = "better", "no_clear", "worse", "too_few"
MODE_BASELINE, MODE_CHANGE = "baseline", "change"


# -- the statistics ----------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _split_masks(n_before: int, n_after: int, seed: int) -> np.ndarray:
    """Rows of 0/1 (1 = the day goes to the later phase): all splits, or a seeded random sample."""
    n = n_before + n_after
    if math.comb(n, n_after) <= EXACT_SPLITS:
        masks = np.zeros((math.comb(n, n_after), n))
        for i, idx in enumerate(itertools.combinations(range(n), n_after)):
            masks[i, list(idx)] = 1.0
        return masks
    rng = np.random.default_rng(seed + 1000 * n_before + n_after)
    base = np.r_[np.zeros(n_before), np.ones(n_after)]
    return rng.permuted(np.tile(base, (PERMUTATIONS, 1)), axis=1)


def _is_exact(n_before: int, n_after: int) -> bool:
    return math.comb(n_before + n_after, n_after) <= EXACT_SPLITS


def permutation_p(before: Sequence[float], after: Sequence[float], *, shift: float = 0.0, seed: int = SEED) -> float:
    """Two-sided p-value of mean(after) - mean(before) = ``shift``, by re-splitting the days."""
    b = np.asarray(before, dtype=float)
    a = np.asarray(after, dtype=float) - shift
    x = np.r_[b, a]
    nb, na = len(b), len(a)
    masks = _split_masks(nb, na, seed)
    sums = masks @ x
    diffs = sums / na - (x.sum() - sums) / nb
    observed = abs(a.mean() - b.mean())
    extreme = int(np.count_nonzero(np.abs(diffs) >= observed - 1e-9))
    if _is_exact(nb, na):
        return extreme / len(masks)
    return (extreme + 1) / (len(masks) + 1)


def shift_interval(before: Sequence[float], after: Sequence[float], *, seed: int = SEED,
                   resolution: float = RESOLUTION) -> tuple[float, float]:
    """Shifts of mean(after) - mean(before) the test does not reject at ``ALPHA`` (test inversion),
    widened to at least ``resolution`` either side of the estimate."""
    est = statistics.fmean(after) - statistics.fmean(before)
    span = (max(max(before), max(after)) - min(min(before), min(after))) + 2 * resolution + 1.0

    def accepted(d: float) -> bool:
        return permutation_p(before, after, shift=d, seed=seed) >= ALPHA

    def edge(direction: int) -> float:
        inside, outside = est, est + direction * span
        for _ in range(24):
            mid = (inside + outside) / 2
            if accepted(mid):
                inside = mid
            else:
                outside = mid
        return inside

    lo, hi = edge(-1), edge(+1)
    return min(lo, est - resolution), max(hi, est + resolution)


def decide(before: Sequence[float], after: Sequence[float], higher_is_better: bool, *, seed: int = SEED,
           resolution: float = RESOLUTION) -> tuple[str, float | None]:
    """(verdict code, p-value): the headline rule. The calibration bench calls exactly this."""
    if len(before) < MIN_PHASE_DAYS or len(after) < MIN_PHASE_DAYS:
        return TOO_FEW, None
    diff = statistics.fmean(after) - statistics.fmean(before)
    p = permutation_p(before, after, seed=seed)
    # The widened interval excludes zero only when the difference is larger than the resolution too.
    if p < ALPHA and abs(diff) > resolution:
        return (BETTER if (diff > 0) == higher_is_better else WORSE), p
    return NO_CLEAR, p


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values (None stays None: no test for that rating)."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(present):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


@dataclass
class RatingComparison:
    rating: str  # a rating column, or OVERALL
    higher_is_better: bool
    n_before: int
    n_after: int
    mean_before: float | None = None
    mean_after: float | None = None
    diff: float | None = None  # mean_after - mean_before, in the outcome's points
    improvement: float | None = None  # diff turned so that positive = better
    ci_low: float | None = None  # interval of the improvement
    ci_high: float | None = None
    p: float | None = None  # permutation p-value (for the details: Holm-adjusted)
    verdict: str = TOO_FEW
    needed: int = 0  # more evenings with a value before a verdict is possible
    scale: float = 1.0  # 1: a 0-10 rating; 10: the 0-100 overall score


def compare_values(
    rating: str, before: Sequence[float], after: Sequence[float], higher_is_better: bool, *, seed: int = SEED,
    scale: float = 1.0, needed: int | None = None,
) -> RatingComparison:
    """One outcome's comparison; TOO_FEW below ``MIN_PHASE_DAYS`` values in either phase."""
    res = RatingComparison(rating, higher_is_better, len(before), len(after), scale=scale)
    res.needed = (needed if needed is not None
                  else max(0, MIN_PHASE_DAYS - len(before)) + max(0, MIN_PHASE_DAYS - len(after)))
    if len(before) < MIN_PHASE_DAYS or len(after) < MIN_PHASE_DAYS:
        return res
    res.needed = 0
    sign = 1.0 if higher_is_better else -1.0
    res.mean_before = statistics.fmean(before)
    res.mean_after = statistics.fmean(after)
    res.diff = res.mean_after - res.mean_before
    res.improvement = sign * res.diff
    res.verdict, res.p = decide(before, after, higher_is_better, seed=seed, resolution=RESOLUTION * scale)
    lo, hi = shift_interval(before, after, seed=seed, resolution=RESOLUTION * scale)
    res.ci_low, res.ci_high = sorted((sign * lo, sign * hi))
    return res


def _holm_verdicts(details: list[RatingComparison]) -> None:
    """The eight ratings judged together: a rating is better/worse only when Holm still rejects."""
    adjusted = holm([r.p if r.verdict != TOO_FEW else None for r in details])
    for r, p_adj in zip(details, adjusted, strict=True):
        if p_adj is None:
            continue
        r.p = p_adj
        if r.verdict in (BETTER, WORSE) and p_adj >= ALPHA:
            r.verdict = NO_CLEAR


# -- the primary outcome -----------------------------------------------------------------------
def primary_outcome(challenge: dict | None) -> str:
    """The challenge's primary outcome (fixed when it started): OVERALL or one rating column."""
    chosen = (challenge or {}).get("primary_outcome") or OVERALL
    return chosen if chosen == OVERALL or chosen in signals_mod.rating_columns() else OVERALL


def outcome_higher_is_better(outcome: str) -> bool:
    return False if outcome == OVERALL else _directions()[outcome]


def day_score(row: dict, directions: dict[str, bool] | None = None, k: int = MIN_RATINGS_PER_DAY) -> float | None:
    """The day's overall complaint score, 0-100 (lower = fewer complaints); None below k ratings."""
    directions = directions or _directions()
    complaints = [(10 - row[c]) if up else row[c] for c, up in directions.items() if row.get(c) is not None]
    if len(complaints) < k:
        return None
    return SCORE_SCALE * statistics.fmean(complaints)


def outcome_values(logs: Iterable[dict], outcome: str, directions: dict[str, bool] | None = None) -> list[float]:
    """The outcome's value on each day that has one, in day order (missing days are left out)."""
    if outcome == OVERALL:
        directions = directions or _directions()
        scores = (day_score(r, directions) for r in logs)
        return [s for s in scores if s is not None]
    return _values(logs, outcome)


def split_change(values: Sequence[float]) -> tuple[list[float], list[float], int]:
    """Without a baseline: (first half, last half, evenings still needed); the middle day of an odd count waits."""
    half = len(values) // 2
    needed = max(0, 2 * MIN_PHASE_DAYS - len(values))
    return list(values[:half]), list(values[len(values) - half:]), needed


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
    ratings: list[RatingComparison]  # the details, Holm-corrected
    completeness: list[PhaseCompleteness]
    primary: RatingComparison | None = None  # the headline: the primary outcome
    outcome: str = OVERALL
    method: dict = field(default_factory=dict)  # for the fold-out: exact or Monte-Carlo, splits, alpha

    def by_rating(self) -> dict[str, RatingComparison]:
        return {r.rating: r for r in self.ratings}


def _directions() -> dict[str, bool]:
    found = {rating: sig.higher_is_better for rating, sig in signals_mod.by_rating().items()}
    return {r: found.get(r, False) for r in signals_mod.rating_columns()}


def _values(logs: Iterable[dict], rating: str) -> list[float]:
    return [float(row[rating]) for row in logs if row.get(rating) is not None]


def _compare_outcome(outcome: str, baseline: list[dict], magnesium: list[dict], directions: dict[str, bool],
                     seed: int) -> RatingComparison:
    scale = SCORE_SCALE if outcome == OVERALL else 1.0
    higher = False if outcome == OVERALL else directions[outcome]
    if baseline:
        return compare_values(outcome, outcome_values(baseline, outcome, directions),
                              outcome_values(magnesium, outcome, directions), higher, seed=seed, scale=scale)
    first, last, needed = split_change(outcome_values(magnesium, outcome, directions))
    if needed:
        return RatingComparison(outcome, higher, len(first), len(last), needed=needed, scale=scale)
    return compare_values(outcome, first, last, higher, seed=seed, scale=scale, needed=0)


def compare_phases(
    logs: Sequence[dict], challenge: dict | None = None, today: dt.date | None = None, *, seed: int = SEED,
) -> Comparison:
    """The primary outcome's headline and the per-rating details: baseline vs magnesium phase when
    she logged a baseline; else the first half of her logged days vs the last half."""
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
    mode = MODE_BASELINE if baseline else MODE_CHANGE
    details = [_compare_outcome(col, baseline, magnesium, directions, seed) for col in signals_mod.rating_columns()]
    _holm_verdicts(details)
    outcome = primary_outcome(challenge)
    primary = _compare_outcome(outcome, baseline, magnesium, directions, seed)
    method = {"alpha": ALPHA, "min_days": MIN_PHASE_DAYS, "k": MIN_RATINGS_PER_DAY,
              "exact": _is_exact(primary.n_before, primary.n_after) if primary.verdict != TOO_FEW else True,
              "permutations": PERMUTATIONS, "resolution": RESOLUTION * primary.scale}
    return Comparison(mode, details, completeness, primary, outcome, method)


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
