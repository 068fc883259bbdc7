"""What the Progress page shows for one scope, computed once from her rows (pure, no Streamlit).

A scope is ``"challenge:<id>"`` (one challenge, her current one by default) or ``"history"``
(all her logged days across all her challenges). The page reads her rows once per run, asks for a
``View`` and renders it; only the charts' specs are kept between runs (``lib/progress_cache.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from lib import analysis, charts, locales, wording
from lib.i18n import t

HISTORY = "history"
# "Day by day", as she first finds it on the Progress page: the two ratings the challenge is most about for
# her practitioner's clients, sleep and muscle tension (she adds any other in the page's picker). Each chart
# is one Vega view for a phone to draw (about 40 ms on a 2-core machine); two fit the first screens better
# than three.
DAY_BY_DAY = ("sleep_quality", "muscle_tension")


def challenge_scope(challenge_id: int) -> str:
    return f"challenge:{challenge_id}"


def default_scope(challenges: Sequence[dict]) -> str | None:
    """Her active challenge, else her latest one; None without any."""
    if not challenges:
        return None
    active = [c for c in challenges if c.get("status") == "active"]
    chosen = active[0] if active else max(challenges, key=lambda c: (c["start_date"], c["id"]))
    return challenge_scope(chosen["id"])


def scope_label(scope: str, challenges: Sequence[dict], lang: str) -> str:
    if scope == HISTORY:
        return t("progress.scope_history", lang)
    cid = int(scope.split(":", 1)[1])
    ch = next((c for c in challenges if c["id"] == cid), None)
    if ch is None:
        return scope
    date = format_date(ch["start_date"], lang)
    if ch.get("status") == "active":
        return t("progress.scope_current", lang, date=date)
    latest = max(challenges, key=lambda c: (c["start_date"], c["id"]))
    return t("progress.scope_latest" if ch is latest else "progress.scope_earlier", lang, date=date)


def scope_options(challenges: Sequence[dict]) -> list[str]:
    """Current (or latest) first, then the earlier ones, then the history view when there are several."""
    first = default_scope(challenges)
    if first is None:
        return []
    rest = [challenge_scope(c["id"]) for c in sorted(challenges, key=lambda c: (c["start_date"], c["id"]),
                                                      reverse=True)]
    options = [first] + [s for s in rest if s != first]
    return options + [HISTORY]


def format_date(value, lang: str) -> str:
    """"3 maart 2026" / "3 March 2026"."""
    return locales.date_long(value, lang)


@dataclass
class View:
    scope: str
    lang: str
    challenge: dict | None
    logs: list[dict]
    trajectory: pd.DataFrame
    summary: list[str]
    comparison: analysis.Comparison | None = None
    prepost: analysis.PrePostResult | None = None
    adherence: analysis.Adherence | None = None
    adherence_frame: pd.DataFrame | None = None
    prepost_frame: pd.DataFrame | None = None
    comparison_frame: pd.DataFrame | None = None
    history_frame: pd.DataFrame | None = None
    nights: list[analysis.Split] = field(default_factory=list)
    period: tuple[str, str] | None = None


def build_view(
    challenges: Sequence[dict], logs: Sequence[dict], assessments: dict, scope: str, lang: str,
    today: dt.date | None = None,
) -> View:
    if scope == HISTORY:
        tests = [row for kinds in assessments.values() for row in kinds.values()]
        frame = charts.trajectory_frame(logs, challenges, tests, lang=lang, today=today)
        hist = charts.history_frame(challenges, assessments, lang)
        days = {r["day"] for r in logs}
        summary = [t("progress.history_summary", lang, days=wording.count("days", len(days), lang),
                     challenges=wording.count("challenges", len(challenges), lang)),
                   t("progress.summary.caveat", lang)]
        period = (logs[0]["day"], logs[-1]["day"]) if logs else None
        return View(scope, lang, None, list(logs), frame, summary, history_frame=hist,
                    nights=analysis.better_nights(logs), period=period)
    cid = int(scope.split(":", 1)[1])
    challenge = next(c for c in challenges if c["id"] == cid)
    mine = [r for r in logs if r.get("challenge_id") == cid]
    tests = assessments.get(cid, {})
    comparison = analysis.compare_phases(mine, challenge, today)
    prepost = analysis.pre_post(tests)
    adh = analysis.adherence(mine, challenge, today)
    frame = charts.trajectory_frame(mine, [challenge], tests, lang=lang, today=today)
    period = (frame["date"].iloc[0], frame["date"].iloc[-1]) if len(frame) else None
    return View(
        scope, lang, challenge, mine, frame,
        wording.summary(comparison, prepost, adh, lang),
        comparison=comparison, prepost=prepost, adherence=adh,
        adherence_frame=charts.adherence_frame(mine, challenge, today, lang),
        prepost_frame=charts.prepost_frame(prepost, lang) if prepost else None,
        comparison_frame=charts.comparison_frame(comparison, lang),
        nights=analysis.better_nights(mine), period=period,
    )


def demo_view(lang: str) -> View:
    """The "see an example" view, from the generated demo participant (never stored)."""
    from lib import demo

    d = demo.demo_participant(lang)
    ch = d["challenge"]
    return build_view([ch], d["logs"], {ch["id"]: d["assessments"]}, challenge_scope(ch["id"]), lang)


# -- the chart registry: the page, its PNG downloads and the PDF all draw a chart by its name here --------
@dataclass(frozen=True)
class ChartKind:
    frame: Callable[[View], pd.DataFrame | None]  # its rows (None or empty: nothing to draw)
    draw: Callable[..., alt.TopLevelMixin]  # (view, rating, width, height) -> an unfinished chart
    text: Callable[[View, str | None], str]  # the text alternative (and caption)
    label_key: str  # i18n key naming it in a download button
    for_challenge: bool  # True: a single challenge's view; False: the history view
    max_width: int | None = None  # a fixed-width image is no wider than this


def _trajectory(v: View, rating, width, height):
    return charts.trajectory_chart(v.trajectory, rating, v.lang, width=width, **({"height": height} if height else {}))


CHARTS: dict[str, ChartKind] = {
    "trajectory": ChartKind(lambda v: v.trajectory, _trajectory,
                            lambda v, r: charts.trajectory_text(v.trajectory, r, v.lang), "progress.png_trajectory",
                            True),
    "adherence": ChartKind(lambda v: v.adherence_frame,
                           lambda v, r, width, height: charts.adherence_chart(v.adherence_frame, v.lang, width=width),
                           lambda v, r: charts.adherence_text(v.adherence_frame, v.lang), "progress.png_adherence",
                           True, max_width=360),
    "prepost": ChartKind(lambda v: v.prepost_frame,
                         lambda v, r, width, height: charts.prepost_chart(v.prepost_frame, v.lang, width=width,
                                                                          plot_height=height),
                         lambda v, r: charts.prepost_text(v.prepost, v.lang), "progress.png_prepost", True),
    "comparison": ChartKind(lambda v: v.comparison_frame,
                            lambda v, r, width, height: charts.comparison_chart(v.comparison_frame, v.comparison.mode,
                                                                                v.lang, width=width),
                            lambda v, r: charts.comparison_text(v.comparison, v.lang), "progress.png_comparison",
                            True),
    "history": ChartKind(lambda v: v.history_frame,
                         lambda v, r, width, height: charts.history_chart(v.history_frame, v.lang, width=width),
                         lambda v, r: charts.history_text(v.history_frame, v.lang), "progress.section_history",
                         False),
}


def chart_names(view: View) -> list[str]:
    """The charts this view has, in page order (trajectory first, for both kinds of view)."""
    single = view.challenge is not None
    return [n for n, k in CHARTS.items() if n == "trajectory" or k.for_challenge == single]


def has_chart(view: View, name: str) -> bool:
    frame = CHARTS[name].frame(view)
    return frame is not None and bool(len(frame))


def chart(view: View, name: str, rating: str | None = None, *, width: int | str = "container",
          height: int | None = None) -> alt.TopLevelMixin:
    """One chart of a view by its name (not yet finished with ``charts.finish``)."""
    kind = CHARTS[name]
    if isinstance(width, int) and kind.max_width:
        width = min(width, kind.max_width)
    return kind.draw(view, rating, width, height)


def chart_text(view: View, name: str, rating: str | None = None) -> str:
    return CHARTS[name].text(view, rating)
