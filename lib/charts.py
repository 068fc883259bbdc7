"""Altair charts of her progress: functions from plain rows / DataFrames to ``alt.Chart``.

Pages only render what these return. Design rules kept here:
- missed days stay missing: the frame has a row for every calendar day, with nulls where she did
  not log, and lines break at nulls (``invalid="break-paths-show-domains"``), never drawn across;
- the 3-day rolling mean is the mean of the logged days in the calendar window [day-2, day], shown
  only on logged days (nothing is imputed);
- colours from the Okabe-Ito palette (safe for colour-blind readers);
- Dutch month/day names and decimal commas in Dutch through Vega-Lite's format locale;
- every chart comes with a short text alternative (``*_text``) for screen readers and the PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from lib import analysis, locales, theme, wording
from lib import challenge as challenge_rules
from lib import signals as signals_mod
from lib.challenge import as_date
from lib.i18n import t

# Okabe & Ito (2008): distinguishable with the common forms of colour blindness.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#BBBBBB"
PHASE_COLOURS = {"baseline": OKABE_ITO["yellow"], "magnesium": OKABE_ITO["sky_blue"]}
VERDICT_COLOURS = {
    analysis.BETTER: OKABE_ITO["green"],
    analysis.NO_CLEAR: OKABE_ITO["blue"],
    analysis.WORSE: OKABE_ITO["vermillion"],
}

DAY = "utcyearmonthdate"  # ISO dates are parsed as UTC midnight: keep every step in UTC


def locale(lang: str) -> dict:
    """Vega-Lite ``config.locale`` for her language (numbers and dates, from lib/locales.py)."""
    return locales.vega_locale(lang)


# Readable on a 390-px phone: no text under 12 px (titles 14), and a little room around the plot so a dot
# on the edge of the scale or the first line of a title is never cut off.
TEXT_PX = 12
TITLE_PX = 14
PADDING = {"left": 4, "right": 10, "top": 6, "bottom": 4}
INK = theme.current().text


def finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """Attach the locale and a calm, phone-friendly look.

    Vega's own ARIA is off (``aria: false`` for the chart, its marks, axes, legends and titles): it would
    read out every point ("date_end: 2 mrt 2026; phase_name: basisweek") and every axis ("X-axis for a utc
    scale"). The page gives the chart one label, its text summary (lib/ui/chart_view.py)."""
    return (
        chart.properties(padding=PADDING).configure(locale=locale(lang), aria=False)
        .configure_mark(aria=False)
        .configure_view(stroke=None)
        # Text in the theme's text colour (Streamlit's chart theme greys it, below 4.5:1 on white).
        .configure_axis(labelFontSize=TEXT_PX, titleFontSize=TEXT_PX, titleFontWeight="normal",
                        labelColor=INK, titleColor=INK, aria=False)
        .configure_legend(labelFontSize=TEXT_PX, titleFontSize=TEXT_PX, labelLimit=0, labelColor=INK,
                          titleColor=INK, aria=False)
        .configure_title(fontSize=TITLE_PX, subtitleFontSize=TEXT_PX, subtitlePadding=8, anchor="start", offset=8,
                         color=INK, subtitleColor=INK, aria=False)
        .configure_text(fontSize=TEXT_PX)
    )


def _two_lines(label: str) -> list[str]:
    """A long axis label on two lines ("bijna elke dag" -> "bijna" / "elke dag"), so the labels of a
    narrow phone chart never run together."""
    words = label.split()
    if len(label) <= 9 or len(words) < 2:
        return [label]
    return [words[0], " ".join(words[1:])]


def spec(chart: alt.TopLevelMixin, lang: str) -> dict:
    """``finish(chart, lang).to_dict()``, the same dict, without Altair walking every row.

    Why: Altair converts and validates a chart value by value, rows included; for a year of days that
    was most of the Progress page's work (150-200 ms per chart on a small server). Here each chart's
    rows are swapped for a named placeholder while Altair converts the chart itself, then put back in
    place, so the page gets exactly the spec ``to_dict()`` gives.
    """
    finished = finish(chart, lang)
    rows: dict[str, tuple[dict, ...]] = {}
    swapped: list[tuple[alt.SchemaBase, alt.Data]] = []

    def swap(node) -> None:
        data = getattr(node, "data", alt.Undefined)
        if isinstance(data, alt.Data) and isinstance(data.values, tuple):
            name = f"_rows_{id(data.values)}"
            rows[name] = data.values
            swapped.append((node, data))
            node.data = alt.Data(name=name)
        for attr in ("layer", "vconcat", "hconcat", "concat"):
            children = getattr(node, attr, alt.Undefined)
            if isinstance(children, list):
                for child in children:
                    swap(child)

    swap(finished)
    try:
        # Not validated again here: the same builders' ``to_dict()`` is validated by the tests, which
        # check that this gives exactly that dict for every chart (Altair's schema check was a tenth of
        # the server's CPU per session).
        out = finished.to_dict(validate=False)
    finally:
        for node, data in swapped:
            node.data = data
    _put_rows(out, rows)
    return out


def page_spec(chart: alt.TopLevelMixin, lang: str) -> dict:
    """The spec the page draws: ``spec(chart, lang)`` with the rows its layers share as a named dataset.

    Why: Altair lifts rows that all layers share to the top of the spec (``data.values``); Streamlit's
    browser side draws such a chart once before those rows arrive, and Vega warns about every empty
    date or number range ("Infinite extent", about 150 warnings on one Progress page). A named dataset
    is there from the first drawing (seen in tests/browser/test_phone_charts_browser.py), and unlike a
    copy of the rows in every layer it is sent once (the Progress benchmark's history view stays as fast).
    """
    out = spec(chart, lang)
    data = out.get("data")
    if isinstance(data, dict) and "values" in data and isinstance(out.get("layer"), list):
        out["datasets"] = {**out.get("datasets", {}), "rows": data["values"]}
        out["data"] = {"name": "rows"}
    return out


def _put_rows(node, rows: dict[str, tuple[dict, ...]]) -> None:
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and data.keys() == {"name"} and data["name"] in rows:
            node["data"] = {"values": list(rows[data["name"]])}
        for value in node.values():
            _put_rows(value, rows)
    elif isinstance(node, list):
        for value in node:
            _put_rows(value, rows)


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def records(frame: pd.DataFrame) -> alt.Data:
    """Inline rows with real JSON nulls for missing values.

    Why not ``alt.Chart(frame)``: Altair's DataFrame sanitising turns None back into NaN, which is
    not valid JSON and would not stay a gap. The rows are read column by column and set, as a
    tuple, after the ``alt.Data`` is made: Altair validates what it is given when it is made, and
    deep-copies lists (not tuples) whenever a chart is layered or configured, row by row, which for a
    year of days cost far more than the chart itself. ``to_dict`` still turns them into a list and
    validates them; ``spec`` leaves them out of that walk.
    """
    columns = list(frame.columns)
    values = [frame[c].tolist() for c in columns]
    clean = [{c: (None if _is_missing(v) else v) for c, v in zip(columns, row, strict=True)}
             for row in zip(*values, strict=True)]
    data = alt.Data(values=[])
    data.values = tuple(clean)
    return data


def _height(plot: int, width: int | str, overhead: int) -> int:
    """Total height when the chart stretches in the page (Streamlit fits title, axes and legend
    inside the given height), the plot's own height for a fixed-width image."""
    return plot + overhead if width == "container" else plot


def _rating_title(rating: str, lang: str) -> str:
    sig = signals_mod.by_rating().get(rating)
    higher = sig.higher_is_better if sig else True
    direction = t("progress.higher_better" if higher else "progress.lower_better", lang)
    return f"{wording.rating_name(rating, lang)} · {direction}"


# -- trajectory --------------------------------------------------------------------------------
def trajectory_frame(
    logs: Sequence[dict],
    challenges: Sequence[dict] = (),
    assessments: dict | Sequence[dict] | None = None,
    *,
    ratings: Sequence[str] | None = None,
    lang: str = "nl",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per calendar day and rating: value (None when not logged), rolling mean, phase, note, test.

    ``assessments`` is one challenge's ``{"pre": row, "post": row}`` or a list of assessment rows
    (the history view marks every test day).
    """
    by_day = {as_date(r["day"]): r for r in logs}
    first_days = list(by_day)
    last_days = list(by_day)
    phases: dict[dt.date, str] = {}
    for ch in challenges:
        for phase, (a, b) in challenge_rules.phase_ranges(ch, today).items():
            first_days.append(a)
            last_days.append(b)
            for i in range((b - a).days + 1):
                phases[a + dt.timedelta(days=i)] = phase
    if not first_days:
        return pd.DataFrame(columns=["date", "date_end", "rating", "value", "rolling", "phase", "note",
                                     "day_label", "test"])
    start, end = min(first_days), max(last_days)
    tests: dict[dt.date, str] = {}
    test_rows = assessments.values() if isinstance(assessments, dict) else (assessments or ())
    for row in test_rows:
        if row and row.get("taken_at"):
            tests[as_date(row["taken_at"])] = t(f"progress.test_{row['kind']}", lang)
    mg_start = {challenge_rules.magnesium_day_one(c) for c in challenges}
    rows = []
    n_days = (end - start).days + 1
    for col in ratings if ratings is not None else signals_mod.rating_columns():
        values: list[float | None] = []
        for i in range(n_days):
            row = by_day.get(start + dt.timedelta(days=i))
            v = row.get(col) if row else None
            values.append(float(v) if v is not None else None)
        for i in range(n_days):
            day = start + dt.timedelta(days=i)
            v = values[i]
            window = [x for x in values[max(0, i - 2): i + 1] if x is not None]
            rolling = sum(window) / len(window) if v is not None and window else None
            log = by_day.get(day)
            phase = phases.get(day) or (log.get("phase") if log else None)
            label = ""
            starts = [s for s in mg_start if s <= day]
            if phase == "magnesium" and starts:
                label = t("progress.day_n", lang, n=(day - max(starts)).days + 1)
            elif phase == "baseline":
                label = t("progress.phase_baseline", lang)
            rows.append({
                "date": day.isoformat(),
                "date_end": (day + dt.timedelta(days=1)).isoformat(),
                "rating": col,
                "value": v,
                "rolling": rolling,
                "phase": phase,
                "note": (log.get("note") or "") if log else "",
                "day_label": label,
                "test": tests.get(day),
            })
    return pd.DataFrame(rows)


def trajectory_chart(frame: pd.DataFrame, rating: str, lang: str, *, width: int | str = "container",
                     height: int = 160) -> alt.LayerChart:
    """One rating over time: phases shaded, test days marked, daily values with gaps, rolling mean."""
    data = frame[frame["rating"] == rating].copy()
    # Vega-Lite needs JSON nulls, not NaN, for the gaps.
    phase_names = {p: t(f"progress.phase_{p}", lang) for p in PHASE_COLOURS}
    data["phase_name"] = [phase_names.get(p) if isinstance(p, str) else None for p in data["phase"]]
    base = alt.Chart(records(data))
    long_span = len(data) > 90  # the history view: months, not days
    x = alt.X("date:T", timeUnit=DAY, title=None,
              axis=alt.Axis(format="%b %Y" if long_span else "%e %b", labelOverlap=True))
    y_scale = alt.Scale(domain=[0, 10])
    shade = base.transform_filter("datum.phase != null").mark_rect(opacity=0.18).encode(
        x=x,
        x2=alt.X2("date_end:T"),
        color=alt.Color("phase_name:N", title=None,
                        scale=alt.Scale(domain=[phase_names["baseline"], phase_names["magnesium"]],
                                        range=[PHASE_COLOURS["baseline"], PHASE_COLOURS["magnesium"]]),
                        legend=alt.Legend(orient="bottom")),
    )
    tests = base.transform_filter("datum.test != null").mark_rule(
        color=OKABE_ITO["purple"], strokeDash=[4, 3], strokeWidth=2
    ).encode(x=x, tooltip=[alt.Tooltip("test:N", title=t("progress.tt_test", lang))])
    tooltip = [
        alt.Tooltip("date:T", timeUnit=DAY, format="%A %e %B %Y", title=t("progress.tt_day", lang)),
        alt.Tooltip("day_label:N", title=t("progress.tt_phase", lang)),
        alt.Tooltip("value:Q", format=".0f", title=t("progress.tt_value", lang)),
        alt.Tooltip("rolling:Q", format=".1f", title=t("progress.tt_rolling", lang)),
        alt.Tooltip("note:N", title=t("progress.tt_note", lang)),
    ]
    daily = base.mark_line(
        color=OKABE_ITO["blue"], strokeWidth=1, opacity=0.6, invalid="break-paths-show-domains",
        point=alt.OverlayMarkDef(filled=True, size=8 if long_span else 30, color=OKABE_ITO["blue"]),
    ).encode(x=x, y=alt.Y("value:Q", scale=y_scale, title=None), tooltip=tooltip)
    rolling = base.mark_line(
        color=OKABE_ITO["vermillion"], strokeWidth=2.5, invalid="break-paths-show-domains"
    ).encode(x=x, y=alt.Y("rolling:Q", scale=y_scale), tooltip=tooltip)
    # A layer whose filter leaves no rows (no test day in view, no phase known) is left out: Vega would
    # warn about an empty date range ("Infinite extent") for each one.
    # Likewise the dots and the mean of a rating she has not rated yet (every day None, as a newcomer's
    # untouched ratings are): the shaded days still give the chart its dates.
    rated = data["value"].notna().any()
    layers = [layer for layer, wanted in ((shade, data["phase"].notna().any()), (tests, data["test"].notna().any()),
                                          (daily, rated), (rolling, rated)) if wanted]
    if not layers or not rated and len(layers) == 1 and layers[0] is tests:
        layers.append(base.mark_line(invalid="break-paths-show-domains").encode(
            x=x, y=alt.Y("value:Q", scale=y_scale, title=None)))
    return alt.layer(*layers).properties(
        title=alt.TitleParams(_rating_title(rating, lang), aria=False),
        width=width, height=_height(height, width, 80),
    )


def trajectory_text(frame: pd.DataFrame, rating: str, lang: str) -> str:
    data = frame[frame["rating"] == rating]
    logged = data["value"].notna().sum()
    if not logged:
        return t("progress.alt_trajectory_empty", lang, signal=wording.rating_name(rating, lang))
    vals = data["value"].dropna()
    return t("progress.alt_trajectory", lang, signal=wording.rating_name(rating, lang), logged=int(logged),
             days=wording.count("days", len(data), lang), first=wording.fmt_num(vals.iloc[0], lang, 0),
             last=wording.fmt_num(vals.iloc[-1], lang, 0), low=wording.fmt_num(vals.min(), lang, 0),
             high=wording.fmt_num(vals.max(), lang, 0))


# -- adherence calendar ------------------------------------------------------------------------
def adherence_frame(logs: Sequence[dict], challenge: dict, today: dt.date | None = None,
                    lang: str = "nl") -> pd.DataFrame:
    """One row per day of the challenge (baseline included) so far: logged / magnesium / minutes."""
    by_day = {as_date(r["day"]): r for r in logs}
    rows = []
    for phase, (a, b) in challenge_rules.phase_ranges(challenge, today).items():
        for i in range((b - a).days + 1):
            day = a + dt.timedelta(days=i)
            log = by_day.get(day)
            if log is None:
                status = "missed"
            elif log.get("applied"):
                status = "applied"
            else:
                status = "logged"
            minutes = log.get("relaxation_minutes") if log else None
            week_start = day - dt.timedelta(days=day.weekday())
            rows.append({
                "date": day.isoformat(),
                "week": week_start.isoformat(),
                "weekday": day.weekday(),
                "phase": phase,
                "status": status,
                "status_name": t(f"progress.status_{status}", lang),
                "minutes": minutes,
                "minutes_label": t("progress.minutes_short", lang, n=minutes) if minutes else "",
            })
    return pd.DataFrame(rows, columns=["date", "week", "weekday", "phase", "status", "status_name",
                                       "minutes", "minutes_label"])


CELL_PX = 38  # the calendar's row height; a cell is this minus its 2-px white border either side


def adherence_chart(frame: pd.DataFrame, lang: str, *, width: int | str = "container") -> alt.LayerChart:
    """The days as a week grid: missed, logged without magnesium, logged with magnesium; minutes of relaxation."""
    data = frame
    names = [t(f"progress.status_{s}", lang) for s in ("missed", "logged", "applied")]
    weekdays = t("progress.weekdays", lang).split(",")
    base = alt.Chart(records(data))
    x = alt.X("weekday:O", title=None, scale=alt.Scale(domain=list(range(7))),
              axis=alt.Axis(labelExpr=f"{weekdays!r}[datum.value]", labelAngle=0, orient="top"))
    y = alt.Y("week:O", title=None, axis=alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%e %b')",
                                                  labelPadding=6))
    tooltip = [
        alt.Tooltip("date:T", timeUnit=DAY, format="%A %e %B", title=t("progress.tt_day", lang)),
        alt.Tooltip("status_name:N", title=t("progress.tt_status", lang)),
        alt.Tooltip("minutes:Q", title=t("progress.tt_minutes", lang)),
    ]
    cells = base.mark_rect(cornerRadius=4, stroke="white", strokeWidth=2).encode(
        x=x, y=y,
        color=alt.Color("status_name:N", title=None,
                        scale=alt.Scale(domain=names, range=["#EEEEEE", OKABE_ITO["orange"], OKABE_ITO["green"]]),
                        legend=alt.Legend(orient="bottom", direction="vertical")),
        tooltip=tooltip,
    )
    text = base.transform_filter("datum.minutes_label != ''").mark_text(fontSize=TEXT_PX, color="black").encode(
        x=x, y=y, text="minutes_label:N", tooltip=tooltip
    )
    # CELL_PX per week row (a cell loses 2 px of white border either side): at least 24 px on a phone. In the
    # page the total height holds the title, the weekday labels and the legend too (about 150 px).
    rows = max(1, data["week"].nunique()) if len(data) else 1
    return alt.layer(cells, text).properties(
        title=alt.TitleParams(t("progress.chart_adherence", lang), subtitle=t("progress.chart_adherence_sub", lang)),
        width=width, height=_height(CELL_PX * rows, width, 150),
    )


def adherence_text(frame: pd.DataFrame, lang: str) -> str:
    logged = int((frame["status"] != "missed").sum())
    applied = int((frame["status"] == "applied").sum())
    minutes = frame["minutes"].dropna()
    return t("progress.alt_adherence", lang, days=wording.count("days", len(frame), lang), logged=logged,
             applied=applied, minutes=wording.count("minutes", int(minutes.sum()) if len(minutes) else 0, lang))


# -- before and after (pre-test vs post-test) --------------------------------------------------
def prepost_frame(result: analysis.PrePostResult, lang: str) -> pd.DataFrame:
    sigs = {s.id: s for s in signals_mod.signals()}
    rows = []
    for order, r in enumerate(result.rows):
        if r.pre is None or r.post is None:
            continue
        rows.append({"signal": r.signal, "label": sigs[r.signal].text("short", lang), "order": order,
                     "pre": r.pre, "post": r.post, "improvement": r.improvement})
    return pd.DataFrame(rows, columns=["signal", "label", "order", "pre", "post", "improvement"])


def prepost_chart(frame: pd.DataFrame, lang: str, *, width: int | str = "container",
                  plot_height: int | None = None) -> alt.LayerChart:
    """A dumbbell per signal (how often, 0-4): before and after, largest improvement on top."""
    freq = [_two_lines(label) for label in signals_mod.frequency_labels(lang)]
    pre_name, post_name = t("progress.test_pre", lang), t("progress.test_post", lang)
    long = frame.melt(id_vars=["signal", "label", "order", "improvement"], value_vars=["pre", "post"],
                      var_name="kind", value_name="frequency")
    long["kind_name"] = long["kind"].map({"pre": pre_name, "post": post_name})
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"))
    # The scale reaches a little past "never" and "almost every day": the dots there are drawn whole and
    # the outer labels stay inside the chart.
    scale = alt.Scale(domain=[-0.45, 4.45], nice=False, zero=False)
    x = alt.X("frequency:Q", title=t("progress.axis_frequency", lang), scale=scale,
              axis=alt.Axis(values=[0, 1, 2, 3, 4], labelExpr=f"{freq!r}[datum.value]", labelAngle=0,
                            labelOverlap=False, labelLineHeight=14, grid=True))
    tooltip = [alt.Tooltip("label:N", title=t("progress.tt_signal", lang)),
               alt.Tooltip("kind_name:N", title=t("progress.tt_test", lang)),
               alt.Tooltip("frequency:Q", title=t("progress.tt_value", lang))]
    bars = alt.Chart(records(frame)).mark_rule(color=GREY, strokeWidth=3).encode(
        y=y, x=alt.X("pre:Q", scale=scale), x2="post:Q")
    dots = alt.Chart(records(long)).mark_point(filled=True, size=110, opacity=1).encode(
        y=y, x=x,
        color=alt.Color("kind_name:N", title=None,
                        scale=alt.Scale(domain=[pre_name, post_name], range=[OKABE_ITO["orange"], OKABE_ITO["blue"]]),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("kind_name:N", title=None, scale=alt.Scale(domain=[pre_name, post_name],
                                                                   range=["circle", "diamond"])),
        tooltip=tooltip,
    )
    return alt.layer(bars, dots).properties(
        title=alt.TitleParams(t("progress.chart_prepost", lang), subtitle=t("progress.chart_prepost_sub", lang)),
        width=width, height=_height(plot_height or 30 * max(1, len(frame)), width, 140),
    )


def prepost_text(result: analysis.PrePostResult, lang: str) -> str:
    sigs = {s.id: s for s in signals_mod.signals()}
    top = result.rows[0] if result.rows and (result.rows[0].improvement or 0) > 0 else None
    return t("progress.alt_prepost", lang,
             pre=wording.fmt_num(result.total_pre or 0, lang, 0), post=wording.fmt_num(result.total_post or 0,
                                                                                         lang, 0),
             top=sigs[top.signal].text("short", lang) if top else "-")


# -- baseline versus challenge: intervals -------------------------------------------------------
def comparison_frame(comparison: analysis.Comparison, lang: str) -> pd.DataFrame:
    rows = []
    for r in comparison.ratings:
        if r.verdict == analysis.TOO_FEW:
            continue
        rows.append({"rating": r.rating, "label": wording.rating_name(r.rating, lang),
                     "improvement": r.improvement, "ci_low": r.ci_low, "ci_high": r.ci_high,
                     "verdict": r.verdict, "verdict_name": t(f"progress.verdict_{r.verdict}", lang),
                     "n_before": r.n_before, "n_after": r.n_after})
    return pd.DataFrame(rows, columns=["rating", "label", "improvement", "ci_low", "ci_high", "verdict",
                                       "verdict_name", "n_before", "n_after"])


def comparison_chart(frame: pd.DataFrame, mode: str, lang: str, *, width: int | str = "container") -> alt.LayerChart:
    """Per rating: the change turned so that right = better, with the range the test does not rule out."""
    names = [t(f"progress.verdict_{v}", lang) for v in VERDICT_COLOURS]
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("improvement", order="descending"))
    tooltip = [
        alt.Tooltip("label:N", title=t("progress.tt_signal", lang)),
        alt.Tooltip("improvement:Q", format="+.1f", title=t("progress.tt_improvement", lang)),
        alt.Tooltip("ci_low:Q", format="+.1f", title=t("progress.tt_ci_low", lang)),
        alt.Tooltip("ci_high:Q", format="+.1f", title=t("progress.tt_ci_high", lang)),
        alt.Tooltip("verdict_name:N", title=t("progress.tt_verdict", lang)),
    ]
    zero = alt.Chart(records(pd.DataFrame({"zero": [0]}))).mark_rule(
        color=OKABE_ITO["black"], strokeDash=[3, 3]).encode(x="zero:Q")
    base = alt.Chart(records(frame))
    colour = alt.Color("verdict_name:N", title=None,
                       scale=alt.Scale(domain=names, range=list(VERDICT_COLOURS.values())),
                       legend=alt.Legend(orient="bottom", direction="vertical"))
    intervals = base.mark_rule(strokeWidth=3).encode(
        y=y, x=alt.X("ci_low:Q", title=t(f"progress.axis_change_{mode}", lang)), x2="ci_high:Q", color=colour,
        tooltip=tooltip)
    points = base.mark_point(filled=True, size=90, opacity=1).encode(y=y, x="improvement:Q", color=colour,
                                                                      tooltip=tooltip)
    return alt.layer(zero, intervals, points).properties(
        title=alt.TitleParams(t(f"progress.chart_comparison_{mode}", lang)),
        width=width, height=_height(30 * max(1, len(frame)), width, 180),
    )


def comparison_text(comparison: analysis.Comparison, lang: str) -> str:
    counts = {v: 0 for v in (analysis.BETTER, analysis.NO_CLEAR, analysis.WORSE)}
    for r in comparison.ratings:
        if r.verdict in counts:
            counts[r.verdict] += 1
    return t("progress.alt_comparison", lang, better=counts[analysis.BETTER], unclear=counts[analysis.NO_CLEAR],
             worse=counts[analysis.WORSE])


# -- history across challenges -----------------------------------------------------------------
def history_frame(challenges: Sequence[dict], assessments_by_challenge: dict[int, dict], lang: str) -> pd.DataFrame:
    rows = []
    for ch in sorted(challenges, key=lambda c: c["start_date"]):
        result = analysis.pre_post(assessments_by_challenge.get(ch["id"], {}))
        if result is None or result.total_pre is None or result.total_post is None:
            continue
        rows.append({"challenge": ch["start_date"], "pre": result.total_pre, "post": result.total_post})
    return pd.DataFrame(rows, columns=["challenge", "pre", "post"])


def history_chart(frame: pd.DataFrame, lang: str, *, width: int | str = "container") -> alt.LayerChart:
    """Total signal score (0-100, lower = fewer complaints) before and after each challenge."""
    pre_name, post_name = t("progress.test_pre", lang), t("progress.test_post", lang)
    long = frame.melt(id_vars=["challenge"], value_vars=["pre", "post"], var_name="kind", value_name="score")
    long["kind_name"] = long["kind"].map({"pre": pre_name, "post": post_name})
    y = alt.Y("challenge:O", title=None, axis=alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%e %b %Y')"))
    rule = alt.Chart(records(frame)).mark_rule(color=GREY, strokeWidth=3).encode(y=y, x="pre:Q", x2="post:Q")
    dots = alt.Chart(records(long)).mark_point(filled=True, size=110, opacity=1).encode(
        y=y,
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=t("progress.axis_score", lang)),
        color=alt.Color("kind_name:N", title=None, scale=alt.Scale(domain=[pre_name, post_name],
                                                                   range=[OKABE_ITO["orange"], OKABE_ITO["blue"]]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("kind_name:N", title=t("progress.tt_test", lang)),
                 alt.Tooltip("score:Q", format=".0f", title=t("progress.tt_value", lang))],
    )
    return alt.layer(rule, dots).properties(
        title=alt.TitleParams(t("progress.chart_history", lang)),
        width=width, height=_height(34 * max(1, len(frame)), width, 130),
    )


def history_text(frame: pd.DataFrame, lang: str) -> str:
    return t("progress.alt_history", lang, challenges=wording.count("challenges", len(frame), lang))
