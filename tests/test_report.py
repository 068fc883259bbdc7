"""Exports: CSV of her logs, PNG per chart, the one-page PDF; each builder reads only her own rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from lib import progress_view, report
from tests import factories

END = dt.date(2026, 3, 21)


def test_csv_has_her_days_and_keeps_notes_inert(store):
    anna = store.create_user("anna")
    bea = store.create_user("bea")
    cid = factories.store_participant(store, anna, end=END)
    factories.store_participant(store, bea, end=END, seed=3)
    store.upsert_daily_log(anna, END.isoformat(), {"challenge_id": cid, "phase": "magnesium", "applied": 1,
                                                    "note": '=HYPERLINK("x"), "quoted", komma'})
    data = report.csv_builder(lambda: store, anna, progress_view.challenge_scope(cid), "nl")()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(store.daily_logs(anna))
    assert rows[-1]["Notitie"] == "'" + '=HYPERLINK("x"), "quoted", komma'
    assert {r["Challenge (nummer)"] for r in rows} == {str(cid)}


def test_csv_speaks_her_language_and_her_spreadsheets_separator(store):
    """Dutch: Dutch headers, ";" between fields and a decimal comma; English: English headers and ","."""
    anna = store.create_user("anna")
    cid = factories.store_participant(store, anna, end=END)
    store.upsert_daily_log(anna, END.isoformat(), {"challenge_id": cid, "phase": "magnesium", "applied": 1,
                                                    "method": "oil_spray", "amount": 2.5, "sleep_quality": None})
    scope = progress_view.challenge_scope(cid)
    nl = report.csv_builder(lambda: store, anna, scope, "nl")().decode("utf-8-sig")
    header = nl.splitlines()[0].split(";")
    assert header[:4] == ["Datum", "Challenge (nummer)", "Deel", "Magnesium gebruikt"]
    assert "Slaapkwaliteit" in header and "day" not in header and "," not in nl.splitlines()[0]
    last = dict(zip(header, nl.splitlines()[-1].split(";"), strict=True))
    assert last["Datum"] == END.isoformat() and last["Deel"] == "Magnesiumdagen"
    assert last["Magnesium gebruikt"] == "ja" and last["Hoeveelheid"] == "2,5"
    assert last["Slaapkwaliteit"] == ""  # a rating she left open stays empty
    en = report.csv_builder(lambda: store, anna, scope, "en")().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(en)))
    assert list(rows[0])[:3] == ["Date", "Challenge (number)", "Part"]
    assert rows[-1]["Amount"] == "2.5" and rows[-1]["Magnesium used"] == "yes"
    assert rows[-1]["Method"] == "Magnesium oil (spray)" and rows[-1]["Part"] == "Magnesium days"


def test_png_of_each_chart():
    view = progress_view.demo_view("nl")
    for name in ("trajectory", "adherence", "prepost", "comparison"):
        png = report.chart_png(report.view_chart(view, name), "nl", scale=1)
        assert png.startswith(b"\x89PNG"), name


def test_pdf_is_one_page_in_both_languages(store):
    anna = store.create_user("anna")
    cid = factories.store_participant(store, anna, end=END)
    for lang in ("nl", "en"):
        pdf = report.pdf_builder(lambda: store, anna, progress_view.challenge_scope(cid), lang, END)()
        assert pdf.startswith(b"%PDF")
        assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
        assert len(re.findall(rb"/Subtype /Image", pdf)) == 3  # calendar, before/after, the chosen ratings


def _no_store():
    raise AssertionError("the example reads nothing from the store")


def test_example_pdf_needs_no_account():
    assert report.pdf_builder(_no_store, None, "", "en")().startswith(b"%PDF")


def test_the_pdf_says_what_the_page_says(store, monkeypatch):
    from fpdf import FPDF

    from lib import progress_service, wording

    written: list[str] = []
    original = FPDF.multi_cell

    def recording(self, w, h=None, text="", *args, **kwargs):
        written.append(text)
        return original(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", recording)
    anna = store.create_user("anna")
    cid = factories.store_participant(store, anna, end=END)
    scope = progress_view.challenge_scope(cid)
    for lang in ("nl", "en"):
        written.clear()
        report.pdf_builder(lambda: store, anna, scope, lang, END)()
        page = progress_service.view(store, anna, scope, lang, END)  # what the Progress page renders
        assert " ".join(page.summary) in written
        assert page.summary[0] == wording.headline(page.comparison, lang)  # the same rule's headline


# -- the report as her practitioner sees it: its pages as images ------------------------------------
MM = 72 / 25.4  # PDF points per millimetre


def _pages(pdf: bytes):
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    return doc, [doc[i] for i in range(len(doc))]


def _boxes(page):
    """The page's images and its text lines as (left, bottom, right, top) in points."""
    import pypdfium2.raw as pdfium_c

    images = [tuple(o.get_bounds()) for o in page.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    text = page.get_textpage()
    lines = [tuple(text.get_rect(i)) for i in range(text.count_rects())]
    return images, lines, text


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _report(store, lang: str, ratings=None) -> bytes:
    anna = store.create_user(f"anna-{lang}-{len(ratings or ())}", display_name="Anna de Vries")
    cid = factories.store_participant(store, anna, end=END)
    return report.pdf_builder(lambda: store, anna, progress_view.challenge_scope(cid), lang, END, ratings)()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_nothing_on_the_pdf_crosses_the_page_edge_or_another_block(store, lang):
    """Each page as an image: a white band of 7 mm along every edge (a printer's unprintable border is about
    5 mm); every image and text line inside the page; no image over another or over text. Also with all eight
    ratings chosen (several pages)."""
    from lib.signals import rating_columns

    for ratings in (None, tuple(rating_columns())):
        pdf = _report(store, lang, ratings)
        doc, pages = _pages(pdf)
        assert len(pages) == (1 if ratings is None else 2)
        for number, page in enumerate(pages, 1):
            image = page.render(scale=2).to_pil().convert("L")
            w, h = image.size
            band = round(7 * MM * 2)
            for box in ((0, 0, w, band), (0, h - band, w, h), (0, 0, band, h), (w - band, 0, w, h)):
                darkest = image.crop(box).getextrema()[0]
                assert darkest >= 250, f"{lang} page {number}: something is drawn within 7 mm of the edge {box}"
            images, lines, _ = _boxes(page)
            width, height = page.get_size()
            for box in images + lines:
                assert box[0] >= 8 * MM and box[2] <= width - 8 * MM, (number, box)
                assert box[1] >= 8 * MM and box[3] <= height - 8 * MM, (number, box)
            for i, a in enumerate(images):
                for b in images[i + 1:]:
                    assert _overlap(a, b) == 0, f"{lang} page {number}: two charts overlap"
                for line in lines:
                    assert _overlap(a, line) < 1, f"{lang} page {number}: text under a chart"
        doc.close()


def test_the_history_report_stays_inside_its_page(store):
    """All her challenges in one report: the history chart at the same scale as the rest, nothing past an
    edge or over another block."""
    cleo = store.create_user("cleo", display_name="Cleo")
    factories.store_history(store, cleo, end=END, days=120)
    pdf = report.pdf_builder(lambda: store, cleo, progress_view.HISTORY, "en", END)()
    doc, pages = _pages(pdf)
    assert len(pages) == 1
    images, lines, _ = _boxes(pages[0])
    width, height = pages[0].get_size()
    assert len(images) == 2  # her challenges before and after, the ratings day by day
    assert images[0][2] - images[0][0] < 0.8 * (width - 30 * MM), "not blown up to the page's width"
    for box in images + lines:
        assert box[0] >= 8 * MM and box[2] <= width - 8 * MM and box[1] >= 8 * MM and box[3] <= height - 8 * MM
    assert _overlap(images[0], images[1]) == 0 and not any(_overlap(i, line) >= 1 for i in images for line in lines)
    assert "Cleo" in pages[0].get_textpage().get_text_range()
    doc.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pdf_names_her_period_score_calendar_and_every_chosen_chart(store, lang, monkeypatch):
    from lib import charts, i18n

    drawn: list[str] = []
    original = charts.trajectory_chart
    monkeypatch.setattr(charts, "trajectory_chart", lambda frame, rating, *a, **k: drawn.append(rating)
                        or original(frame, rating, *a, **k))
    chosen = ("mood", "sleep_quality", "headache")  # not the page's first choice
    pdf = _report(store, lang, chosen)
    assert tuple(drawn) == chosen
    doc, pages = _pages(pdf)
    assert len(pages) == 1
    text = pages[0].get_textpage().get_text_range()
    assert "Anna de Vries" in text
    assert i18n.t("progress.pdf_title", lang) in text
    start = progress_view.format_date(dt.date(2026, 3, 1), lang)
    assert start in text and progress_view.format_date(END, lang) in text  # the period
    assert i18n.t("progress.pdf_score", lang) in text
    assert "62" in text and "44" in text  # the complaint score before and after (the demo's)
    assert i18n.t("progress.pdf_logged", lang) in text
    images, _, _ = _boxes(pages[0])
    assert len(images) == 3  # the calendar, before and after, the three chosen ratings in one image
    doc.close()


def test_the_pdf_text_is_left_aligned_not_justified(store):
    """Justified text ends every full line at the same right edge, with wide gaps between words; left-aligned
    text has a ragged right edge."""
    pdf = _report(store, "nl")
    doc, pages = _pages(pdf)
    _, lines, _ = _boxes(pages[0])
    width = pages[0].get_size()[0]
    full = [line for line in lines if line[2] - line[0] > 0.6 * (width - 30 * MM)]
    assert len(full) >= 5
    ends = sorted(line[2] for line in full)
    assert ends[-1] - ends[0] > 5 * MM, f"every long line ends at the same place: {ends}"
    doc.close()
