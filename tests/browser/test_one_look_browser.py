"""One look across the app, in a real browser: no heading anchor links on any page, Learn's titles in
order of size, the account forms in the theme's blue, a destructive button in red, and a visitor's
language kept through a reload."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lib import i18n, page_table, theme
from tests.browser import harness
from tests.browser.harness import ARTIFACTS_DIR, open_app, wait_for_app

# A heading's link as she would meet it: drawn on screen (it has a box) and so reachable with the Tab key.
ANCHORS = """() => [...document.querySelectorAll(':is(h1,h2,h3,h4,h5,h6) a[href^="#"],'
  + ' [data-testid="stHeaderActionElements"] a')].filter(a => a.getClientRects().length > 0)
  .map(a => a.closest(':is(h1,h2,h3,h4,h5,h6)')?.textContent || a.href)"""


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def test_no_page_has_heading_anchor_links(page, server):
    for row in page_table.PAGES:
        open_app(page, server, row.url_path or "")
        if row.url_path == "learn":
            page.get_by_test_id("stExpander").first.wait_for()
        anchors = page.evaluate(ANCHORS)
        assert anchors == [], f"{row.url_path or 'home'}: {anchors}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_learn_titles_are_in_order_of_size(page, server, lang):
    open_app(page, server, "learn" + ("?lang=en" if lang == "en" else ""))
    page.get_by_test_id("stExpander").first.wait_for()
    # The app's style rules arrive with its first run, a moment after Streamlit's own: measure once they are in.
    sizes_js = """() => {
      const px = el => el ? parseFloat(getComputedStyle(el).fontSize) : null;
      const main = document.querySelector('[data-testid="stMain"]');
      return {
        title: px(main.querySelector('h1')),
        section: px(main.querySelector('[data-testid="stExpander"] summary p')),
        inner: Math.max(...[...main.querySelectorAll('[data-testid="stExpanderDetails"] :is(h2,h3,h4)')]
                         .map(px)),
        body: px(main.querySelector('[data-testid="stExpanderDetails"] p')),
      };
    }"""
    in_order = (f"() => {{ const s = ({sizes_js})();"
                " return s.title > s.section && s.section > s.inner && s.inner > s.body; }")
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(in_order, timeout=10_000)
    sizes = page.evaluate(sizes_js)
    assert sizes["title"] > sizes["section"] > sizes["inner"] > sizes["body"], sizes


def test_the_account_forms_wear_the_theme_and_deleting_looks_destructive(page, server):
    th = theme.current()
    open_app(page, server, "account")
    login_button = page.locator("#mg-login button[type=submit]")
    assert login_button.evaluate("b => getComputedStyle(b).backgroundColor") == _rgb(th.primary)
    harness.sign_up(page, server, "look.anna", "Kalm-Magnesium-2026!", display_name="Anna")
    open_app(page, server, "account")
    page.get_by_text(i18n.t("account.section_delete", "nl")).last.click()
    delete = page.get_by_role("button", name=i18n.t("account.delete_button", "nl"))
    delete.wait_for()
    assert delete.evaluate("b => getComputedStyle(b).backgroundColor") == _rgb(th.danger)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "account-delete-red.png"), full_page=True)
    # Every other main button keeps the theme's blue.
    logout = page.get_by_role("button", name=i18n.t("account.logout_button", "nl"))
    assert logout.evaluate("b => getComputedStyle(b).backgroundColor") != _rgb(th.danger)
    # Logged in, every page shows more headings: still no link icon beside any of them.
    for row in page_table.PAGES:
        open_app(page, server, row.url_path or "")
        assert page.evaluate(ANCHORS) == [], row.url_path or "home"


def test_a_visitors_language_survives_a_reload_and_a_page_change(page, server):
    open_app(page, server)
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("home.title", "en")).wait_for()
    assert "lang=en" in page.url
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("home.title", "en")).wait_for()
    page.locator(".st-key-mg_nav").get_by_role("link", name=i18n.t("nav.learn", "en"), exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("learn.title", "en")).wait_for()
    page.wait_for_timeout(300)
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("learn.title", "en")).wait_for()
    # Back to Dutch: a reload then stays Dutch.
    page.get_by_test_id("stSidebar").get_by_text("Nederlands").click()
    wait_for_app(page)
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("learn.title", "nl")).wait_for()
