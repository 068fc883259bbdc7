"""``python -m bench.calibration``: how often the Progress headline cries wolf, measured with the app's own rule.

Model of a participant with NO real change: each day's rating is ``round(clip(5 + e, 0, 10))``, ``e`` normal
with SD 1.5, either independent from day to day or AR(1) with rho = 0.3 (a good week tends to stay good),
eight ratings per day, each its own series. For every cell of the grid (baseline days from the minimum to 7
x challenge days from the minimum to 14, plus the no-baseline split of the challenge's first against last
days) it counts how often the headline says "better" or "worse": the false-alarm rate, for the default
outcome (the overall complaint score) and for one picked complaint. Then the power: the share of
participants with a real shift of +2 points on one rating (her picked complaint) at 7 vs 14 independent days
whose headline says "better". Every figure comes with its simulation error (one standard error).

The rule itself is ``lib.analysis.decide`` on ``lib.analysis.outcome_values`` (and ``split_change``
without a baseline): exactly what the Progress page, the summary and the PDF use. Seeded; results also go
to ``bench/calibration.json``. ``--quick`` runs fewer participants per cell (a check that it all runs).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lib import analysis  # noqa: E402
from lib.signals import rating_columns  # noqa: E402

SEED = 17
SD = 1.5
RHO = 0.3
MAX_BASELINE = 7
MAX_CHALLENGE = 14
TARGET_FA_INDEPENDENT = 0.05
TARGET_FA_AR1 = 0.12
TARGET_POWER = 0.65
POWER_SHIFT = 2
POWER_CELL = (7, 14)


def simulate(rng: np.random.Generator, days: int, rho: float, n_ratings: int) -> np.ndarray:
    """(days, n_ratings) whole-number ratings 0-10 around 5, SD 1.5, AR(1) with ``rho`` per rating."""
    e = np.empty((days, n_ratings))
    e[0] = rng.normal(0, SD, n_ratings)
    innovation = SD * math.sqrt(1 - rho**2)
    for t in range(1, days):
        e[t] = rho * e[t - 1] + rng.normal(0, innovation, n_ratings)
    return np.rint(np.clip(5 + e, 0, 10))


def rows_of(values: np.ndarray) -> list[dict]:
    cols = rating_columns()
    return [dict(zip(cols, map(float, day), strict=True)) for day in values]


def headline(values: np.ndarray, n_baseline: int, outcome: str, directions: dict[str, bool]) -> str:
    """The app's headline verdict for simulated days (the first ``n_baseline`` are the baseline)."""
    rows = rows_of(values)
    higher = analysis.outcome_higher_is_better(outcome)
    if n_baseline:
        before = analysis.outcome_values(rows[:n_baseline], outcome, directions)
        after = analysis.outcome_values(rows[n_baseline:], outcome, directions)
    else:
        before, after, needed = analysis.split_change(analysis.outcome_values(rows, outcome, directions))
        if needed:
            return analysis.TOO_FEW
    return analysis.decide(before, after, higher)[0]


def rate(hits: int, n: int) -> tuple[float, float]:
    p = hits / n
    return p, math.sqrt(max(p * (1 - p), 1e-12) / n)


def false_alarms(rng, n_baseline: int, n_challenge: int, rho: float, outcome: str, sims: int,
                 directions: dict[str, bool]) -> tuple[float, float]:
    hits = 0
    for _ in range(sims):
        values = simulate(rng, n_baseline + n_challenge, rho, len(directions))
        hits += headline(values, n_baseline, outcome, directions) in (analysis.BETTER, analysis.WORSE)
    return rate(hits, sims)


def power(rng, sims: int, outcome: str, directions: dict[str, bool]) -> tuple[float, float]:
    """+2 points, in the better direction, on one rating from magnesium day 1 on."""
    nb, nc = POWER_CELL
    rating = "sleep_quality"
    col = list(directions).index(rating)
    hits = 0
    for _ in range(sims):
        e = simulate(rng, nb + nc, 0.0, len(directions)) - 5  # independent days
        e[nb:, col] += POWER_SHIFT if directions[rating] else -POWER_SHIFT
        values = np.rint(np.clip(5 + e, 0, 10))
        hits += headline(values, nb, outcome, directions) == analysis.BETTER
    return rate(hits, sims)


def run(sims: int = 1000, power_sims: int = 1000) -> dict:
    rng = np.random.default_rng(SEED)
    directions = analysis._directions()
    lo = analysis.MIN_PHASE_DAYS
    outcomes = (analysis.OVERALL, "stress")
    cells = []
    for model, rho, target in (("independent", 0.0, TARGET_FA_INDEPENDENT), ("AR(1) rho=0.3", RHO, TARGET_FA_AR1)):
        for nb in [*range(lo, MAX_BASELINE + 1), 0]:
            for nc in range(2 * lo if nb == 0 else lo, MAX_CHALLENGE + 1):
                for outcome in outcomes:
                    fa, se = false_alarms(rng, nb, nc, rho, outcome, sims, directions)
                    cells.append({"model": model, "baseline": nb or "none", "challenge": nc, "outcome": outcome,
                                  "false_alarms": fa, "se": se, "target": target, "met": fa <= target})
    pw = []
    for outcome in ("sleep_quality", analysis.OVERALL):
        p, se = power(rng, power_sims, outcome, directions)
        pw.append({"cell": f"{POWER_CELL[0]} vs {POWER_CELL[1]}", "primary_outcome": outcome, "power": p, "se": se,
                   "target": TARGET_POWER if outcome != analysis.OVERALL else None,
                   "met": p >= TARGET_POWER if outcome != analysis.OVERALL else None})
    return {"rule": "permutation test on the difference of means, two-sided alpha "
                    f"{analysis.ALPHA}, interval by test inversion (at least +/-{analysis.RESOLUTION} point)",
            "min_phase_days": lo, "k": analysis.MIN_RATINGS_PER_DAY, "sims_per_cell": sims,
            "power_sims": power_sims, "seed": SEED, "false_alarms": cells, "power": pw}


def pct(p: float, se: float) -> str:
    return f"{100 * p:4.1f}% ±{100 * se:3.1f}"


def report(result: dict) -> str:
    lines = [f"rule: {result['rule']}",
             f"minimum days per phase: {result['min_phase_days']}; k (ratings for a day's overall score): "
             f"{result['k']}; {result['sims_per_cell']} simulated participants per cell; ± = one simulation SE", ""]
    for model in ("independent", "AR(1) rho=0.3"):
        cells = [c for c in result["false_alarms"] if c["model"] == model]
        target = cells[0]["target"]
        for outcome in sorted({c["outcome"] for c in cells}, key=lambda o: o != analysis.OVERALL):
            mine = [c for c in cells if c["outcome"] == outcome]
            worst = max(mine, key=lambda c: c["false_alarms"])
            met = all(c["met"] for c in mine)
            lines.append(f"False alarms, {model}, primary outcome {outcome} (target ≤ {100 * target:.0f}% in every "
                         f"cell): {'met' if met else 'NOT MET'} (worst {pct(worst['false_alarms'], worst['se'])})")
            sizes = sorted({c["challenge"] for c in mine})
            lines.append("baseline \\ challenge " + "".join(f"{n:>13}" for n in sizes))
            for nb in [b for b in dict.fromkeys(c["baseline"] for c in mine)]:
                row = {c["challenge"]: c for c in mine if c["baseline"] == nb}
                label = "no baseline (split)" if nb == "none" else f"{nb} days"
                lines.append(f"{label:<21}" + "".join(
                    f"{pct(row[n]['false_alarms'], row[n]['se']) + ('' if row[n]['met'] else '!'):>13}"
                    if n in row else f"{'':>13}" for n in sizes))
            lines.append("")
    for p in result["power"]:
        mark = "" if p["met"] is None else (" met" if p["met"] else " NOT MET")
        target = "" if p["target"] is None else f" (target ≥ {100 * p['target']:.0f}%)"
        lines.append(f"Power, +{POWER_SHIFT} points on sleep quality at {p['cell']} independent days, primary outcome "
                     f"{p['primary_outcome']}: {pct(p['power'], p['se'])}{target}{mark}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calibration", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer simulated participants per cell")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    result = run(sims=60, power_sims=200) if args.quick else run()
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(report(result))
    print(f"\n{result['seconds']} s")
    (ROOT / "bench" / "calibration.json").write_text(json.dumps(result, indent=2))
    met = all(c["met"] for c in result["false_alarms"]) and all(p["met"] is not False for p in result["power"])
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
