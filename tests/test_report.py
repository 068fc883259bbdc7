"""Exports: CSV of her logs, PNG per chart, the one-page PDF; each builder reads only her own rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

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
        assert len(re.findall(rb"/Subtype /Image", pdf)) == 2  # before/after and trajectory


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
