"""Chart builders checked on their Vega-Lite spec: encodings, data rows, gaps kept as nulls, locale."""

from __future__ import annotations

import datetime as dt

from lib import analysis, charts, demo
from tests.test_analysis import MG, challenge, log


def _datasets(spec: dict) -> list[list[dict]]:
    found = list(spec.get("datasets", {}).values())
    found += [s["data"]["values"] for s in _walk(spec) if "values" in s.get("data", {})]
    return found


def _rows_of(spec: dict) -> list[dict]:
    return [row for ds in _datasets(spec) for row in ds]


def _walk(spec):
    yield spec
    for key in ("layer", "vconcat", "hconcat"):
        for sub in spec.get(key, []):
            yield from _walk(sub)


def _sample_logs():
    # Days 1, 2, 4, 5 logged; day 3 missed.
    values = {0: 4, 1: 6, 3: 8, 4: 7}
    return [log(MG + dt.timedelta(days=i), sleep_quality=v, note="moe" if i == 1 else "") for i, v in values.items()]


def test_trajectory_keeps_a_missed_day_as_null_and_never_draws_across_it():
    ch = challenge(False)
    frame = charts.trajectory_frame(_sample_logs(), [ch], None, ratings=["sleep_quality"], lang="nl",
                                    today=MG + dt.timedelta(days=4))
    assert list(frame["date"]) == [(MG + dt.timedelta(days=i)).isoformat() for i in range(5)]
    missed = frame[frame["date"] == (MG + dt.timedelta(days=2)).isoformat()].iloc[0]
    assert missed["value"] is None or missed["value"] != missed["value"]  # None / NaN, not 0
    spec = charts.finish(charts.trajectory_chart(frame, "sleep_quality", "nl"), "nl").to_dict()
    rows = _rows_of(spec)
    by_day = {r["date"]: r for r in rows}
    gap = by_day[(MG + dt.timedelta(days=2)).isoformat()]
    assert gap["value"] is None and gap["rolling"] is None
    # Rolling mean over the calendar window [day-2, day] of logged days: day 4 -> mean(6, 8) = 7.
    assert by_day[(MG + dt.timedelta(days=3)).isoformat()]["rolling"] == 7.0
    assert by_day[(MG + dt.timedelta(days=4)).isoformat()]["rolling"] == 7.5
    assert by_day[(MG + dt.timedelta(days=1)).isoformat()]["note"] == "moe"
    lines = [s for s in _walk(spec) if isinstance(s.get("mark"), dict) and s["mark"].get("type") == "line"]
    assert len(lines) == 2
    assert all(s["mark"]["invalid"] == "break-paths-show-domains" for s in lines)
    assert {s["encoding"]["y"]["field"] for s in lines} == {"value", "rolling"}
    assert all(s["encoding"]["x"]["field"] == "date" and s["encoding"]["x"]["type"] == "temporal" for s in lines)
    tooltip_fields = {tt["field"] for tt in lines[0]["encoding"]["tooltip"]}
    assert {"date", "value", "note"} <= tooltip_fields
    assert "hoger is beter" in spec["title"]["text"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["months"][2] == "maart"


def test_trajectory_shades_phases_and_marks_test_days():
    d = demo.demo_participant("en")
    ch = d["challenge"]
    frame = charts.trajectory_frame(d["logs"], [ch], d["assessments"], ratings=["stress"], lang="en")
    spec = charts.finish(charts.trajectory_chart(frame, "stress", "en"), "en").to_dict()
    rows = _rows_of(spec)
    assert {r["phase"] for r in rows} == {"baseline", "magnesium"}
    assert len(rows) == 21  # every calendar day of the challenge, logged or not
    assert sum(r["value"] is None for r in rows) == 3  # the demo's three missed days
    assert sorted(r["test"] for r in rows if r["test"]) == ["Test after", "Test before"]
    rects = [s for s in _walk(spec) if isinstance(s.get("mark"), dict) and s["mark"].get("type") == "rect"]
    assert rects and rects[0]["encoding"]["x2"]["field"] == "date_end"
    assert "lower is better" in spec["title"]["text"]
    assert spec["config"]["locale"]["number"]["decimal"] == "."


def test_adherence_grid_has_one_cell_per_day_with_status_and_minutes():
    rows = [log(MG, applied=1, sleep_quality=5), log(MG + dt.timedelta(days=1), applied=0, sleep_quality=5)]
    rows[0]["relaxation_minutes"] = 20
    frame = charts.adherence_frame(rows, challenge(False), MG + dt.timedelta(days=2), "nl")
    assert list(frame["status"]) == ["applied", "logged", "missed"]
    spec = charts.finish(charts.adherence_chart(frame, "nl"), "nl").to_dict()
    data = _rows_of(spec)
    assert [r["minutes_label"] for r in data] == ["20′", "", ""]
    cells = spec["layer"][0]
    assert cells["encoding"]["x"]["field"] == "weekday" and cells["encoding"]["y"]["field"] == "week"
    assert cells["encoding"]["color"]["scale"]["domain"] == ["niet ingevuld", "ingevuld, geen magnesium",
                                                             "ingevuld, met magnesium"]


def test_before_after_dumbbell_sorted_by_largest_improvement():
    d = demo.demo_participant("en")
    res = analysis.pre_post(d["assessments"])
    frame = charts.prepost_frame(res, "en")
    assert list(frame["improvement"]) == sorted(frame["improvement"], reverse=True)
    spec = charts.finish(charts.prepost_chart(frame, "en"), "en").to_dict()
    dots = spec["layer"][1]
    assert dots["encoding"]["y"]["sort"] == {"field": "order", "order": "ascending"}
    # The scale reaches a little past both ends, so a dot on "never" or "almost every day" is drawn whole.
    low, high = dots["encoding"]["x"]["scale"]["domain"]
    assert -0.6 < low < 0 and 4 < high < 4.6
    assert dots["encoding"]["x"]["axis"]["values"] == [0, 1, 2, 3, 4]
    data = [r for ds in _datasets(spec) for r in ds if "kind" in r]
    assert len(data) == 16  # eight signals, before and after


def test_interval_chart_has_one_row_per_judged_rating():
    d = demo.demo_participant("nl")
    comp = analysis.compare_phases(d["logs"], d["challenge"])
    frame = charts.comparison_frame(comp, "nl")
    assert len(frame) == 8
    spec = charts.finish(charts.comparison_chart(frame, comp.mode, "nl"), "nl").to_dict()
    rule = spec["layer"][1]
    assert rule["encoding"]["x"]["field"] == "ci_low" and rule["encoding"]["x2"]["field"] == "ci_high"
    assert rule["encoding"]["color"]["scale"]["range"] == ["#009E73", "#0072B2", "#D55E00"]
    assert "rechts = beter" in rule["encoding"]["x"]["title"]
    few = analysis.compare_phases(d["logs"][:2], d["challenge"])
    assert len(charts.comparison_frame(few, "nl")) == 0


def test_every_chart_has_a_text_alternative():
    d = demo.demo_participant("nl")
    ch = d["challenge"]
    frame = charts.trajectory_frame(d["logs"], [ch], d["assessments"], lang="nl")
    assert charts.trajectory_text(frame, "sleep_quality", "nl").startswith("Slaapkwaliteit: 18 van 21 dagen")
    af = charts.adherence_frame(d["logs"], ch, lang="nl")
    assert "18 ingevuld" in charts.adherence_text(af, "nl")
    assert "Klachtenscore vooraf 62" in charts.prepost_text(analysis.pre_post(d["assessments"]), "nl")


def test_one_chart_registry_serves_the_page_the_pngs_and_the_pdf():
    from lib import i18n, progress_view, report

    view = progress_view.demo_view("en")
    names = progress_view.chart_names(view)
    assert names == ["trajectory", "adherence", "prepost", "comparison"]
    for name in names:
        kind = progress_view.CHARTS[name]
        assert i18n.t(kind.label_key, "en") != kind.label_key  # its download button has a name
        assert progress_view.chart_text(view, name, "sleep_quality")
        page = progress_view.chart(view, name, "sleep_quality").to_dict()
        image = report.view_chart(view, name, ratings=("sleep_quality",)).to_dict()
        assert page["$schema"] == image["$schema"]
    assert report.view_chart(view, "history") is None  # a single challenge's view has no history chart


def test_the_page_gets_exactly_the_spec_altair_gives_for_every_chart():
    """``charts.spec`` leaves the rows out of Altair's walk but must give the same spec, nulls and all."""
    import json

    from lib import progress_view

    d = demo.demo_participant("nl")
    ch = d["challenge"]
    view = progress_view.build_view([ch], d["logs"], {ch["id"]: d["assessments"]},
                                    progress_view.challenge_scope(ch["id"]), "nl")
    history = progress_view.build_view([ch], d["logs"], {ch["id"]: d["assessments"]}, progress_view.HISTORY, "en")
    makers = [
        lambda: charts.trajectory_chart(view.trajectory, "sleep_quality", "nl"),
        lambda: charts.trajectory_chart(history.trajectory, "headache", "en"),
        lambda: charts.adherence_chart(view.adherence_frame, "nl"),
        lambda: charts.prepost_chart(view.prepost_frame, "nl"),
        lambda: charts.comparison_chart(view.comparison_frame, view.comparison.mode, "nl"),
        lambda: charts.history_chart(history.history_frame, "en"),
    ]
    for make in makers:
        expected = charts.finish(make(), "nl").to_dict()
        chart = make()
        got = charts.spec(chart, "nl")
        assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
        assert _rows_of(got)  # the rows are in it
        # The chart itself is left as it was: it still converts the same way afterwards.
        assert json.dumps(charts.finish(chart, "nl").to_dict(), sort_keys=True) == json.dumps(expected,
                                                                                             sort_keys=True)
    gap = [r for r in _rows_of(charts.spec(makers[0](), "nl")) if r.get("rating") == "sleep_quality"
           and r.get("value") is None]
    assert gap, "a missed day stays a JSON null"


def test_every_chart_text_is_at_least_12_px_and_long_frequency_labels_take_two_lines():
    from lib import progress_view

    view = progress_view.demo_view("nl")
    for name in ("trajectory", "adherence", "prepost", "comparison"):
        spec = charts.page_spec(progress_view.chart(view, name, "sleep_quality"), "nl")
        config = spec["config"]
        assert config["axis"]["labelFontSize"] >= 12 and config["axis"]["titleFontSize"] >= 12, name
        assert config["legend"]["labelFontSize"] >= 12 and config["title"]["subtitleFontSize"] >= 12, name
        sizes = [v for k, v in _walk_items(spec) if k in ("fontSize", "labelFontSize")]
        assert min(sizes) >= 12, (name, sizes)
    assert charts._two_lines("bijna elke dag") == ["bijna", "elke dag"]
    assert charts._two_lines("almost every day") == ["almost", "every day"]
    assert charts._two_lines("sometimes") == ["sometimes"]


def test_the_page_spec_sends_shared_rows_as_a_named_dataset():
    """Top-level inline rows are drawn late by Streamlit, with a Vega warning per empty range; a named
    dataset holds the same rows, nulls included."""
    from lib import progress_view

    view = progress_view.demo_view("en")
    for name in ("trajectory", "adherence", "prepost", "comparison"):
        spec = charts.page_spec(progress_view.chart(view, name, "sleep_quality"), "en")
        data = spec.get("data")
        assert data is None or "values" not in data, name
        for layer in spec["layer"]:
            rows = layer.get("data", {}).get("values") or spec["datasets"][(layer.get("data") or data)["name"]]
            assert rows, name
    plain = charts.spec(progress_view.chart(view, "trajectory", "sleep_quality"), "en")
    page = charts.page_spec(progress_view.chart(view, "trajectory", "sleep_quality"), "en")
    assert page["datasets"]["rows"] == plain["data"]["values"]  # the same rows, gaps (None) and all
    assert any(r["value"] is None for r in page["datasets"]["rows"])


def test_an_empty_layer_is_left_out_of_the_trajectory():
    """A rating never rated (every day None) still draws; a layer whose filter would leave no rows is not there."""
    logs = [{"day": f"2026-03-0{i}", "phase": "baseline", "sleep_quality": None} for i in range(1, 6)]
    frame = charts.trajectory_frame(logs, [], None, ratings=["sleep_quality"], lang="nl")
    spec = charts.page_spec(charts.trajectory_chart(frame, "sleep_quality", "nl"), "nl")
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect"]  # the shaded days only: no test day in view, no dots or mean without a rating
    logs[2]["sleep_quality"] = 6
    frame = charts.trajectory_frame(logs, [], None, ratings=["sleep_quality"], lang="nl")
    spec = charts.page_spec(charts.trajectory_chart(frame, "sleep_quality", "nl"), "nl")
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "line", "line"]  # one rated evening: its dot and the mean are drawn


def _walk_items(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                yield k, v
            yield from _walk_items(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_items(v)
