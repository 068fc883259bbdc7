"""The one place where Progress numbers become sentences: the page, the summary and the PDF read them here.

``lib/analysis.py`` returns numbers and verdict codes only; this module turns them into her language with
``lib/i18n.py`` (texts) and ``lib/locales.py`` (numbers, plural forms). The main text stays in plain words;
the method (test, interval, correction) is in ``method`` for a fold-out.
"""

from __future__ import annotations

from lib import analysis, locales
from lib import challenge as rules
from lib import signals as signals_mod
from lib.i18n import plural, t


def fmt_num(value: float, lang: str, digits: int = 1) -> str:
    """A number the way she reads it: a decimal comma in Dutch."""
    return locales.number(value, lang, digits)


def count(what: str, n: float, lang: str) -> str:
    """"1 dag", "3 dagen", "1 challenge": a number with its noun in the form her language uses for it
    (``common.count.<what>`` in content/i18n)."""
    return plural(f"common.count.{what}", n, lang)


def rating_name(rating: str, lang: str) -> str:
    sig = signals_mod.by_rating().get(rating)
    return sig.text("rating", lang) if sig else rating


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def _join(names: list[str], lang: str) -> str:
    """"energy, mood and stress": names in the middle of a sentence, lower-case."""
    names = [_lower(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + t("progress.summary.and", lang) + names[-1]


def outcome_name(outcome: str, lang: str) -> str:
    """"Your overall score" / "Your rating for stress" (at the start of a sentence)."""
    if outcome == analysis.OVERALL:
        return t("progress.headline.outcome_overall", lang)
    return t("progress.headline.outcome_rating", lang, rating=_lower(rating_name(outcome, lang)))


def outcome_value(value: float, res: analysis.RatingComparison, lang: str) -> str:
    """The overall score as a whole number (0-100); a 0-10 rating with one decimal."""
    return fmt_num(value, lang, 0 if res.scale > 1 else 1)


def headline(comparison: analysis.Comparison, lang: str) -> str:
    """The primary outcome's verdict in plain words: no test names, no acronyms."""
    res = comparison.primary
    if res is None or res.verdict == analysis.TOO_FEW:
        needed = res.needed if res is not None else 2 * analysis.MIN_PHASE_DAYS
        return plural("progress.headline.too_few", needed, lang)
    mode = comparison.mode
    values = {"outcome": outcome_name(res.rating, lang), "before": outcome_value(res.mean_before, res, lang),
              "after": outcome_value(res.mean_after, res, lang)}
    if res.verdict in (analysis.BETTER, analysis.WORSE):
        values["direction"] = t(f"progress.headline.direction_{res.verdict}", lang)
        return t(f"progress.headline.clear_{mode}", lang, **values)
    return t(f"progress.headline.unclear_{mode}", lang, **values)


def details_sentence(comparison: analysis.Comparison, lang: str) -> str | None:
    """Ratings that stand out even after the correction for judging eight at once; None when none does."""
    better = [r for r in comparison.ratings if r.verdict == analysis.BETTER and r.rating != comparison.outcome]
    worse = [r for r in comparison.ratings if r.verdict == analysis.WORSE and r.rating != comparison.outcome]
    parts = []
    if better:
        parts.append(t("progress.summary.details_better", lang,
                       signals=_join([rating_name(r.rating, lang) for r in better], lang)))
    if worse:
        parts.append(t("progress.summary.details_worse", lang,
                       signals=_join([rating_name(r.rating, lang) for r in worse], lang)))
    return " ".join(parts) or None


def detail_line(res: analysis.RatingComparison, lang: str) -> str:
    """One rating in the details fold-out: "Stress: from 6.1 to 4.0, no clear difference"."""
    name = rating_name(res.rating, lang)
    verdict = t(f"progress.verdict_{res.verdict}", lang)
    if res.verdict == analysis.TOO_FEW:
        return t("progress.details.line_too_few", lang, signal=name, verdict=verdict)
    return t("progress.details.line", lang, signal=name, before=fmt_num(res.mean_before, lang),
             after=fmt_num(res.mean_after, lang), verdict=verdict)


def method(comparison: analysis.Comparison, lang: str) -> str:
    """The fold-out for the curious: which test, which interval, which correction, and how it was checked."""
    res = comparison.primary
    m = comparison.method
    parts = [t(f"progress.method.compare_{comparison.mode}", lang)]
    if res is not None and res.verdict != analysis.TOO_FEW:
        splits = (t("progress.method.exact", lang) if m.get("exact")
                  else t("progress.method.monte_carlo", lang, n=fmt_num(m["permutations"], lang, 0)))
        parts.append(t("progress.method.test", lang, splits=splits, p=fmt_num(res.p or 0, lang, 3)))
        parts.append(t("progress.method.interval", lang, low=outcome_value(res.ci_low, res, lang),
                       high=outcome_value(res.ci_high, res, lang),
                       resolution=outcome_value(m["resolution"], res, lang)))
    resolution = fmt_num(m["resolution"], lang, 0 if m["resolution"] >= 1 else 1)
    parts.append(t("progress.method.rule", lang, alpha=fmt_num(100 * analysis.ALPHA, lang), resolution=resolution,
                   n=analysis.MIN_PHASE_DAYS, k=analysis.MIN_RATINGS_PER_DAY))
    parts.append(t("progress.method.holm", lang))
    parts.append(t("progress.method.calibration", lang))
    return " ".join(parts)


def summary(
    comparison: analysis.Comparison, prepost: analysis.PrePostResult | None, adh: analysis.Adherence | None,
    lang: str,
) -> list[str]:
    """Up to four sentences: the headline, what stood out in the details, the tests or adherence, the caveat.

    The words never claim a cause, and the caveat is always there.
    """
    sentences = [headline(comparison, lang)]
    extra = details_sentence(comparison, lang)
    if extra:
        sentences.append(extra)
    if prepost is not None and prepost.total_improvement is not None:
        key = "progress.summary.prepost_down" if prepost.total_improvement > 0 else "progress.summary.prepost_same"
        if prepost.total_improvement < 0:
            key = "progress.summary.prepost_up"
        sentences.append(t(key, lang, pre=fmt_num(prepost.total_pre, lang, 0),
                           post=fmt_num(prepost.total_post, lang, 0)))
    elif adh is not None and adh.days:
        sentences.append(t("progress.summary.adherence", lang, logged=adh.logged, days=adh.days,
                           applied=adh.applied))
    sentences = sentences[:3]
    sentences.append(t("progress.summary.caveat", lang))
    return sentences


def night_line(split: analysis.Split, lang: str) -> str:
    """"What goes with better nights": two averages side by side, never "better"."""
    return t(f"progress.nights_{split.factor}", lang, a=fmt_num(split.mean_with, lang),
             na=count("days", split.n_with, lang),
             b=fmt_num(split.mean_without, lang), nb=count("days", split.n_without, lang),
             threshold=fmt_num(split.threshold or 0, lang, 0))


def countdown(challenge: dict, today, lang: str) -> str:
    """The count-down in words that say what they count: baseline days, then magnesium days."""
    kind, n = rules.countdown(challenge, today)
    if kind == rules.BASELINE:
        day_one = rules.magnesium_day_one(challenge)
        if n == 0:
            return t("challenge.countdown_baseline_last", lang, days=rules.CHALLENGE_DAYS)
        return plural("challenge.countdown_baseline", n, lang, days=rules.CHALLENGE_DAYS,
                      date=locales.date_long(day_one, lang))
    if kind == rules.MAGNESIUM:
        return plural("challenge.countdown_magnesium", n, lang)
    return t("challenge.countdown_done", lang)
