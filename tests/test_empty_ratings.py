"""A rating she did not tap is stored as empty (NULL), and everything that reads her days copes with it:
an empty rating is a gap, never a 0 or a 5, in the analysis, the charts, the CSV, the PDF and the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

from lib import analysis, charts, export, progress_view, report
from lib.signals import rating_columns
from tests import factories

END = dt.date(2026, 3, 21)
EMPTY = ("energy", "mood", "headache")  # never tapped on the days below


def _with_gaps(store) -> tuple[int, int, list[str]]:
    """A demo challenge in which every third day has three ratings left empty."""
    uid = store.create_user("anna", health_consent=True)
    cid = factories.store_participant(store, uid, end=END)
    gaps = []
    for i, row in enumerate(store.daily_logs(uid, challenge_id=cid)):
        if i % 3 == 0:
            entry = {k: v for k, v in row.items() if k not in ("user_id", "day", "created_at", "updated_at")}
            entry.update(dict.fromkeys(EMPTY))
            store.upsert_daily_log(uid, row["day"], entry)
            gaps.append(row["day"])
    return uid, cid, gaps


def test_empty_ratings_stay_empty_in_the_store_and_are_gaps_in_the_analysis(store):
    uid, cid, gaps = _with_gaps(store)
    logs = store.daily_logs(uid, challenge_id=cid)
    by_day = {r["day"]: r for r in logs}
    assert all(by_day[d][c] is None for d in gaps for c in EMPTY)
    assert all(by_day[d]["sleep_quality"] is not None for d in gaps)  # the others as she tapped them
    values = analysis.outcome_values(logs, "energy")
    assert len(values) == len(logs) - len(gaps)  # a gap, not a number
    challenge = store.challenges(uid)[0]
    comparison = analysis.compare_phases(logs, challenge, END)
    energy = comparison.by_rating()["energy"]
    assert energy.n_before + energy.n_after == len(values)  # her empty days are left out, not counted as 0
    analysis.better_nights(logs)
    analysis.adherence(logs, challenge, END)


def test_charts_csv_pdf_and_export_read_empty_ratings_as_gaps(store):
    uid, cid, gaps = _with_gaps(store)
    scope = progress_view.challenge_scope(cid)
    view = progress_view.build_view(store.challenges(uid), store.daily_logs(uid), {cid: store.assessments(uid, cid)},
                                    scope, "nl", END)
    frame = view.trajectory
    energy = frame[(frame["rating"] == "energy") & (frame["date"].isin(gaps))]
    assert len(energy) == len(gaps) and energy["value"].isna().all()
    for name in progress_view.chart_names(view):
        for rating in (("energy",) if name == "trajectory" else (None,)):
            assert charts.spec(progress_view.chart(view, name, rating), "nl"), name
    rows = list(csv.DictReader(io.StringIO(report.csv_builder(lambda: store, uid, scope, "en")().decode("utf-8-sig"))))
    assert {r["Energy"] for r in rows if r["Date"] in gaps} == {""}
    pdf = report.pdf_builder(lambda: store, uid, scope, "nl", END)()
    assert pdf.startswith(b"%PDF")
    data = json.loads(zipfile.ZipFile(io.BytesIO(export.build_zip(lambda: store, uid, "nl"))).read("data.json"))
    exported = {r["day"]: r for r in data["tables"]["daily_logs"]}
    assert all(exported[d]["mood"] is None for d in gaps)
    assert set(rating_columns()) <= set(exported[gaps[0]])
