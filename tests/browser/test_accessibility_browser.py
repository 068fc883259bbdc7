"""Accessibility in the browser, at 390 px wide, in Dutch and English, as a visitor and a participant mid-challenge.

axe-core on every page:

The viewport is made as tall as the page (Streamlit scrolls its main area, not the document), so everything a
participant can scroll to is scanned. A serious or critical violation fails the test unless it is Streamlit's
own and listed in ``STREAMLIT_OWN`` with a reason. Every run writes ``test-artifacts/axe-report.json`` and
``axe-report.md``: each page's violations, the nodes they touch, and how many of those are serious or worse.

Every page says its language on ``<html lang>`` (as served, and after the script ran) and has its own title;
each chart is one labelled graphic whose label is its summary, without Vega's raw per-point and axis labels.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe

from lib import auth, i18n, page_table
from lib.demo import demo_participant
from lib.store import Store
from tests.browser.harness import ARTIFACTS_DIR, SESSION_COOKIE, AppServer, open_app

PHONE = {"width": 390, "height": 844}
TODAY = dt.date(2026, 3, 10)
PASSWORD = "Groene-thee-op-zondag-42"
SERIOUS = ("serious", "critical")

# Violations of Streamlit's own markup that the app cannot change: rule id -> why it stays. Empty while none
# is found; a new entry needs its reason and the selector it is limited to.
STREAMLIT_OWN: dict[str, tuple[str, str]] = {}

_axe = Axe()
_results: dict[str, dict] = {}


_participants: dict[str, int] = {}


def _mid_challenge(server: AppServer, lang: str) -> int:
    """A participant on magnesium day 4 after a baseline week, every evening logged but one, up to yesterday."""
    if lang in _participants:
        return _participants[lang]
    store = Store(server.db_path)
    res = auth.sign_up(store, username=f"mid.{lang}", password=PASSWORD, display_name="Mid", lang=lang,
                       consent=True)
    assert res.ok, res.error
    uid = res.user_id
    d = demo_participant(lang, end=TODAY + dt.timedelta(days=10), seed=3)
    ch, pre = d["challenge"], d["assessments"]["pre"]
    cid = store.create_challenge(uid, start_date=ch["start_date"], with_baseline=True, method=ch["method"],
                                 planned_amount=20, amount_unit="minutes", magnesium_start=ch["magnesium_start"],
                                 pre_test=pre["answers"], pre_score=pre["score"])
    for row in d["logs"]:
        if row["day"] >= TODAY.isoformat():
            continue
        entry = {k: v for k, v in row.items() if k not in ("user_id", "day")}
        entry["challenge_id"] = cid
        store.upsert_daily_log(uid, row["day"], entry)
    _participants[lang] = uid
    return uid


@contextlib.contextmanager
def _phone_context(browser, server: AppServer, lang: str, who: str = "participant"):
    """A phone-sized browser context in ``lang``; a participant's has her mid-challenge and logged in."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL" if lang == "nl" else "en-GB",
                                  timezone_id="Europe/Amsterdam")
    try:
        if who == "participant":
            token = auth.start_session(Store(server.db_path), _mid_challenge(server, lang))
            context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
        yield context
    finally:
        context.close()


def _open_full_height(page, server: AppServer, path: str) -> None:
    """Open the page at phone width, then make the viewport as tall as everything in its main area."""
    page.set_viewport_size(PHONE)
    open_app(page, server, path)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
        ".every(c => c.querySelector('svg, canvas'))", timeout=15_000)
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], int(height) + 40)})
    page.wait_for_timeout(300)  # the layout settles to the new height; axe then reads it as it stands


def _scan(page) -> list[dict]:
    res = _axe.run(page, options={"resultTypes": ["violations"]})
    return res.response["violations"]


def _is_streamlit_own(v: dict) -> bool:
    own = STREAMLIT_OWN.get(v["id"])
    return own is not None and all(own[0] in " ".join(n["target"] if isinstance(n["target"], list) else [])
                                   for n in v["nodes"])


def _summary(violations: list[dict]) -> dict:
    return {
        "rules": len(violations),
        "nodes": sum(len(v["nodes"]) for v in violations),
        "serious_nodes": sum(len(v["nodes"]) for v in violations if v["impact"] in SERIOUS),
        "violations": [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"]),
                        "targets": [n["target"] for n in v["nodes"]][:10],
                        "summaries": [n.get("failureSummary", "") for n in v["nodes"]][:3],
                        "streamlit_own": _is_streamlit_own(v)} for v in violations],
    }


def _write_report() -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    (ARTIFACTS_DIR / "axe-report.json").write_text(json.dumps(_results, indent=1, ensure_ascii=False))
    lines = ["# axe-core at 390 px, every page", "",
             "| page | language | who | violations (rules) | nodes | serious or critical nodes |",
             "| --- | --- | --- | --- | --- | --- |"]
    for key in sorted(_results):
        r = _results[key]
        lines.append(f"| {r['page']} | {r['lang']} | {r['who']} | {r['rules']} | {r['nodes']} | {r['serious_nodes']} |")
    lines.append("")
    for key in sorted(_results):
        for v in _results[key]["violations"]:
            own = " (Streamlit's own, allowed)" if v["streamlit_own"] else ""
            lines.append(f"- {key}: `{v['id']}` {v['impact']}, {v['nodes']} nodes{own}: {v['help']}")
    (ARTIFACTS_DIR / "axe-report.md").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("who", ["visitor", "participant"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_has_no_serious_violation_the_app_causes(browser, dated_server, lang, who):
    with _phone_context(browser, dated_server, lang, who) as context:
        page = context.new_page()
        failures = []
        for row in page_table.PAGES:
            query = "?lang=en" if (who == "visitor" and lang == "en") else ""
            _open_full_height(page, dated_server, f"{row.url_path}{query}")
            violations = _scan(page)
            key = f"{row.url_path}/{lang}/{who}"
            _results[key] = {"page": row.url_path, "lang": lang, "who": who, **_summary(violations)}
            for v in violations:
                if v["impact"] in SERIOUS and not _is_streamlit_own(v):
                    failures.append(f"{key}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes) {v['help']}: "
                                    f"{[n['target'] for n in v['nodes']][:3]}")
        _write_report()
        assert failures == [], "\n".join(failures)


def _title(row, lang: str) -> str:
    return i18n.t("common.page_title", lang, page=i18n.t(row.title_key, lang), app=i18n.t("common.app_name", lang))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_says_its_language_and_its_own_title_as_served_and_once_drawn(browser, dated_server, lang):
    query = "?lang=en" if lang == "en" else ""
    for row in page_table.PAGES:
        with urllib.request.urlopen(f"{dated_server.url}/{row.url_path}{query}", timeout=10) as r:
            served = r.read().decode()
        assert f'<html lang="{lang}"' in served, f"{row.url_path}: served as {served[served.find('<html'):][:30]}"
        assert f"<title>{_title(row, lang)}</title>" in served, row.url_path
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for row in page_table.PAGES:
            open_app(page, dated_server, f"{row.url_path}{query}")
            assert page.evaluate("document.documentElement.lang") == lang, row.url_path
            assert page.title() == _title(row, lang), row.url_path
        # Switching the language on a Dutch page changes the document's language at once.
        if lang == "en":
            open_app(page, dated_server, "log")
            assert page.evaluate("document.documentElement.lang") == "nl"
            page.get_by_test_id("stExpandSidebarButton").click()
            page.get_by_test_id("stSidebar").get_by_text(i18n.LANGUAGES["en"], exact=True).click()
            page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
            page.wait_for_function("(t) => document.title === t", arg=_title(page_table.PAGES[4], "en"),
                                   timeout=10_000)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_her_profile_language_is_the_documents_language_whatever_the_device_said(browser, dated_server, lang):
    with _phone_context(browser, dated_server, lang) as context:
        page = context.new_page()
        open_app(page, dated_server, "log")
        page.wait_for_function("(l) => document.documentElement.lang === l", arg=lang, timeout=10_000)
        assert page.title() == _title(page_table.PAGES[4], lang)


RAW_LABELS = ("date_end", "phase_name", "-axis", "Title text", "status_name", "kind_name", "X-as", "Y-as")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_chart_is_one_graphic_labelled_with_its_summary_without_raw_labels(browser, dated_server, lang):
    with _phone_context(browser, dated_server, lang) as context:
        page = context.new_page()
        open_app(page, dated_server, "progress")
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        charts.first.locator("svg").wait_for()
        _open_full_height(page, dated_server, "progress")
        assert charts.count() >= 2, "the day-by-day tab shows her ratings"
        # The summary is the caption right below each chart.
        summaries = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(c => {
            const box = c.closest('[data-testid=stElementContainer]');
            let next = box.nextElementSibling;
            return next ? next.innerText.trim() : null; })""")
        assert all(summaries), summaries
        tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        shown = [(n.get("role", {}).get("value"), str(n.get("name", {}).get("value", ""))) for n in tree
                 if not n.get("ignored")]
        raw = [name for _role, name in shown if any(w in name for w in RAW_LABELS)]
        assert raw == [], f"Vega's raw labels reach a screen reader: {raw[:5]}"
        for summary in summaries:
            label = i18n.t("progress.chart_label", lang, summary=summary)
            graphics = [name for role, name in shown if role == "graphics-document"]
            assert graphics.count(label) == 1, (label, graphics)
            # Once as the chart's label, once as the visible caption; no toolbar button repeats it.
            repeats = [(role, name) for role, name in shown if summary in name and role not in ("InlineTextBox",)]
            assert sorted(r for r, _ in repeats) == ["StaticText", "graphics-document"], repeats
