"""Progress in a real browser: every chart is drawn, no console errors, downloads work (phone and desktop)."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import i18n
from lib.store import Store
from tests import factories
from tests.browser import harness
from tests.browser.harness import ARTIFACTS_DIR, open_app, open_tab, wait_for_app

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHART = '[data-testid="stVegaLiteChart"]'


def _app_errors(page) -> list[str]:
    """Console errors that are the app's, not Streamlit's own base-path probes."""
    return [e for e in page.console_errors if "_stcore" not in e and "404" not in e]


def _go_to_progress(page, server, lang: str = "nl") -> None:
    """The way she gets there: open the app and tap Progress in the menu (on every page, phone or not)."""
    open_app(page, server)
    page.locator(".st-key-mg_nav").get_by_role("link", name=i18n.t("nav.progress", lang), exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("progress.title", lang)).wait_for()


# Progress draws only the open tab: (tab label, charts in it) for a challenge with both tests.
TABS = (("progress.section_trajectory", 2), ("progress.tab_before_after", 2), ("progress.tab_calendar", 1))


def _every_tab_draws(page, lang: str = "nl", shots: str | None = None) -> None:
    """Open each tab in turn: each draws its own charts, and only those."""
    for i, (key, expected) in enumerate(TABS):
        if i:
            open_tab(page, i18n.t(key, lang))
        _wait_for_charts(page, expected, shots=f"{shots}-tab{i}" if shots else None)
    open_tab(page, i18n.t(TABS[0][0], lang))


def _wait_for_charts(page, expected: int, shots: str | None = None) -> None:
    page.wait_for_function(
        f"""() => {{
            const charts = document.querySelectorAll('{CHART}');
            if (charts.length !== {expected}) return false;
            return [...charts].every(c => c.querySelector('svg, canvas'));
        }}""",
        timeout=30_000,
    )
    for i, chart in enumerate(page.locator(CHART).all()):
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        drawn = chart.locator("svg, canvas").first
        assert drawn.bounding_box()["width"] > 100
        if shots:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            chart.screenshot(path=str(ARTIFACTS_DIR / f"{shots}-chart{i}.png"))


def _download(page, label: str) -> bytes:
    button = page.get_by_role("button", name=label)
    if not button.is_visible():  # the chart images wait in a fold-out
        fold = page.get_by_text(i18n.t("progress.downloads_images", "nl"))
        fold.scroll_into_view_if_needed()
        fold.click()
        button.wait_for()
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return open(info.value.path(), "rb").read()


@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True, ids=["phone", "desktop"])
def test_the_example_draws_every_chart_and_its_downloads_work(page, server):
    _go_to_progress(page, server)
    page.get_by_role("button", name=i18n.t("progress.see_example", "nl")).click()
    wait_for_app(page)
    page.get_by_text(i18n.t("progress.example_banner", "nl")).wait_for()
    width = page.viewport_size["width"]
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"progress-example-{width}.png"))
    _every_tab_draws(page, shots=f"progress-example-{width}")
    if width <= 390:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 390, f"the page scrolls sideways on a phone ({scroll}px)"
    pdf = _download(page, i18n.t("progress.download_pdf", "nl"))
    assert pdf.startswith(b"%PDF")
    png = _download(page, i18n.t("progress.download_png", "nl", chart=i18n.t("progress.png_prepost", "nl")))
    assert png.startswith(b"\x89PNG")
    assert _app_errors(page) == []


def test_a_participant_sees_her_own_challenge_and_downloads_csv_png_pdf(page, server):
    username, password = "anna.progress", "Kalm-Magnesium-2026!"
    harness.sign_up(page, server, username, password, display_name="Anna", lang="nl")
    store = Store(server.db_path)
    uid = store.user_by_username(username)["id"]
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21), lang="nl")
    _go_to_progress(page, server, "nl")
    # The headline is about her overall score, in plain words; the method waits in a fold-out.
    page.get_by_text("Je totaalscore ging van").first.wait_for()
    page.get_by_text(i18n.t("progress.method.title", "nl")).first.wait_for()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "progress-participant-nl.png"))
    _every_tab_draws(page, shots="progress-participant-nl")
    csv = _download(page, i18n.t("progress.download_csv", "nl")).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Datum;Challenge (nummer);Deel;")  # her language, her separator
    assert len(csv.splitlines()) == 1 + len(store.daily_logs(uid))
    assert _download(page, i18n.t("progress.download_pdf", "nl")).startswith(b"%PDF")
    for name in ("trajectory", "adherence", "prepost", "comparison"):
        label = i18n.t("progress.download_png", "nl", chart=i18n.t(f"progress.png_{name}", "nl"))
        assert _download(page, label).startswith(b"\x89PNG"), name
    # The same page in English.
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    wait_for_app(page)
    page.get_by_text("Your overall score went from").first.wait_for()
    _every_tab_draws(page, "en")
    page.screenshot(path=str(ARTIFACTS_DIR / "progress-participant-en.png"))
    assert _app_errors(page) == []
