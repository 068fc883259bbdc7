"""A newcomer opens the app, switches to English and reads a Learn section, in a real browser."""

from lib import i18n
from lib.content import learn_sections
from tests.browser.harness import ARTIFACTS_DIR, open_app, wait_for_app


def test_switch_to_english_and_read_a_learn_section(page, server):
    open_app(page, server)
    assert page.get_by_role("heading", name=i18n.t("home.title", "nl")).first.is_visible()
    assert page.get_by_text(i18n.t("home.step1", "nl")).is_visible()

    page.get_by_test_id("stSidebar").get_by_text("English").click()
    wait_for_app(page)
    page.get_by_text(i18n.t("home.step1", "en")).wait_for()
    assert page.get_by_text(i18n.t("home.step1", "nl")).count() == 0
    assert page.get_by_text(i18n.t("common.disclaimer", "en")).is_visible()

    page.get_by_role("link", name=i18n.t("nav.learn", "en")).first.click()
    wait_for_app(page)
    sections = learn_sections("en")
    stress = next(s for s in sections if s.id == "stress")
    page.get_by_text(stress.title).click()
    first_line = stress.body.splitlines()[0]
    page.get_by_text(first_line[:60]).first.wait_for(state="visible")
    assert page.get_by_text(i18n.t("common.disclaimer", "en")).is_visible()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "learn-en.png"))
    assert page.console_errors == [] or all("_stcore" in e or "404" in e for e in page.console_errors)


def test_learn_section_opens_from_a_deep_link_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        open_app(pg, server, "learn?section=safety")
        safety = next(s for s in learn_sections("nl") if s.id == "safety")
        pg.get_by_text(safety.body.splitlines()[0][:60]).first.wait_for(state="visible")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        pg.screenshot(path=str(ARTIFACTS_DIR / "learn-phone-nl.png"), full_page=False)
    finally:
        context.close()
