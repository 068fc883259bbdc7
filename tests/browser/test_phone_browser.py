"""The app on a 390x844 phone, in Dutch and English, for a visitor and a participant at every stage.

On every page: nothing scrolls sideways (Streamlit scrolls its main area, not the document, so both are
measured), the menu to every other page is on the first screen without opening anything, and Home's one
next step is on the first screen. The daily log: its rating scales stay on one row with thumb-sized
buttons, the eight ratings fit one screen, the page from its top to Save fits two, a skipped rating is
stored as empty, and what she tapped survives her phone losing the connection for a while.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lib import auth, i18n, locales, page_table
from lib.signals import by_rating, rating_columns
from lib.store import Store
from tests import factories
from tests.browser.harness import (
    ARTIFACTS_DIR,
    SESSION_COOKIE,
    AppServer,
    open_app,
    wait_for_app,
)

PHONE = {"width": 390, "height": 844}
TODAY = dt.date(2026, 3, 10)
PASSWORD = "Groene-thee-op-zondag-42"

# (name, how her challenge stands on TODAY, Home's next-step label key)
STAGES = [
    ("visitor", None, "home.go_quiz"),
    ("nochallenge", "none", "home.next_start"),
    ("baseline", "baseline", "home.next_log_today"),
    ("magnesium", "day", "home.next_log_today"),
    ("posttest", "post", "home.next_post_test"),
    ("finished", "finished", "home.next_finished"),
]


# Streamlit's chart element draws every Vega-Lite chart once without its rows before it adds them, and Vega
# logs this warning for that empty draw: a plain Streamlit page with one line chart logs it too.
STREAMLIT_EMPTY_CHART = "WARN Infinite extent for field"
FAILED_LOAD = "Failed to load resource"  # the failed request itself is kept (with its address) instead


def _app_errors(page) -> list[str]:
    """Console warnings and errors of the app itself, not Streamlit's own ``_stcore`` probes."""
    return [e for e in page.console_errors
            if "_stcore" not in e and STREAMLIT_EMPTY_CHART not in e and FAILED_LOAD not in e]


@pytest.fixture
def phone(browser, request):
    """A phone-sized page that keeps console warnings as well as errors."""
    lang = getattr(request, "param", "nl")
    context = browser.new_context(viewport=PHONE, locale="nl-NL" if lang == "nl" else "en-GB",
                                  timezone_id="Europe/Amsterdam", has_touch=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: msg.type in ("error", "warning")
          and pg.console_errors.append(f"{pg.url} {getattr(pg, 'stage', '')}: {msg.text}"))
    pg.on("pageerror", lambda exc: pg.console_errors.append(f"{pg.url}: {exc}"))
    pg.on("response", lambda r: r.status >= 400 and pg.console_errors.append(f"HTTP {r.status} {r.url}"))
    yield pg
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS_DIR / f"{request.node.name}-failure.png"))
    context.close()


def _participant(server: AppServer, name: str, stage: str | None, lang: str) -> int | None:
    """A participant whose challenge is at ``stage`` on TODAY, written through the store."""
    if stage is None:
        return None
    store = Store(server.db_path)
    res = auth.sign_up(store, username=f"{name}.{lang}", password=PASSWORD, display_name=name.title(), lang=lang,
                       consent=True)
    assert res.ok, res.error
    uid = res.user_id
    pre = factories.pre_test()
    if stage == "baseline":
        store.create_challenge(uid, start_date=(TODAY - dt.timedelta(days=2)).isoformat(), with_baseline=True,
                               method="oil_spray", planned_amount=10, amount_unit="sprays", pre_test=pre, pre_score=50)
    elif stage in ("day", "post"):
        start = TODAY - dt.timedelta(days=4 if stage == "day" else 14)
        store.create_challenge(uid, start_date=start.isoformat(), with_baseline=False, method="oil_spray",
                               planned_amount=10, amount_unit="sprays", magnesium_start=start.isoformat(),
                               pre_test=pre, pre_score=50)
    elif stage == "finished":
        factories.store_participant(store, uid, end=TODAY - dt.timedelta(days=2), lang=lang)
    return uid


def _log_in(page, server: AppServer, uid: int) -> None:
    token = auth.start_session(Store(server.db_path), uid)
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])


def _to_english(page) -> None:
    """A visitor switches the language in the side panel (opened and closed again)."""
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebar").get_by_text(i18n.LANGUAGES["en"], exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()


LAYOUT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const links = [...document.querySelectorAll('.st-key-mg_nav a')].map(a => {
    const r = a.getBoundingClientRect(); const p = a.querySelector('p');
    return {text: (p ? p.innerText : a.innerText).trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            height: r.height, clipped: p ? p.scrollWidth > p.clientWidth + 1 : true};
  });
  const next = document.querySelector('.st-key-home_next a');
  return {mainScrollWidth: main.scrollWidth, mainWidth: main.clientWidth, mainTop: main.scrollTop,
          docScrollWidth: document.documentElement.scrollWidth, width: innerWidth, height: innerHeight,
          links, next: next ? next.getBoundingClientRect().toJSON() : null};
}"""


def _check_layout(page, where: str, labels: list[str]) -> dict:
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    m = page.evaluate(LAYOUT)
    assert m["mainScrollWidth"] <= m["mainWidth"], f"{where}: the main area scrolls sideways {m}"
    assert m["docScrollWidth"] <= m["width"], f"{where}: the document scrolls sideways {m}"
    assert [x["text"] for x in m["links"]] == labels, where
    for link in m["links"]:
        assert link["top"] >= 0 and link["bottom"] <= m["height"], f"{where}: {link} not on the first screen"
        assert link["left"] >= 0 and link["right"] <= m["width"], f"{where}: {link} outside the screen"
        assert link["height"] >= 24 and not link["clipped"], f"{where}: {link}"
    return m


@pytest.mark.parametrize("phone", ["nl", "en"], indirect=True)
def test_every_page_at_every_stage_fits_the_phone_with_the_menu_and_next_step_on_the_first_screen(
        phone, dated_server, request):
    lang = request.node.callspec.params["phone"]
    page = phone
    labels = [i18n.t(row.title_key, lang) for row in page_table.PAGES]
    for name, stage, next_key in STAGES:
        page.context.clear_cookies()
        page.stage = name
        uid = _participant(dated_server, f"{name}", stage, lang)
        if uid is not None:
            _log_in(page, dated_server, uid)
        open_app(page, dated_server)
        if uid is None and lang == "en":
            _to_english(page)
        page.get_by_role("heading", name=i18n.t("home.title", lang)).wait_for()
        page.locator(".st-key-home_next a").wait_for()
        m = _check_layout(page, f"{name}/home", labels)
        next_label = i18n.t(next_key, lang)
        assert m["next"] is not None, f"{name}: no next step on Home"
        assert m["next"]["bottom"] <= m["height"], f"{name}: Home's next step below the first screen {m['next']}"
        assert page.locator(".st-key-home_next a p").inner_text().strip() == next_label, name
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"phone-home-{name}-{lang}.png"))
        # Every other page, reached by tapping the menu.
        for row in page_table.PAGES[1:]:
            link = page.locator(".st-key-mg_nav").get_by_role("link", name=i18n.t(row.title_key, lang), exact=True)
            link.tap()
            page.wait_for_url(re.compile(rf"/{row.url_path}(\?.*)?$"))
            wait_for_app(page)
            _check_layout(page, f"{name}/{row.url_path}", labels)
        page.locator(".st-key-mg_nav").get_by_role("link", name=labels[0], exact=True).tap()
        page.wait_for_url(re.compile(rf"^{re.escape(dated_server.url)}/(\?.*)?$"))
        wait_for_app(page)
    errors = _app_errors(page)
    assert errors == [], "\n".join(errors)


def _rating_groups(page):
    """The eight rating scales, once drawn (Streamlit loads the scale's code on first use)."""
    groups = page.locator(".st-key-log_ratings [role=radiogroup]")
    groups.nth(len(rating_columns()) - 1).wait_for()
    return groups


RATINGS_LAYOUT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const groups = [...document.querySelectorAll('.st-key-log_ratings [role="radiogroup"]')].map(g =>
    [...g.querySelectorAll('button')].map(b => b.getBoundingClientRect().toJSON()));
  const block = document.querySelector('.st-key-log_ratings').getBoundingClientRect();
  const firstLabel = document.querySelector(
    '.st-key-log_ratings .mg-scale-label').getBoundingClientRect();
  const save = document.querySelector('.st-key-log_save button').getBoundingClientRect();
  return {groups, ratingsTop: firstLabel.top + main.scrollTop, ratingsBottom: block.bottom + main.scrollTop,
          saveBottom: save.bottom + main.scrollTop, width: innerWidth, height: innerHeight,
          mainScrollWidth: main.scrollWidth, mainWidth: main.clientWidth};
}"""


@pytest.mark.parametrize("phone", ["nl", "en"], indirect=True)
def test_the_daily_log_fits_the_phone_and_a_skipped_rating_stays_empty(phone, dated_server, request):
    lang = request.node.callspec.params["phone"]
    page = phone
    uid = _participant(dated_server, "logger", "day", lang)
    _log_in(page, dated_server, uid)
    open_app(page, dated_server)
    page.locator(".st-key-home_next a").tap()
    page.wait_for_url(re.compile(r"/log(\?.*)?$"))
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("log.how_today", lang)).wait_for()
    assert _rating_groups(page).count() == len(rating_columns())
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"phone-log-{lang}.png"))

    m = page.evaluate(RATINGS_LAYOUT)
    assert m["mainScrollWidth"] <= m["mainWidth"]
    for i, buttons in enumerate(m["groups"]):
        assert len(buttons) == 11, i
        assert len({round(b["top"]) for b in buttons}) == 1, f"rating {i} wraps: {buttons}"
        assert all(b["width"] >= 24 and b["height"] >= 24 for b in buttons), f"rating {i}: a button under 24 px"
        assert buttons[0]["left"] >= 0 and buttons[-1]["right"] <= m["width"], f"rating {i} leaves the screen"
    assert m["ratingsBottom"] - m["ratingsTop"] <= PHONE["height"], m
    assert m["saveBottom"] <= 2 * PHONE["height"], m

    # A screen reader hears each rating's name and what 0 and 10 mean, then the number she taps.
    signals = by_rating()
    for column in rating_columns():
        sig = signals[column]
        group = page.get_by_role("radiogroup", name=sig.text("rating", lang), exact=False)
        assert sig.text("scale", lang).split(" · ")[0] in group.get_attribute("aria-label")
        assert group.get_by_role("radio").count() == 11
    sleep = page.get_by_role("radiogroup", name=signals["sleep_quality"].text("rating", lang), exact=False)
    stress = page.get_by_role("radiogroup", name=signals["stress"].text("rating", lang), exact=False)
    seven = sleep.get_by_role("radio", name="7", exact=True)
    seven.tap()
    wait_for_app(page)
    seven.tap()  # the chosen number again: not rated after all
    wait_for_app(page)
    assert sleep.locator('[aria-checked="true"]').count() == 0
    seven.tap()
    wait_for_app(page)
    stress.get_by_role("radio", name="2", exact=True).tap()
    wait_for_app(page)
    assert sleep.get_by_role("radio", name="7", exact=True).get_attribute("aria-checked") == "true"
    page.get_by_test_id("stRadio").get_by_text(i18n.t("log.yes", lang), exact=True).tap()
    wait_for_app(page)
    page.locator(".st-key-log_save button").tap()
    wait_for_app(page)
    page.get_by_text(i18n.t("log.saved", lang, day=locales.date_long(TODAY, lang))).wait_for()
    row = Store(dated_server.db_path).daily_log(uid, TODAY.isoformat())
    assert row["sleep_quality"] == 7 and row["stress"] == 2 and row["applied"] == 1
    skipped = [c for c in rating_columns() if c not in ("sleep_quality", "stress")]
    assert [row[c] for c in skipped] == [None] * len(skipped), "a skipped rating must be stored as empty"
    # The same run shows the saved day: the picker says so, and so does the note above the form.
    page.screenshot(path=str(ARTIFACTS_DIR / f"phone-log-saved-{lang}.png"))
    assert page.get_by_role("combobox", name=i18n.t("log.day", lang)).input_value() == i18n.t(
        "log.day_today", lang).capitalize()
    page.get_by_text(i18n.t("log.day_state", lang, day=locales.date_long(TODAY, lang),
                            state=i18n.t("log.day_logged", lang)), exact=True).wait_for()
    page.get_by_text(i18n.t("log.already", lang)).wait_for()
    assert _app_errors(page) == []


@pytest.mark.parametrize("phone", ["nl"], indirect=True)
def test_a_past_day_asks_about_that_day(phone, dated_server):
    page = phone
    uid = _participant(dated_server, "pastday", "day", "nl")
    _log_in(page, dated_server, uid)
    open_app(page, dated_server, "log")
    box = page.get_by_test_id("stSelectbox").filter(has_text=i18n.t("log.day", "nl"))
    box.click()
    past = TODAY - dt.timedelta(days=2)
    page.get_by_role("option", name=locales.day_month(past, "nl"), exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("log.how_day", "nl", day="8 maart")).wait_for()
    assert page.get_by_role("heading", name=i18n.t("log.how_today", "nl")).count() == 0
    assert _app_errors(page) == []


@pytest.mark.parametrize("phone", ["nl"], indirect=True)
def test_what_she_tapped_is_still_there_after_the_phone_was_away(phone, tmp_path):
    """Locked phone or another app: the connection drops, and after a few minutes the server has let her
    session go (here: the server restarted, which loses every session). Back in the tab, her taps are
    still there and Save stores them."""
    page = phone
    server = AppServer(tmp_path / "away.db", today=TODAY.isoformat()).start()
    try:
        uid = _participant(server, "away", "day", "nl")
        _log_in(page, server, uid)
        open_app(page, server, "")
        open_app(page, server, "log")
        _rating_groups(page)
        signals = by_rating()
        energy = page.get_by_role("radiogroup", name=signals["energy"].text("rating", "nl"), exact=False)
        energy.get_by_role("radio", name="3", exact=True).tap()
        wait_for_app(page)
        mood = page.get_by_role("radiogroup", name=signals["mood"].text("rating", "nl"), exact=False)
        mood.get_by_role("radio", name="8", exact=True).tap()
        wait_for_app(page)
        page.get_by_test_id("stRadio").get_by_text(i18n.t("log.no", "nl"), exact=True).tap()
        wait_for_app(page)
        # Away: offline for a while, and the server forgets every session meanwhile.
        page.context.set_offline(True)
        server.stop()
        page.wait_for_timeout(1500)
        server.start(same_port=True)
        page.context.set_offline(False)
        page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=60_000)
        wait_for_app(page)
        page.get_by_role("heading", name=i18n.t("log.how_today", "nl")).wait_for()
        _rating_groups(page)
        energy = page.get_by_role("radiogroup", name=signals["energy"].text("rating", "nl"), exact=False)
        mood = page.get_by_role("radiogroup", name=signals["mood"].text("rating", "nl"), exact=False)
        assert energy.get_by_role("radio", name="3", exact=True).get_attribute("aria-checked") == "true"
        assert mood.get_by_role("radio", name="8", exact=True).get_attribute("aria-checked") == "true"
        page.locator(".st-key-log_save button").tap()
        wait_for_app(page)
        page.get_by_text(i18n.t("log.saved", "nl", day=locales.date_long(TODAY, "nl"))).wait_for()
        row = Store(server.db_path).daily_log(uid, TODAY.isoformat())
        assert row["energy"] == 3 and row["mood"] == 8 and row["applied"] == 0 and row["sleep_quality"] is None
    finally:
        page.goto("about:blank")
        server.stop()
