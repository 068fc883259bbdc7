"""axe-core on every page at 390 px wide, in Dutch and English, as a visitor and as a participant mid-challenge.

The viewport is made as tall as the page (Streamlit scrolls its main area, not the document), so everything a
participant can scroll to is scanned. A serious or critical violation fails the test unless it is Streamlit's
own and listed in ``STREAMLIT_OWN`` with a reason. Every run writes ``test-artifacts/axe-report.json`` and
``axe-report.md``: each page's violations, the nodes they touch, and how many of those are serious or worse.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from lib import auth, page_table
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


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    srv = AppServer(folder / "a11y.db", today=TODAY.isoformat()).start()
    yield srv
    srv.stop()


def _mid_challenge(server: AppServer, lang: str) -> int:
    """A participant on magnesium day 4 after a baseline week, every evening logged but one, up to yesterday."""
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
    return uid


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
def test_every_page_has_no_serious_violation_the_app_causes(browser, a11y_server, lang, who):
    context = browser.new_context(viewport=PHONE, locale="nl-NL" if lang == "nl" else "en-GB",
                                  timezone_id="Europe/Amsterdam")
    page = context.new_page()
    try:
        if who == "participant":
            uid = _mid_challenge(a11y_server, lang)
            token = auth.start_session(Store(a11y_server.db_path), uid)
            context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": a11y_server.url}])
        failures = []
        for row in page_table.PAGES:
            query = "?lang=en" if (who == "visitor" and lang == "en") else ""
            _open_full_height(page, a11y_server, f"{row.url_path}{query}")
            violations = _scan(page)
            key = f"{row.url_path}/{lang}/{who}"
            _results[key] = {"page": row.url_path, "lang": lang, "who": who, **_summary(violations)}
            for v in violations:
                if v["impact"] in SERIOUS and not _is_streamlit_own(v):
                    failures.append(f"{key}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes) {v['help']}: "
                                    f"{[n['target'] for n in v['nodes']][:3]}")
        _write_report()
        assert failures == [], "\n".join(failures)
    finally:
        context.close()
