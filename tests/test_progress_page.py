"""The Progress page in AppTest: empty state, the example, her real data, both languages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lib import i18n
from tests import factories, store_probe
from tests.page_text import page_text

PAGE = "pages/progress.py"


def _charts(at):
    return at.get("vega_lite_chart")


def _open_tab(at, key: str, lang: str):
    """Open one of the page's tabs as her tap does (only the open tab is drawn)."""
    at.session_state["progress_tab"] = i18n.t(key, lang)
    return at.run()


def _open_fold(at, key: str):
    """Open a fold-out as her tap does (its content is drawn only once it is open)."""
    at.session_state[key] = True
    return at.run()


TABS = ("progress.section_trajectory", "progress.tab_before_after", "progress.tab_calendar")


def _charts_in_every_tab(at, lang: str) -> list:
    charts = []
    for key in TABS:
        charts += _charts(_open_tab(at, key, lang))
    _open_tab(at, TABS[0], lang)
    return charts


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_logged_out_sees_the_login_note_and_can_open_the_example(app, lang):
    at = app(lang=lang, page=PAGE)
    assert not at.exception
    assert i18n.t("common.login_needed", lang) in page_text(at)
    assert not _charts(at)
    at.button(key="progress_see_example").click().run()
    assert not at.exception
    text = page_text(at)
    assert i18n.t("progress.example_banner", lang) in text
    assert i18n.t("progress.caveat_title", lang) in [e.label for e in at.expander]
    assert i18n.t("progress.caveat", lang) not in text, "drawn only once she opens it"
    assert i18n.t("progress.caveat", lang) in page_text(_open_fold(at, "progress_caveat_fold"))
    assert len(_charts(at)) == 2  # the open tab: two ratings day by day
    assert len(_charts_in_every_tab(at, lang)) == 5  # and before/after, comparison, adherence


def test_a_participant_without_data_gets_a_friendly_empty_state(app, store):
    uid = store.create_user("anna")
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert not at.exception
    assert i18n.t("progress.empty", "nl") in page_text(at)
    assert not _charts(at)
    at.button(key="progress_see_example").click().run()
    assert i18n.t("progress.example_banner", "nl") in page_text(at)
    assert _charts(at)
    # The example is never stored as an account or as data.
    assert store_probe.table_counts(store)["users"] == 1
    assert store_probe.table_counts(store)["daily_logs"] == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_her_finished_challenge_shows_summary_charts_and_caveat(app, store, lang):
    uid = store.create_user("anna")
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21), lang=lang)
    at = app(lang=lang, user_id=uid, page=PAGE)
    assert not at.exception
    text = page_text(at)
    summary = at.markdown[0].value
    # The headline is about her primary outcome (by default the overall score), in plain words.
    assert summary.startswith(i18n.t("progress.headline.outcome_overall", lang))
    assert not any(word in summary for word in ("NAP", "bootstrap", "interval", "p =", "Holm"))
    assert i18n.t("progress.method.title", lang) in [e.label for e in at.expander]
    assert i18n.t("progress.summary.caveat", lang) in summary
    assert "Gröber" not in text  # the caveat, with its source, waits in its fold-out
    method = i18n.t("progress.method.title", lang)
    assert not [e for e in at.expander if e.label == method][0].children, "drawn only once she opens it"
    at = _open_fold(at, "progress_method_fold")
    assert [e for e in at.expander if e.label == method][0].children
    assert "Gröber" in page_text(_open_fold(at, "progress_caveat_fold"))
    days = {"nl": "7 dagen", "en": "7 days"}[lang]  # the count in her language's plural form
    completeness = i18n.t("progress.completeness", lang, phase=i18n.t("progress.phase_baseline", lang), logged=6,
                          days=days)
    assert completeness in page_text(_open_tab(at, "progress.tab_before_after", lang))
    _open_tab(at, "progress.section_trajectory", lang)
    assert len(_charts_in_every_tab(at, lang)) == 5
    charts = _charts(at)
    spec = charts[0].proto.spec
    assert ('"decimal": ","' in spec) == (lang == "nl")
    # Her note shows up in the tooltip data.
    note = "Drukke dag op het werk" if lang == "nl" else "Busy day at work"
    assert note.encode() in charts[0].proto.SerializeToString()  # the rows travel next to the spec


def test_choosing_signals_and_the_history_view(app, store, configure):
    # On the last logged day of the running challenge: still open (it closes after day 21).
    configure(fixed_today=dt.date(2026, 5, 21))
    uid = store.create_user("anna")
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21))
    factories.store_participant(store, uid, end=dt.date(2026, 5, 21), seed=2, finished=False)
    at = app(lang="en", user_id=uid, page=PAGE)
    scope = at.radio(key="progress_scope")
    assert scope.options[0].startswith("Current challenge")
    assert scope.options[-1] == i18n.t("progress.scope_history", "en")
    _open_tab(at, "progress.tab_before_after", "en")
    assert i18n.t("progress.prepost_missing", "en") in page_text(at)  # the running one has no post-test yet
    _open_tab(at, "progress.section_trajectory", "en")
    at.multiselect(key="progress_ratings").set_value(["headache"]).run()
    titles = [json.loads(c.proto.spec).get("title", {}).get("text", "") for c in _charts(at)]
    assert [x for x in titles if x.startswith(("Headache", "Sleep quality", "Energy"))] == [
        "Headache · lower is better"]
    at.radio(key="progress_scope").set_value("history").run()
    assert not at.exception
    assert "You logged 36 days across 2 challenges." in at.markdown[0].value
    assert [t.label for t in at.tabs] == [i18n.t("progress.section_trajectory", "en"),
                                          i18n.t("progress.section_history", "en")]


def test_she_never_sees_another_participants_data(app, store):
    anna = store.create_user("anna")
    bea = store.create_user("bea")
    factories.store_participant(store, anna, end=dt.date(2026, 3, 21))
    at = app(lang="nl", user_id=bea, page=PAGE)
    assert i18n.t("progress.empty", "nl") in page_text(at)
    assert not _charts(at)


def test_downloads_are_offered_but_built_only_on_click(app, store, monkeypatch):
    from lib import report

    built = []
    monkeypatch.setattr(report, "pdf_report", lambda *a, **k: built.append("pdf") or b"%PDF")
    monkeypatch.setattr(report, "chart_png", lambda *a, **k: built.append("png") or b"")
    uid = store.create_user("anna")
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21))
    at = app(lang="nl", user_id=uid, page=PAGE)
    at.run()
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    # The practitioner's report first, then her own files; the four chart images inside a fold-out, drawn
    # once she opens it.
    assert labels == [i18n.t("progress.download_pdf", "nl"), i18n.t("progress.download_csv", "nl")]
    buttons = _open_fold(at, "progress_png_fold").get("download_button")
    assert len(buttons) == 6  # PDF, CSV and four chart images
    assert buttons[0].proto.type == "primary" and buttons[1].proto.type != "primary"
    folds = [e.label for e in at.expander]
    assert i18n.t("progress.downloads_images", "nl") in folds
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)
    assert built == []  # nothing was rendered on the two runs


def test_without_a_baseline_it_is_called_change_during_the_challenge(app, store):
    uid = store.create_user("anna")
    cid = store.create_challenge(uid, start_date="2026-03-01", with_baseline=False, method="oil_spray",
                                 magnesium_start="2026-03-01")
    for i, v in enumerate([3, 3, 4, 6, 5, 7, 8, 8, 9, 9]):
        store.upsert_daily_log(uid, f"2026-03-{i + 1:02d}", {"challenge_id": cid, "phase": "magnesium",
                                                            "applied": 1, "sleep_quality": v, "energy": v,
                                                            "mood": v, "stress": 10 - v})
    at = app(lang="en", user_id=uid, page=PAGE)
    assert not at.exception
    _open_tab(at, "progress.tab_before_after", "en")
    heads = [h.value for h in at.subheader]
    assert i18n.t("progress.section_comparison_change", "en") in heads
    assert i18n.t("progress.section_comparison_baseline", "en") not in heads
    summary = at.markdown[0].value
    assert "first days" in summary and "change during the challenge" in summary
    assert "magnesium phase" not in summary and "baseline" not in summary
    assert i18n.t("progress.comparison_help_change", "en") in page_text(at)


def test_an_edited_day_shows_up_on_the_next_run(app, store):
    uid = store.create_user("anna")
    cid = factories.store_participant(store, uid, end=dt.date(2026, 3, 21), lang="en")
    at = app(lang="en", user_id=uid, page=PAGE)
    before = [c.value for c in at.caption if c.value.startswith("Sleep quality:")][0]
    last = store.daily_log(uid, "2026-03-21")
    store.upsert_daily_log(uid, "2026-03-21", {**last, "challenge_id": cid, "sleep_quality": 0})
    at.run()
    after = [c.value for c in at.caption if c.value.startswith("Sleep quality:")][0]
    assert before != after and "last 0" in after and "lowest 0" in after


def test_only_the_open_tab_is_drawn_and_her_choice_of_ratings_stays(app, store):
    # On a phone the browser draws only the charts she looks at: the open tab's.
    uid = store.create_user("anna")
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21), lang="nl")
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert [t.label for t in at.tabs] == [i18n.t(k, "nl") for k in TABS]
    heads = [h.value for h in at.subheader]
    assert i18n.t("progress.section_adherence", "nl") not in heads
    assert i18n.t("progress.section_prepost", "nl") not in heads
    at.multiselect(key="progress_ratings").set_value(["headache", "mood"]).run()
    assert len(_charts(at)) == 2
    _open_tab(at, "progress.tab_calendar", "nl")
    assert len(_charts(at)) == 1
    assert i18n.t("progress.section_adherence", "nl") in [h.value for h in at.subheader]
    assert not at.get("multiselect")  # the picker belongs to the first tab
    _open_tab(at, "progress.section_trajectory", "nl")
    assert at.multiselect(key="progress_ratings").value == ["headache", "mood"]
    assert len(_charts(at)) == 2
