"""A whole challenge in a real browser on a phone: sign up, baseline week, magnesium, post-test, Progress.

The app's clock is moved between server starts (``MAGNESIUM_TODAY``), on one database, the way the
days of a real challenge pass. The days in between are written through the same service the pages
use, so the test stays short; the days that matter are filled in through the pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib import challenge_service as svc
from lib import i18n
from lib.signals import signals
from lib.store import Store
from tests import store_probe
from tests.browser.harness import ARTIFACTS_DIR, AppServer, open_app, sign_up, wait_for_app

PHONE = {"width": 390, "height": 844}
START = dt.date(2026, 3, 1)  # baseline day 1
MG_DAY_1 = dt.date(2026, 3, 6)  # after five baseline days
DAY_14 = MG_DAY_1 + dt.timedelta(days=13)
L = "nl"


def t(key: str, **kw) -> str:
    return i18n.t(key, L, **kw)


def _answer_block(page, value_index: int) -> None:
    """Answer the eight questions of the signal block (pre- or post-test)."""
    from lib.signals import frequency_labels

    word = frequency_labels(L)[value_index]
    for sig in signals():  # quickly, as she taps through; the last rerun carries every answer
        group = page.get_by_test_id("stRadio").filter(has_text=sig.text("question", L))
        group.get_by_text(word, exact=True).click()
    wait_for_app(page)
    for sig in signals():
        group = page.get_by_test_id("stRadio").filter(has_text=sig.text("question", L))
        assert group.get_by_role("radio", name=word, exact=True).is_checked(), sig.id


def _choose_day(page, day: dt.date) -> None:
    from lib.locales import day_month

    box = page.get_by_test_id("stSelectbox").filter(has_text=t("log.day"))
    box.scroll_into_view_if_needed()
    try:
        option = page.get_by_role("option", name=day_month(day, L), exact=True)  # a past day: "3 maart"
        for _ in range(5):  # a list to tap, no typing (no keyboard popping up on a phone)
            box.get_by_role("combobox").click()
            if page.get_by_role("option").count():
                break
            page.wait_for_timeout(300)
        page.get_by_role("option").first.wait_for()
        for _ in range(20):  # the list draws only the options in view: scroll it as she swipes
            if option.count():
                break
            page.get_by_role("option").last.evaluate(
                "e => { let s = e.parentElement; while (s && s.scrollHeight <= s.clientHeight) s = s.parentElement;"
                " s.scrollBy(0, 150); }")
            page.wait_for_timeout(150)
        option.click()
    except Exception:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / "choose-day-failure.png"))
        raise
    wait_for_app(page)


def _fill_log(page, *, applied: bool | None, coffee: str = "1", note: str = "") -> None:
    """Yes/no, two taps on the rating scales, then coffee and a note in the folded "more" part, and Save."""
    main = page.get_by_test_id("stMain")
    if applied is not None:
        main.get_by_test_id("stRadio").get_by_text(t("log.yes") if applied else t("log.no"), exact=True).click()
        wait_for_app(page)
    scales = main.locator(".st-key-log_ratings [role=radiogroup]")
    scales.nth(7).wait_for()
    scales.nth(0).get_by_role("radio", name="6", exact=True).click()
    wait_for_app(page)
    scales.nth(4).get_by_role("radio", name="3", exact=True).click()
    wait_for_app(page)
    more = main.get_by_test_id("stExpander").filter(has_text=t("log.section_more"))
    if not more.get_by_role("spinbutton", name=t("log.coffee")).is_visible():
        more.locator("summary").click()
    more.get_by_role("spinbutton", name=t("log.coffee")).fill(coffee)
    more.get_by_role("spinbutton", name=t("log.coffee")).press("Tab")
    wait_for_app(page)
    if note:
        more.get_by_role("textbox", name=t("log.note")).fill(note)
        more.get_by_role("textbox", name=t("log.note")).press("Tab")
        wait_for_app(page)
    main.get_by_role("button", name=t("log.save")).click()
    wait_for_app(page)


def _raw(day: dt.date, applied: bool) -> dict:
    return {"day": day, "applied": applied, "method": "oil_spray", "amount": 10, "sleep_quality": 5 + applied,
            "energy": 5, "mood": 6, "muscle_tension": 5 - applied, "stress": 4, "headache": 1, "restless_legs": 2,
            "irritability": 3, "relaxation_minutes": 15, "coffee_cups": 2, "alcohol_glasses": 0, "note": ""}


def _server(tmp_path, today: dt.date) -> AppServer:
    return AppServer(tmp_path / "journey.db", today=today.isoformat()).start()


def _home(page, server) -> None:
    """Open Home, as she does each evening (a fresh server learns its pages on this first run)."""
    open_app(page, server)
    page.get_by_role("heading", name=t("home.title")).wait_for()


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_a_whole_challenge_with_a_baseline_week(page, tmp_path):
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    store = Store(tmp_path / "journey.db")

    # Day 1 of the baseline week: sign up, start with the pre-test, log the first evening.
    server = _server(tmp_path, START)
    try:
        _home(page, server)
        sign_up(page, server, "anna.journey", "Kalm-Magnesium-2026!", display_name="Anna", lang=L)
        page.get_by_role("link", name=t("home.next_start")).click()
        wait_for_app(page)
        page.get_by_text(t("challenge.choose_why")).wait_for()
        page.get_by_role("spinbutton", name=t("challenge.amount", unit=t("challenge.unit_sprays"))).fill("10")
        page.keyboard.press("Enter")
        wait_for_app(page)
        _answer_block(page, 3)
        page.get_by_role("button", name=t("challenge.start_button")).click()
        wait_for_app(page)
        page.get_by_text(t("challenge.started")).wait_for()
        page.get_by_text(t("challenge.status_baseline", n=1)).wait_for()
        open_app(page, server, "log")
        _fill_log(page, applied=None, note="Eerste avond <b>zonder</b>")
        page.get_by_text(t("log.saved", day="1 maart 2026")).first.wait_for()
        page.get_by_text(i18n.plural("log.streak", 1, L)).wait_for()
    finally:
        page.goto("about:blank")  # leave before the server goes, as she closes the tab
        server.stop()

    uid = store.user_by_username("anna.journey")["id"]
    row = store.daily_log(uid, "2026-03-01")
    assert row["phase"] == "baseline" and row["note"] == "Eerste avond <b>zonder</b>" and row["coffee_cups"] == 1

    # Baseline day 6: days 2, 4 and 5 were logged on the phone; day 3 was missed and is filled in now.
    today = MG_DAY_1
    for d in (2, 4, 5):
        assert svc.save_log(store, uid, _raw(dt.date(2026, 3, d), False), today).status == "saved"
    server = _server(tmp_path, today)
    try:
        _home(page, server)
        page.get_by_role("link", name=t("home.next_log_today")).click()
        wait_for_app(page)
        _choose_day(page, dt.date(2026, 3, 3))
        _fill_log(page, applied=None, coffee="3")
        page.get_by_text(t("log.saved", day="3 maart 2026")).first.wait_for()
        open_app(page, server, "challenge")
        page.get_by_text(t("challenge.mg_can")).wait_for()
        page.get_by_role("button", name=t("challenge.mg_start_today", date="6 maart 2026")).click()
        wait_for_app(page)
        page.get_by_text(t("challenge.mg_started", date="6 maart 2026")).wait_for()
        open_app(page, server)
        page.get_by_text(t("home.where_day", n=1)).wait_for()
        page.get_by_role("link", name=t("home.next_log_today")).click()
        wait_for_app(page)
        _fill_log(page, applied=True)
        page.get_by_text(i18n.plural("challenge.countdown_magnesium", 13, L)).wait_for()
    finally:
        page.goto("about:blank")  # leave before the server goes, as she closes the tab
        server.stop()
    assert store_probe.challenge(store, uid, store.active_challenge(uid)["id"])["magnesium_start"] == "2026-03-06"
    assert store.daily_log(uid, "2026-03-03")["coffee_cups"] == 3

    # Day 14: days 2-13 logged except days 5 and 9 (12 of 14 so far, counting day 1 and day 14 below).
    for n in range(2, 14):
        if n not in (5, 9):
            day = MG_DAY_1 + dt.timedelta(days=n - 1)
            assert svc.save_log(store, uid, _raw(day, True), DAY_14).status == "saved"
    server = _server(tmp_path, DAY_14)
    try:
        _home(page, server)
        page.get_by_text(t("home.where_day", n=14)).wait_for()
        page.get_by_role("link", name=t("home.next_log_today")).click()
        wait_for_app(page)
        _fill_log(page, applied=True, coffee="1")
        page.get_by_text(t("log.days_left_none")).wait_for()
        # Saving day 14 again shows what is there and asks before replacing it.
        _fill_log(page, applied=True, coffee="4", note="toch vier koppen")
        page.get_by_text(t("log.confirm_title"), exact=False).first.wait_for()
        assert store.daily_log(uid, DAY_14.isoformat())["coffee_cups"] == 1
        page.screenshot(path=str(ARTIFACTS_DIR / "challenge-confirm-replace-phone.png"), full_page=True)
        page.get_by_role("button", name=t("log.confirm_replace")).click()
        wait_for_app(page)
        page.get_by_text(t("log.replaced", day="19 maart 2026")).first.wait_for()
        # One missed day is filled in afterwards.
        _choose_day(page, MG_DAY_1 + dt.timedelta(days=8))
        _fill_log(page, applied=False)
        page.get_by_text(t("log.saved", day="14 maart 2026")).first.wait_for()
        # The post-test, then Progress.
        open_app(page, server)
        page.get_by_role("link", name=t("home.next_post_test")).click()
        wait_for_app(page)
        _answer_block(page, 1)
        page.get_by_role("button", name=t("challenge.post_button")).click()
        wait_for_app(page)
        page.get_by_role("heading", name=t("challenge.finish_title")).wait_for()  # the finish, then Progress
        page.get_by_role("link", name=t("challenge.finish_progress")).click()
        page.get_by_role("heading", name=t("progress.title")).wait_for()
        page.screenshot(path=str(ARTIFACTS_DIR / "challenge-journey-progress-phone.png"), full_page=True)
    finally:
        page.goto("about:blank")  # leave before the server goes, as she closes the tab
        server.stop()

    ch = store.challenges(uid)[0]
    assert ch["status"] == "completed"
    logs = store.daily_logs(uid, challenge_id=ch["id"])
    assert store.daily_log(uid, DAY_14.isoformat())["coffee_cups"] == 4
    assert sum(r["phase"] == "baseline" for r in logs) == 5
    assert sum(r["phase"] == "magnesium" for r in logs) == 13  # 14 days, one still missed: a gap, not a zero
    assert set(store.assessments(uid, ch["id"])) == {"pre", "post"}
    errors = [e for e in page.console_errors if "_stcore" not in e and "404" not in e]
    assert errors == [], errors


def test_in_english_she_starts_right_away_logs_today_and_gets_the_calendar_file(page, server):
    en = "en"

    def te(key: str, **kw) -> str:
        return i18n.t(key, en, **kw)

    _home(page, server)  # a fresh server learns its pages on its first run; a deep link before that misses them
    sign_up(page, server, "beth.journey", "Calm-Magnesium-2026!", display_name="Beth", lang=en)
    page.get_by_role("link", name=te("home.next_start")).click()
    wait_for_app(page)
    page.get_by_text(te("challenge.choose_now"), exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text=te("challenge.method")).click()
    page.get_by_role("option", name=te("challenge.method_foot_bath")).click()
    wait_for_app(page)
    page.get_by_role("spinbutton", name=te("challenge.amount", unit=te("challenge.unit_minutes"))).fill("15")
    page.keyboard.press("Enter")
    wait_for_app(page)
    from lib.signals import frequency_labels

    for sig in signals():
        page.get_by_test_id("stRadio").filter(has_text=sig.text("question", en)).get_by_text(
            frequency_labels(en)[2], exact=True).click()
        wait_for_app(page)
    page.get_by_role("button", name=te("challenge.start_button")).click()
    wait_for_app(page)
    page.get_by_text(te("challenge.status_day", n=1)).wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name=te("challenge.ics_button")).click()
    ics = Path(info.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR") and "RRULE:FREQ=DAILY" in ics and te("challenge.ics_daily_title") in ics

    open_app(page, server)
    page.get_by_text(te("home.where_day", n=1)).wait_for()
    page.get_by_text(te("home.today_open")).wait_for()
    page.get_by_role("link", name=te("home.next_log_today")).click()
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stRadio").get_by_text(te("log.yes"), exact=True).click()
    wait_for_app(page)
    main.get_by_role("button", name=te("log.save")).click()
    wait_for_app(page)
    page.get_by_text(i18n.plural("log.streak", 1, en)).wait_for()
    page.get_by_text(i18n.plural("challenge.countdown_magnesium", 13, en)).wait_for()
    open_app(page, server)
    page.get_by_text(te("home.today_logged")).wait_for()
    errors = [e for e in page.console_errors if "_stcore" not in e and "404" not in e]
    assert errors == [], errors
