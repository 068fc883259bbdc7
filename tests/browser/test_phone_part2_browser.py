"""The once-per-challenge moments on a 390 x 844 phone, in Dutch and in English: a sign-up with a weak
password that keeps the form, the start form with a missing amount, magnesium day 1 moved, the outdated
calendar file, and the finish screen after the post-test. No page scrolls sideways.

Screenshots of each moment are written to test-artifacts/phone-part2/ (``<lang>-after-*.png``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from lib import auth, i18n
from lib import challenge_service as svc
from lib.progress_view import format_date
from lib.signals import frequency_labels, signals
from lib.store import Store
from tests import factories
from tests.browser.harness import ARTIFACTS_DIR, AppServer, log_in, open_app, wait_for_app

PHONE = {"width": 390, "height": 844}
TODAY = dt.date(2026, 12, 5)  # baseline day 5 of a challenge that began on 1 December
PASSWORD = "paars fiets regen zolder"
SHOTS = ARTIFACTS_DIR / "phone-part2"
# A few of tests/test_signup_form.py's fixed list: the form's live verdict must be the server's.
LIVE = [("welkom123", "weak_common"), ("kort", "password_short"), ("aaaaaaaaaaaa", "weak_repeat"),
        ("nieuwe.anna-2026", "weak_personal"), (PASSWORD, None)]


def _shot(page, lang: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{lang}-after-{name}.png"))


def assert_no_sideways_scroll(page, where: str) -> None:
    """Streamlit scrolls its main area, not the document: neither may be wider than the phone."""
    main, doc = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]');
        return [[m.scrollWidth, m.clientWidth], [document.documentElement.scrollWidth, window.innerWidth]];
    }""")
    assert main[0] <= main[1] and doc[0] <= doc[1], f"{where} scrolls sideways: main {main}, document {doc}"


def assert_in_view(locator, where: str) -> None:
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{where}: {box}"


@pytest.fixture(params=["nl", "en"])
def setting(request, tmp_path):
    """A server whose clock says 5 December, with two participants in the language of the test: one in
    baseline day 5, one on magnesium day 14 of a challenge waiting for its post-test."""
    lang = request.param
    store = Store(tmp_path / "part2.db")
    baseline = auth.sign_up(store, username="bea", password=PASSWORD, display_name="Bea", consent=True,
                            lang=lang).user_id
    store.create_challenge(baseline, start_date="2026-12-01", with_baseline=True, method="oil_spray",
                           planned_amount=10, amount_unit="sprays", pre_test=factories.pre_test())
    today_entry = {"day": TODAY, "applied": False, "sleep_quality": 6, "energy": 5, "mood": 6, "muscle_tension": 4,
                   "stress": 5, "headache": 1, "restless_legs": 2, "irritability": 3, "relaxation_minutes": 10,
                   "coffee_cups": 2, "alcohol_glasses": 0, "note": "eerste avond"}
    assert svc.save_log(store, baseline, today_entry, TODAY).status == "saved"
    finisher = auth.sign_up(store, username="fien", password=PASSWORD, display_name="Fien", consent=True,
                            lang=lang).user_id
    factories.store_participant(store, finisher, end=TODAY, lang=lang, finished=False)
    server = AppServer(tmp_path / "part2.db", today=TODAY.isoformat()).start()
    yield lang, server
    server.stop()


def _t(lang: str):
    return lambda key, **kw: i18n.t(key, lang, **kw)


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_the_once_per_challenge_moments_on_a_phone(page, setting):
    lang, server = setting
    t = _t(lang)

    # -- sign-up: the live check before she submits, then a weak password that keeps the form -------------
    # Her device's language (the cookie the language switch and the account forms keep).
    page.context.add_cookies([{"name": "mg_lang", "value": lang, "url": server.url}])
    open_app(page, server, "account")
    page.get_by_role("tab", name=t("account.tab_signup")).click()
    form = page.locator("#mg-signup")
    form.locator("input[name=username]").fill("nieuwe.anna")
    form.locator("input[name=display_name]").fill("Anna")
    live = page.get_by_test_id("mg-signup-password-live")
    for password, code in LIVE:
        form.locator("input[name=password]").fill(password)
        expected = t("account.live_ok") if code is None else t(f"account.err.{code}")
        page.wait_for_function("([el, text]) => el.textContent === text", arg=[live.element_handle(), expected],
                               timeout=10_000)
    form.locator("input[name=password]").fill("welkom123")
    form.locator("input[name=password2]").fill("welkom123")
    form.locator("input[name=consent]").check()
    page.wait_for_function("([el, text]) => el.textContent === text",
                           arg=[live.element_handle(), t("account.err.weak_common")], timeout=10_000)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    wait_for_app(page)
    form = page.locator("#mg-signup")
    form.wait_for()
    assert form.locator("input[name=username]").input_value() == "nieuwe.anna"
    assert form.locator("input[name=display_name]").input_value() == "Anna"
    assert form.locator("input[name=consent]").is_checked()
    assert form.locator("input[name=password]").input_value() == "" == form.locator(
        "input[name=password2]").input_value()
    error = page.locator("#mg-signup-password-error")
    assert error.inner_text() == t("account.err.weak_common")
    page.wait_for_timeout(300)  # the form brings its first error into view
    assert_in_view(error, "the password's error")
    assert "welkom123" not in page.content() and "welkom123" not in page.url
    assert_no_sideways_scroll(page, "sign-up")
    _shot(page, lang, "signup-weak-password")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    wait_for_app(page)
    assert any(c["name"] == "mg_session" for c in page.context.cookies())

    # -- the start form: a missing amount is said at the field, in view -------------------------------------
    # As the menu row opens it: with her language in the address (see the closing note on deep links).
    open_app(page, server, f"challenge?lang={lang}")
    amount = page.get_by_role("spinbutton", name=t("challenge.amount", unit=t("challenge.unit_sprays")) + " *")
    expect(amount).to_have_value("10", timeout=15_000)  # ten sprays of oil, filled in once the page has run
    _shot(page, lang, "start-form")
    amount.fill("")
    page.keyboard.press("Tab")
    wait_for_app(page)
    page.get_by_role("button", name=t("challenge.start_button")).click()
    wait_for_app(page)
    missing = page.locator(".st-key-start_err_planned_amount").get_by_text(t("validation.amount_missing"))
    missing.wait_for()
    page.wait_for_timeout(500)  # brought into view by the page
    assert_in_view(missing, "the amount's error")
    assert_no_sideways_scroll(page, "the start form")
    _shot(page, lang, "start-form-missing-amount")

    # -- magnesium day 1 moved, and the calendar file that no longer matches --------------------------------
    other = page.context.browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    bea = other.new_page()
    try:
        log_in(bea, server, "bea", PASSWORD)
        open_app(bea, server, "challenge")
        tomorrow = format_date(TODAY + dt.timedelta(days=1), lang)
        bea.get_by_text(t("challenge.countdown_baseline", n=2, days=14, date=format_date("2026-12-08", lang)),
                        exact=False)
        with bea.expect_download() as info:
            bea.get_by_role("button", name=t("challenge.ics_button")).click()
        assert "20261221" in info.value.path().read_text(), "day 14 was the 21st"
        bea.get_by_role("button", name=t("challenge.mg_start_tomorrow", date=tomorrow)).click()
        wait_for_app(bea)
        bea.get_by_text(t("challenge.mg_chosen", date=tomorrow)).wait_for()
        assert bea.get_by_text(t("challenge.mg_by_itself", date=tomorrow)).count() == 0
        notice = bea.get_by_text(t("challenge.ics_outdated"))
        notice.wait_for()
        bea.get_by_text(t("challenge.ics_moved_last", old=format_date("2026-12-21", lang),
                          new=format_date("2026-12-19", lang))).wait_for()
        with bea.expect_download() as info:
            bea.get_by_role("button", name=t("challenge.ics_button_new")).click()
        assert "20261219" in info.value.path().read_text(), "the new file has the new day 14"
        assert_no_sideways_scroll(bea, "the challenge page in the baseline week")
        notice.scroll_into_view_if_needed()
        _shot(bea, lang, "calendar-outdated")

        # A day filled in again: only what changes, "saved → new", and the page does not scroll sideways.
        open_app(bea, server, "log")
        main = bea.get_by_test_id("stMain")
        note = main.get_by_role("textbox", name=t("log.note"))
        more = main.get_by_test_id("stExpander").filter(has_text=t("log.section_more")).locator("summary")
        note.or_(more).first.wait_for()
        if not note.is_visible():  # the extras are folded away
            more.click()
            note.wait_for()
        note.fill("tweede avond, " + "heel lang " * 12)
        note.press("Tab")
        wait_for_app(bea)
        main.get_by_role("button", name=t("log.save")).click()
        wait_for_app(bea)
        table = bea.locator("table.mg-compare")
        table.wait_for()
        rows = table.locator("tbody tr")
        assert rows.count() == 1, "only the note changed"
        assert rows.first.inner_text().startswith(t("log.field_note"))
        assert "eerste avond" in rows.first.inner_text() and "→" in rows.first.inner_text()
        box = table.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], box
        assert_no_sideways_scroll(bea, "the replace confirmation")
        table.scroll_into_view_if_needed()
        _shot(bea, lang, "replace-day")
        bea.get_by_role("button", name=t("log.confirm_replace")).click()
        wait_for_app(bea)
        bea.get_by_text(t("log.replaced", day=format_date(TODAY, lang))).first.wait_for()
    finally:
        other.close()

    # -- the post-test, then the finish screen ------------------------------------------------------------
    other = page.context.browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    fien = other.new_page()
    try:
        log_in(fien, server, "fien", PASSWORD)
        open_app(fien, server, "challenge")
        word = frequency_labels(lang)[1]
        for sig in signals():
            fien.get_by_test_id("stRadio").filter(has_text=sig.text("question", lang)).get_by_text(
                word, exact=True).click()
        wait_for_app(fien)
        fien.get_by_role("button", name=t("challenge.post_button")).click()
        wait_for_app(fien)
        fien.get_by_role("heading", name=t("challenge.finish_title")).wait_for()
        fien.get_by_role("heading", name=t("challenge.finish_result")).wait_for()
        result = fien.locator(".st-key-finish_result")
        assert t("progress.headline.outcome_overall") in result.inner_text()
        fien.get_by_role("button", name=t("progress.download_pdf")).wait_for()
        fien.get_by_text(t("account.share_label")).wait_for()
        fien.get_by_role("heading", name=t("challenge.finish_next_title")).wait_for()
        assert_no_sideways_scroll(fien, "the finish screen")
        fien.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
        fien.get_by_role("heading", name=t("challenge.finish_title")).scroll_into_view_if_needed()
        _shot(fien, lang, "finish")

        # Home after the finish: where she stands, not a blank start.
        open_app(fien, server)
        fien.get_by_text(t("home.where_finished", date=format_date(TODAY, lang))).wait_for()
        assert fien.get_by_text(t("home.where_none")).count() == 0
        fien.get_by_text(t("home.next_finished")).first.wait_for()
        assert_no_sideways_scroll(fien, "Home after the finish")
        _shot(fien, lang, "home-after-finish")
    finally:
        other.close()
