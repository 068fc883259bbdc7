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
               ratings: tuple[str, ...] | None = None) -> alt.TopLevelMixin | None:
    """One named chart of a view at a fixed width (images cannot stretch to a container)."""
    lang = view.lang
    if name == "trajectory":
        chosen = ratings or pdf_ratings(view)
        parts = [progress_view.chart(view, name, r, width=width, height=120) for r in chosen]
        return charts.finish(alt.vconcat(*parts), lang) if parts else None
    if name not in progress_view.CHARTS or not progress_view.has_chart(view, name):
        return None
    return charts.finish(progress_view.chart(view, name, width=width), lang)


def pdf_ratings(view: progress_view.View) -> tuple[str, ...]:
    """Two ratings for the one-page report: her primary complaint (or the clearest improvement) and sleep quality."""
    chosen: list[str] = []
    if view.comparison is not None and view.comparison.outcome != analysis.OVERALL:
        chosen.append(view.comparison.outcome)
    elif view.comparison is not None:
        better = sorted((r for r in view.comparison.ratings if r.verdict == analysis.BETTER),
                        key=lambda r: -(r.improvement or 0))
        chosen += [r.rating for r in better[:1]]
    for r in ("sleep_quality", "energy"):
        if r not in chosen and len(chosen) < 2:
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


def pdf_report(view: progress_view.View, made_on: dt.date | None = None) -> bytes:
    """One A4 page: title, period, summary, the honest caveat, before/after chart, trajectory."""
    lang = view.lang
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(15, 12, 15)
    pdf.add_page()
    font = _pdf_font(pdf)
    width = pdf.w - 30
    pdf.set_font(font, "B", 16)
    pdf.cell(width, 9, _safe(t("progress.pdf_title", lang), font), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 9)
    if view.period:
        pdf.cell(width, 5, _safe(t("progress.pdf_period", lang,
                                   start=progress_view.format_date(view.period[0], lang),
                                   end=progress_view.format_date(view.period[1], lang)), font),
                 new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(font, "B", 11)
    pdf.cell(width, 6, _safe(t("progress.section_summary", lang), font), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 9.5)
    pdf.multi_cell(width, 4.8, _safe(" ".join(view.summary), font), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(font, "", 8)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(width, 4, _safe(t("progress.caveat", lang), font), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    first = view_chart(view, "prepost") or view_chart(view, "comparison") or view_chart(view, "history")
    room_bottom = pdf.h - 14
    images = [c for c in (first, view_chart(view, "trajectory")) if c is not None]
    for i, chart in enumerate(images):
        png = chart_png(chart, lang, scale=2)
        left = room_bottom - pdf.get_y()
        slots = len(images) - i
        max_h = left / slots - 2
        img = pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=width, keep_aspect_ratio=True,
                        h=max_h)
        pdf.set_y(pdf.get_y() + (img.rendered_height if img is not None else max_h) + 2)
    pdf.set_y(pdf.h - 12)
    pdf.set_font(font, "", 7.5)
    pdf.set_text_color(90, 90, 90)
    made = progress_view.format_date(made_on or dt.date.today(), lang)
    pdf.cell(width, 4, _safe(t("progress.pdf_made", lang, date=made), font))
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
                today: dt.date | None = None) -> Callable[[], bytes]:
    def build() -> bytes:
        view = (progress_view.demo_view(lang) if user_id is None
                else _load_view(open_store, user_id, scope, lang, today))
        return pdf_report(view, today)

    return build
