"""Progress on a 390 x 844 phone, in Dutch and English: every chart readable (text of at least 12 px, no
label over another, nothing cut off, calendar cells of at least 24 px), no console warnings, no heading
anchors, and the CSV's header row in the page's language."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lib import i18n
from lib.store import Store
from tests import factories
from tests.browser import harness
from tests.browser.harness import ARTIFACTS_DIR, open_app, open_tab, wait_for_app

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHART = '[data-testid="stVegaLiteChart"]'

# Every visible text of every chart: its size in CSS pixels as drawn, its box, and the chart's box.
MEASURE = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map((chart, i) => {
  const svg = chart.querySelector('svg');
  if (!svg) return {i, missing: true};
  const r = svg.getBoundingClientRect();
  const scale = svg.width && svg.width.baseVal && svg.width.baseVal.value ? r.width / svg.width.baseVal.value : 1;
  const visible = el => {
    for (let e = el; e && e !== svg; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
    }
    return true;
  };
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && visible(t)).map(t => {
    const b = t.getBoundingClientRect();
    const owner = t.closest('[class*="role-"]');
    const role = owner ? owner.getAttribute('class') : '';
    return {text: t.textContent.trim(), size: parseFloat(getComputedStyle(t).fontSize) * scale, role,
            x: b.left, y: b.top, w: b.width, h: b.height};
  });
  const cells = [...svg.querySelectorAll('.role-mark path, .role-mark rect')].filter(p => visible(p))
    .map(p => { const b = p.getBoundingClientRect(); return {w: b.width, h: b.height,
      role: p.closest('[class*="role-"]').getAttribute('class')}; });
  const marks = [...svg.querySelectorAll('.role-mark path, .role-mark rect, .role-mark line')].filter(p => visible(p))
    .map(p => { const b = p.getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height}; });
  return {i, label: chart.getAttribute('aria-label') || '', box: {x: r.left, y: r.top, w: r.width, h: r.height},
          host: (() => { const h = chart.getBoundingClientRect(); return {x: h.left, w: h.width}; })(),
          texts, cells, marks};
})"""


def _overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return w * h if w > 0 and h > 0 else 0.0


def _outside(item: dict, box: dict, slack: float = 1.0) -> bool:
    return (item["x"] < box["x"] - slack or item["y"] < box["y"] - slack
            or item["x"] + item["w"] > box["x"] + box["w"] + slack
            or item["y"] + item["h"] > box["y"] + box["h"] + slack)


def _newcomer(page, server, lang: str) -> None:
    """A participant two days into her first challenge: one evening logged with a single rating, the others
    left open (None), no test after yet: charts with little or no data."""
    username = f"new.{lang}"
    page.set_viewport_size(DESKTOP)
    harness.sign_up(page, server, username, "Kalm-Magnesium-2026!", display_name="Bea", lang=lang)
    store = Store(server.db_path)
    uid = store.user_by_username(username)["id"]
    today = dt.date.today()
    start = today - dt.timedelta(days=1)
    cid = store.create_challenge(uid, start_date=start.isoformat(), with_baseline=True, method="oil_spray",
                                 planned_amount=10, amount_unit="sprays", pre_test=factories.pre_test(2),
                                 pre_score=50.0)
    store.upsert_daily_log(uid, start.isoformat(), {"challenge_id": cid, "phase": "baseline", "applied": 0,
                                                    "sleep_quality": 6})
    page.set_viewport_size(PHONE)


def _phone_page(browser):
    """A new phone-sized page and the list its console warnings, errors and page errors go into."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type in ("warning", "error") and console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    return context, page, console


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_newcomers_nearly_empty_charts_draw_without_warnings(browser, server, lang):
    context, page, console = _phone_page(browser)
    try:
        _newcomer(page, server, lang)
        console.clear()
        open_app(page, server, "progress")
        page.get_by_role("heading", name=i18n.t("progress.title", lang)).wait_for()
        _wait_for_charts(page, 2)  # two ratings day by day (sleep and muscle tension)
        charts = page.evaluate(MEASURE)
        open_tab(page, i18n.t("progress.tab_calendar", lang))
        _wait_for_charts(page, 1)  # and the calendar in its own tab
        charts += page.evaluate(MEASURE)
        small = [(c["i"], t["text"], t["size"]) for c in charts for t in c["texts"] if t["size"] < 12 - 0.01]
        assert small == []
        own = [m for m in console if "_stcore" not in m and "404" not in m]
        assert own == [], own[:10]
    finally:
        context.close()


def _participant(page, server, lang: str) -> None:
    """A participant with a finished challenge (baseline week, 14 magnesium days, both tests), logged in."""
    username = f"phone.{lang}"
    page.set_viewport_size(DESKTOP)
    harness.sign_up(page, server, username, "Kalm-Magnesium-2026!", display_name="Anna", lang=lang)
    store = Store(server.db_path)
    uid = store.user_by_username(username)["id"]
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21), lang=lang)
    page.set_viewport_size(PHONE)


def _wait_for_charts(page, expected: int) -> None:
    page.wait_for_function(
        f"""() => {{
            const charts = document.querySelectorAll('{CHART}');
            return charts.length >= {expected}
                && [...charts].every(c => c.querySelector('svg .role-axis, svg .role-mark'));
        }}""", timeout=30_000)
    page.wait_for_timeout(800)  # Vega lays labels out once more after the first draw


def _problems(charts: list[dict]) -> list[str]:
    """What a reader on a phone would notice: small text, a label over another, something cut off."""
    problems: list[str] = []
    for c in charts:
        name = f"chart {c['i']}"
        assert not c.get("missing"), f"{name} was not drawn"
        assert c["texts"], f"{name} has no text"
        # Nothing cut: the drawing fits the chart's own place and the phone's width.
        if c["box"]["x"] < -0.5 or c["box"]["x"] + c["box"]["w"] > PHONE["width"] + 0.5:
            problems.append(f"{name} is {c['box']['w']:.0f} px wide at x={c['box']['x']:.0f}: cut by the screen")
        if c["box"]["w"] > c["host"]["w"] + 1:
            problems.append(f"{name} is wider than its place ({c['box']['w']:.0f} > {c['host']['w']:.0f} px)")
        for text in c["texts"]:
            if text["size"] < 12 - 0.01:
                problems.append(f"{name}: '{text['text']}' is {text['size']:.1f} px")
            if _outside(text, c["box"]):
                problems.append(f"{name}: '{text['text']}' is cut off")
        for mark in c["marks"]:
            if mark["w"] and mark["h"] and _outside(mark, c["box"]):
                problems.append(f"{name}: a mark at x={mark['x']:.0f} w={mark['w']:.0f} is cut off")
                break
        texts = c["texts"]
        for a_i, a in enumerate(texts):
            for b in texts[a_i + 1:]:
                if _overlap(a, b) > 2:
                    problems.append(f"{name}: '{a['text']}' and '{b['text']}' overlap")
    return problems


def _download(page, label: str) -> bytes:
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return open(info.value.path(), "rb").read()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_progress_charts_are_readable_on_a_phone(browser, server, lang):
    context, page, console = _phone_page(browser)
    try:
        _participant(page, server, lang)
        console.clear()  # the account form's page is not what this test is about
        open_app(page, server, "progress")
        page.get_by_role("heading", name=i18n.t("progress.title", lang)).wait_for()
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        charts = []
        # Each tab draws its own charts: two ratings day by day, before/after and comparison, the calendar.
        for i, (key, expected) in enumerate((("progress.section_trajectory", 2), ("progress.tab_before_after", 2),
                                             ("progress.tab_calendar", 1))):
            if i:
                open_tab(page, i18n.t(key, lang))
            _wait_for_charts(page, expected)
            page.screenshot(path=str(ARTIFACTS_DIR / f"progress-phone-{lang}-tab{i}.png"), full_page=False)
            charts += [{**c, "i": f"{i}.{c['i']}"} for c in page.evaluate(MEASURE)]
        (ARTIFACTS_DIR / f"progress-phone-charts-{lang}.json").write_text(json.dumps(charts, indent=1))
        assert len(charts) == 5
        problems = _problems(charts)
        # The logging calendar: its day cells are at least 24 px either way.
        calendar = [c for c in charts if c["cells"] and any(
            t["text"] == i18n.t("progress.weekdays", lang).split(",")[0] for t in c["texts"])]
        assert calendar, "no logging calendar found"
        cells = [cell for cell in calendar[0]["cells"] if cell["w"] > 5 and cell["h"] > 5]
        assert len(cells) >= 14
        smallest = min(min(cell["w"], cell["h"]) for cell in cells)
        assert smallest >= 24, f"calendar cells are {smallest:.1f} px"
        assert problems == [], "\n".join(problems[:40])
        # Her log as CSV: the header row in the page's language.
        csv = _download(page, i18n.t("progress.download_csv", lang)).decode("utf-8-sig")
        sep = ";" if lang == "nl" else ","
        header = csv.splitlines()[0].split(sep)
        assert header[:3] == [i18n.t(f"progress.csv.{c}", lang) for c in ("day", "challenge_id", "phase")]
        # The history view (all her challenges) on the phone too.
        scope = page.get_by_role("radiogroup", name=i18n.t("progress.scope", lang))
        choice = scope.get_by_text(i18n.t("progress.scope_history", lang), exact=True)
        choice.scroll_into_view_if_needed()
        choice.click()
        wait_for_app(page)
        _wait_for_charts(page, 2)
        assert _problems(page.evaluate(MEASURE)) == []
        open_tab(page, i18n.t("progress.section_history", lang))
        _wait_for_charts(page, 1)
        assert _problems(page.evaluate(MEASURE)) == []
        # No console warnings or errors from the app (Vega's "Infinite extent" included).
        own = [m for m in console if "_stcore" not in m and "404" not in m]
        assert own == [], own[:10]
    finally:
        context.close()
