"""Exports of her progress: CSV of her logs, a PNG per chart, a one-page PDF for the practitioner.

Why builders: files are made only when she clicks (``st.download_button(data=callable)``), never on
a rerun; Streamlit calls the callable on another thread, so each builder opens its own store
connection and reads what it needs itself. Charts become images with vl-convert (no browser), the
PDF is made with fpdf2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import altair as alt
import vl_convert as vlc
from fpdf import FPDF

from lib import analysis, charts, export, locales, progress_view, settings, wording
from lib import challenge as challenge_rules
from lib.i18n import t
from lib.signals import rating_columns
from lib.store import StoreFactory, log_fields


# -- CSV ---------------------------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    # A note starting with "=" must stay text when she opens the file in a spreadsheet.
    return str(export.spreadsheet_cell(value))


def csv_header(column: str, lang: str) -> str:
    """A column's name in her language: a rating by its own name, the rest from ``progress.csv.*``."""
    if column in rating_columns():
        return wording.rating_name(column, lang)
    return t(f"progress.csv.{column}", lang)


def _csv_value(column: str, value, lang: str) -> str:
    """One cell the way her spreadsheet reads it: numbers with her decimal sign, words in her language;
    the day stays ISO (YYYY-MM-DD), which every spreadsheet reads as a date."""
    if value is None or value == "":
        return ""
    if column == "phase":
        return t(f"progress.phase_{value}", lang) if value in ("baseline", "magnesium") else _cell(value)
    if column == "applied":
        return t("progress.csv.yes" if value else "progress.csv.no", lang)
    if column == "method":
        return t(f"challenge.method_{value}", lang) if value in challenge_rules.METHODS else _cell(value)
    if isinstance(value, bool):
        return t("progress.csv.yes" if value else "progress.csv.no", lang)
    if isinstance(value, (int, float)):
        return locales.number(value, lang)
    return _cell(value)


def logs_csv(logs: list[dict], lang: str = "nl") -> bytes:
    """Her logged days as CSV for her spreadsheet: headers in her language, her separator (";" in Dutch) and
    decimal sign; UTF-8 with a byte-order mark so spreadsheet programs read accents right."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=locales.csv_separator(lang), lineterminator="\r\n")
    columns = ("day", *log_fields())
    writer.writerow([csv_header(col, lang) for col in columns])
    for row in logs:
        writer.writerow([_csv_value(col, row.get(col), lang) for col in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# -- chart images ------------------------------------------------------------------------------
def chart_png(chart: alt.TopLevelMixin, lang: str, *, scale: float = 2) -> bytes:
    """A chart (already finished with ``charts.finish``, or not) as PNG."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    spec.setdefault("config", {}).setdefault("locale", charts.locale(lang))
    spec.setdefault("background", "white")
    return vlc.vegalite_to_png(spec, scale=scale)


def view_chart(view: progress_view.View, name: str, *, width: int = 520,
               ratings: tuple[str, ...] | None = None, height: int | None = None) -> alt.TopLevelMixin | None:
    """One named chart of a view at a fixed width (images cannot stretch to a container)."""
    lang = view.lang
    if name == "trajectory":
        chosen = pdf_ratings(view) if ratings is None else ratings
        parts = [progress_view.chart(view, name, r, width=width, height=height or 120) for r in chosen]
        return charts.finish(alt.vconcat(*parts), lang) if parts else None
    if name not in progress_view.CHARTS or not progress_view.has_chart(view, name):
        return None
    return charts.finish(progress_view.chart(view, name, width=width, height=height), lang)


# The PDF's ratings day by day when none are given: the Progress page's first choice
# (progress_view.DAY_BY_DAY), and energy, as one A4 has room for three.
DEFAULT_RATINGS = (*progress_view.DAY_BY_DAY, "energy")


def pdf_ratings(view: progress_view.View) -> tuple[str, ...]:
    """The ratings drawn day by day when she chose none herself: her primary complaint first (if she chose
    one), then the page's defaults, three in all."""
    chosen: list[str] = []
    if view.comparison is not None and view.comparison.outcome != analysis.OVERALL:
        chosen.append(view.comparison.outcome)
    for r in DEFAULT_RATINGS:
        if r not in chosen and len(chosen) < 3:
            chosen.append(r)
    return tuple(chosen)


# -- PDF ---------------------------------------------------------------------------------------
def _pdf_font(pdf: FPDF) -> str:
    folder = settings.current().report_font_dir
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _safe(text: str, font: str) -> str:
    if font == "DejaVu":
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


MARGIN = 15  # mm, left and right
TOP = 12
FOOTER = 14  # mm kept free at the bottom for the footer line
GAP = 4  # mm between two blocks
MM_PER_PX = 0.31  # a chart alone in its row: 12-px chart text becomes about 10.5 pt, as in the trajectories
SHRINK_AT_MOST = 0.75  # a chart is drawn at no less than this share of its size to stay on the page


class _Report(FPDF):
    """An A4 report whose every page ends with the same footer line."""

    footer_text = ""
    font_name = "Helvetica"

    def footer(self) -> None:
        self.set_y(-FOOTER + 2)
        self.set_font(self.font_name, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(self.w - 2 * MARGIN, 4, _safe(self.footer_text, self.font_name), align="L")
        self.set_text_color(0, 0, 0)


def _key_numbers(view: progress_view.View) -> list[tuple[str, str]]:
    """The few numbers she and her practitioner look at first."""
    lang = view.lang
    rows: list[tuple[str, str]] = []
    pp = view.prepost
    if pp is not None and pp.total_pre is not None and pp.total_post is not None:
        rows.append((t("progress.pdf_score", lang),
                     t("progress.pdf_score_value", lang, pre=wording.fmt_num(pp.total_pre, lang, 0),
                       post=wording.fmt_num(pp.total_post, lang, 0),
                       change=locales.signed(round(pp.total_post - pp.total_pre), lang))))
    elif pp is not None and pp.total_pre is not None:
        rows.append((t("progress.pdf_score", lang),
                     t("progress.pdf_score_pre_only", lang, pre=wording.fmt_num(pp.total_pre, lang, 0))))
    frame = view.adherence_frame
    if frame is not None and len(frame):
        logged = int((frame["status"] != "missed").sum())
        applied = int((frame["status"] == "applied").sum())
        rows.append((t("progress.pdf_logged", lang),
                     t("progress.pdf_logged_value", lang, logged=logged, days=wording.count("days", len(frame), lang),
                       applied=applied)))
    elif view.logs:
        rows.append((t("progress.pdf_logged", lang), wording.count("days", len({r["day"] for r in view.logs}), lang)))
    return rows


def _blocks(view: progress_view.View, ratings: tuple[str, ...] | None) -> list[list[tuple[alt.TopLevelMixin, float]]]:
    """The charts in reading order, as rows of (chart, width in mm): the calendar beside the tests, then the
    ratings she chose, three to an image (one legend each)."""
    full = 210 - 2 * MARGIN
    rows: list[list[tuple[alt.TopLevelMixin, float]]] = []
    calendar = view_chart(view, "adherence", width=230)
    tests = (view_chart(view, "prepost", width=300, height=200) or view_chart(view, "comparison", width=300)
             or view_chart(view, "history", width=300))
    pair = [(c, w) for c, w in ((calendar, 0.42 * full), (tests, 0.58 * full - GAP)) if c is not None]
    if len(pair) == 1:  # alone in its row: at the trajectories' scale, not blown up to the page's width
        pair = [(pair[0][0], 0.0)]
    if pair:
        rows.append(pair)
    chosen = pdf_ratings(view) if ratings is None else tuple(ratings)
    for i in range(0, len(chosen), 3):
        chart = view_chart(view, "trajectory", width=520, ratings=chosen[i:i + 3], height=55)
        if chart is not None:
            rows.append([(chart, full)])
    return rows


def pdf_report(view: progress_view.View, made_on: dt.date | None = None, *, name: str | None = None,
               ratings: tuple[str, ...] | None = None) -> bytes:
    """The report for her practitioner, one A4 at a glance: who and when, the complaint score before and after,
    how faithfully she logged, the summary with its caveat, the logging calendar beside the tests, and the
    ratings she chose day by day. A chart that does not fit below the last one starts a new page; nothing
    is ever drawn over another or past the page's edge (tests/test_report.py looks at the pages as images)."""
    lang = view.lang
    pdf = _Report(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, TOP, MARGIN)
    font = _pdf_font(pdf)
    pdf.font_name = font
    made = progress_view.format_date(made_on or dt.date.today(), lang)
    pdf.footer_text = t("progress.pdf_made", lang, date=made)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    bottom = pdf.h - FOOTER

    def text(size: float, line: float, value: str, *, style: str = "", grey: bool = False) -> None:
        pdf.set_font(font, style, size)
        if grey:
            pdf.set_text_color(80, 80, 80)
        # Left-aligned, never justified: even word gaps.
        pdf.multi_cell(width, line, _safe(value, font), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)

    text(16, 8, t("progress.pdf_title", lang), style="B")
    who = [t("progress.pdf_name", lang, name=name)] if name else []
    if view.period:
        who.append(t("progress.pdf_period", lang, start=progress_view.format_date(view.period[0], lang),
                     end=progress_view.format_date(view.period[1], lang)))
    if who:
        text(10, 5.5, "   ·   ".join(who))
    pdf.ln(2)
    numbers = _key_numbers(view)
    if numbers:
        label_w = 38
        for label, value in numbers:
            # A label and its value side by side; the row is as tall as the taller of the two.
            y = pdf.get_y()
            pdf.set_font(font, "B", 10)
            label_h = pdf.multi_cell(label_w - 2, 5.5, _safe(label, font), align="L", dry_run=True,
                                     output="HEIGHT")
            pdf.multi_cell(label_w - 2, 5.5, _safe(label, font), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_xy(MARGIN + label_w, y)
            pdf.set_font(font, "", 10)
            pdf.multi_cell(width - label_w, 5.5, _safe(value, font), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(max(pdf.get_y(), y + label_h))
        pdf.ln(2)
    text(11, 6, t("progress.section_summary", lang), style="B")
    text(9.5, 4.8, " ".join(view.summary))
    pdf.ln(1)
    text(8, 4, t("progress.caveat", lang), grey=True)
    pdf.ln(GAP)

    for row in _blocks(view, ratings):
        images = []
        for chart, w_mm in row:
            png = chart_png(chart, lang, scale=2)
            px_w, px_h = png_size(png)
            w_mm = w_mm or min(width, px_w / 2 * MM_PER_PX)  # (rendered at scale 2)
            images.append((png, w_mm, w_mm * px_h / px_w))
        row_h = max(h for _, _, h in images)
        room = bottom - pdf.get_y()
        if row_h > room:
            # Slightly too tall for what is left: a little smaller keeps the report on one page; much too
            # tall: on a new page.
            if pdf.get_y() > TOP + 1 and room < SHRINK_AT_MOST * row_h:
                pdf.add_page()
                room = bottom - pdf.get_y()
            if row_h > room:  # shrink to fit, keeping its shape
                shrink = room / row_h
                images = [(png, w * shrink, h * shrink) for png, w, h in images]
                row_h = room
        x, y = MARGIN, pdf.get_y()
        for png, w_mm, h_mm in images:
            pdf.image(io.BytesIO(png), x=x, y=y, w=w_mm, h=h_mm)
            x += w_mm + GAP
        pdf.set_y(y + row_h + GAP)
    return bytes(pdf.output())


# -- builders for st.download_button(data=callable) --------------------------------------------
def _load_view(open_store: StoreFactory, user_id: int, scope: str, lang: str,
               today: dt.date | None) -> progress_view.View:
    store = open_store()  # its own connections: this runs on another thread, after a click
    challenges, logs, assessments = store.progress_data(user_id)
    return progress_view.build_view(challenges, logs, assessments, scope, lang, today)


def csv_builder(open_store: StoreFactory, user_id: int, scope: str, lang: str = "nl") -> Callable[[], bytes]:
    def build() -> bytes:
        challenges, logs, _ = open_store().progress_data(user_id)
        if scope != progress_view.HISTORY:
            cid = int(scope.split(":", 1)[1])
            logs = [r for r in logs if r.get("challenge_id") == cid]
        return logs_csv(logs, lang)

    return build


def png_builder(open_store: StoreFactory, user_id: int | None, scope: str, lang: str, name: str,
                today: dt.date | None = None, ratings: tuple[str, ...] | None = None) -> Callable[[], bytes]:
    """``user_id`` None: the example participant's chart (nothing is read from the store)."""

    def build() -> bytes:
        view = (progress_view.demo_view(lang) if user_id is None
                else _load_view(open_store, user_id, scope, lang, today))
        chart = view_chart(view, name, ratings=ratings)
        return chart_png(chart, lang) if chart is not None else b""

    return build


def pdf_builder(open_store: StoreFactory, user_id: int | None, scope: str, lang: str,
                today: dt.date | None = None, ratings: tuple[str, ...] | None = None) -> Callable[[], bytes]:
    """``ratings``: the ratings she chose to see day by day on the page (None: the page's first choice)."""

    def build() -> bytes:
        if user_id is None:
            return pdf_report(progress_view.demo_view(lang), today, name=t("progress.pdf_example_name", lang),
                              ratings=ratings)
        view = _load_view(open_store, user_id, scope, lang, today)
        user = open_store().get_user(user_id) or {}
        name = user.get("display_name") or None
        return pdf_report(view, today, name=name, ratings=ratings)

    return build
