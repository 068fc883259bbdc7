"""The keyboard only: a participant on a magnesium day fills in and saves her daily log on a phone-sized
screen with Tab, Shift+Tab, Space, Enter and the arrow keys, and lands on the confirmation.

- Every Tab stop of the page is on the screen when it has focus: the folded side panel (the language
  switch) adds no stops she cannot see.
- After Save, focus is on the confirmation ("Opgeslagen: 10 maart 2026."), which is a status message
  (``role="status"``) a screen reader reads out, and the saved day is what the page shows.
"""

from __future__ import annotations

import pytest

from lib import i18n, locales
from lib.signals import by_rating
from lib.store import Store
from tests.browser.harness import ARTIFACTS_DIR, open_app, wait_for_app
from tests.browser.test_phone_browser import PHONE, TODAY, _log_in, _participant

MAX_STOPS = 200

# What has focus, where it is and what it says.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const group = el.closest('[role="radiogroup"]');
  const status = el.closest('[role="status"]');
  window.mgStops = window.mgStops || new WeakMap();
  if (!window.mgStops.has(el)) window.mgStops.set(el, window.mgStops.n = (window.mgStops.n || 0) + 1);
  return {stop: window.mgStops.get(el), tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), id: el.id,
          text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
          label: el.getAttribute('aria-label') || '', group: group ? group.getAttribute('aria-label') || '' : '',
          checked: el.getAttribute('aria-checked') || String(el.checked === true),
          status: status ? status.innerText.trim() : null,
          inSidebar: !!el.closest('[data-testid="stSidebar"]'),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
          visible: el.checkVisibility({visibilityProperty: true, opacityProperty: true}),
          key: el.outerHTML.slice(0, 160)};
}"""


@pytest.fixture
def kb_page(browser, request):
    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"{request.node.name}-failure.png"))
    context.close()


def _focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def _tab_to(page, wanted, what: str, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until ``wanted(focused)`` holds; the keyboard's own way through the page."""
    for _ in range(MAX_STOPS):
        page.keyboard.press(key)
        f = _focused(page)
        if f is not None and wanted(f):
            return f
    raise AssertionError(f"{what}: not reached with {key}")


def _on_screen(f: dict) -> bool:
    return (f["visible"] and f["width"] > 0 and f["height"] > 0 and f["right"] > 0 and f["left"] < PHONE["width"]
            and f["bottom"] > 0 and f["top"] < PHONE["height"])


def _open_log(page, server, name: str) -> int:
    """A new participant on a magnesium day, logged in, on her daily log with its eight scales drawn."""
    uid = _participant(server, name, "day", "nl")
    _log_in(page, server, uid)
    open_app(page, server, "log")
    page.locator(".st-key-log_ratings [role=radiogroup]").nth(7).wait_for()
    return uid


def test_every_tab_stop_of_the_daily_log_is_on_the_screen(kb_page, dated_server):
    page = kb_page
    _open_log(page, dated_server, "tabstops")
    stops, seen = [], set()
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)  # the browser scrolls the focused element into view
        f = _focused(page)
        if f is None:
            continue
        if f["stop"] in seen:  # round the page once
            break
        seen.add(f["stop"])
        stops.append(f)
    # The menu, the day, yes/no, eight scales, "more", Save ...
    assert len(stops) > 20, [(f["tag"], f["text"]) for f in stops]
    hidden = [f for f in stops if not _on_screen(f)]
    assert hidden == [], "Tab stops she cannot see:\n" + "\n".join(str(f) for f in hidden)
    assert not any(f["inSidebar"] for f in stops), "the folded side panel is in the Tab order"
    # The side panel still opens for the language switch, and its switch is then a Tab stop.
    page.evaluate("document.activeElement && document.activeElement.blur()")  # the skip link covers the "»"
    page.get_by_test_id("stExpandSidebarButton").click()
    switch = page.get_by_test_id("stSidebar").get_by_text(i18n.LANGUAGES["en"], exact=True)
    switch.wait_for()
    assert switch.is_visible()


def test_she_fills_in_and_saves_the_daily_log_with_the_keyboard_only(kb_page, dated_server):
    page = kb_page
    uid = _open_log(page, dated_server, "keyboard")
    t = lambda key, **kw: i18n.t(key, "nl", **kw)  # noqa: E731

    # Yes, she applied it today: Tab to the question's first choice, Space.
    f = _tab_to(page, lambda f: f["tag"] == "input" and f["label"] == "" and "radio" in f["key"]
                and t("log.yes") in page.evaluate("document.activeElement.closest('[role=radiogroup]')"
                                                  "?.innerText || ''"), "yes/no")
    page.keyboard.press("Space")
    wait_for_app(page)
    assert page.get_by_role("radio", name=t("log.yes"), exact=True).is_checked()

    # Two ratings: Tab into a scale, the arrow keys to a number, Space to choose it.
    signals = by_rating()
    chosen = {}
    for column, value in (("sleep_quality", 7), ("stress", 2)):
        name = signals[column].text("rating", "nl")
        f = _tab_to(page, lambda f, name=name: f["group"].startswith(name), name)
        page.keyboard.press("Home")
        for _ in range(value):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        wait_for_app(page)
        group = page.get_by_role("radiogroup", name=name, exact=False)
        assert group.get_by_role("radio", name=str(value), exact=True).get_attribute("aria-checked") == "true", f
        chosen[column] = value

    # A note in the folded "more" part: Tab to it, Enter opens it, Tab to the note, type.
    _tab_to(page, lambda f: f["tag"] == "summary" and t("log.section_more") in f["text"], "more")
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["tag"] == "textarea", "note")
    page.keyboard.type("Met het toetsenbord ingevuld")
    # Save: Tab on to the button, Enter.
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"].endswith(t("log.save")), "save")
    page.keyboard.press("Enter")
    wait_for_app(page)
    saved = t("log.saved", day=locales.date_long(TODAY, "nl"))
    page.get_by_text(saved).wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('[role=status]')",
                           timeout=10_000)
    f = _focused(page)
    assert f["status"] is not None and saved in f["status"], f
    assert _on_screen(f), f
    # Focus is on the confirmation itself: a polite status that holds the whole message.
    assert f["role"] == "status" and f["tag"] == "div", f
    assert page.evaluate("document.activeElement.getAttribute('aria-live')") == "polite"
    # What she saved is what the page now shows, and what is stored.
    page.get_by_text(t("log.already")).wait_for()
    page.get_by_text(t("log.day_state", day=locales.date_long(TODAY, "nl"), state=t("log.day_logged")),
                     exact=True).wait_for()
    row = Store(dated_server.db_path).daily_log(uid, TODAY.isoformat())
    assert row["applied"] == 1 and row["sleep_quality"] == 7 and row["stress"] == 2
    assert row["note"] == "Met het toetsenbord ingevuld"
    # From the confirmation, Shift+Tab goes back up into the form, as from where she pressed Save.
    back = _tab_to(page, lambda f: True, "back", key="Shift+Tab")
    assert back["status"] is None



def test_starting_magnesium_on_the_challenge_page_lands_on_its_confirmation(kb_page, dated_server):
    """The Challenge page's confirmations ("Magnesiumdag 1 is ...") take focus the same way."""
    import datetime as dt

    from lib import auth, progress_view
    from tests import factories

    page = kb_page
    store = Store(dated_server.db_path)
    res = auth.sign_up(store, username="mgstart.nl", password="Groene-thee-op-zondag-42", display_name="Mg",
                       lang="nl", consent=True)
    assert res.ok, res.error
    store.create_challenge(res.user_id, start_date=(TODAY - dt.timedelta(days=5)).isoformat(), with_baseline=True,
                           method="oil_spray", planned_amount=10, amount_unit="sprays", pre_test=factories.pre_test(),
                           pre_score=50)  # baseline day 6: she may start magnesium today
    _log_in(page, dated_server, res.user_id)
    open_app(page, dated_server, "challenge")
    day = progress_view.format_date(TODAY, "nl")
    button = i18n.t("challenge.mg_start_today", "nl", date=day)
    page.get_by_role("button", name=button).wait_for()
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"].endswith(button), "start magnesium")
    page.keyboard.press("Enter")
    wait_for_app(page)
    done = i18n.t("challenge.mg_started", "nl", date=day)
    page.get_by_text(done).wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('[role=status]')",
                           timeout=10_000)
    f = _focused(page)
    assert f["role"] == "status" and done in f["status"] and _on_screen(f), f
