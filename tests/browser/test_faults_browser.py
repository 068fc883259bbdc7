"""When the server restarts while she is filling in her daily log: her first Save after the page
reconnects saves (or tells her it did not), on a phone in headless Chromium."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest

from lib import challenge_service as svc
from lib import i18n
from lib.signals import signals
from lib.store import Store
from tests.browser.harness import AppServer, open_app, sign_up, wait_for_app

PHONE = {"width": 390, "height": 844}
TODAY = dt.date(2026, 3, 10)
L = "nl"


def t(key: str, **kw) -> str:
    return i18n.t(key, L, **kw)


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_the_first_save_after_a_server_restart_mid_form_saves(page, tmp_path):
    db = tmp_path / "restart.db"
    store = Store(db)
    server = AppServer(db, today=TODAY.isoformat()).start()
    try:
        with urllib.request.urlopen(f"{server.url}/health", timeout=10) as r:  # the server serves the app's own check
            assert r.status == 200 and r.read() == b"ok\n"
        sign_up(page, server, "rita.restart", "Kalm-Magnesium-2026!", display_name="Rita", lang=L)
        uid = store.user_by_username("rita.restart")["id"]
        start = {"with_baseline": False, "start_date": TODAY, "method": "foot_bath", "planned_amount": 20,
                 "goal": ""}
        assert svc.start_challenge(store, uid, start, {s.id: 1 for s in signals()}, TODAY).ok
        open_app(page, server, "log")
        form = page.get_by_test_id("stMain")
        # Half the form: she says yes and types her coffee, then the server restarts under her.
        form.get_by_test_id("stRadio").get_by_text(t("log.yes"), exact=True).click()
        wait_for_app(page)
        form.get_by_test_id("stExpander").filter(has_text=t("log.section_more")).locator("summary").click()
        form.get_by_role("spinbutton", name=t("log.coffee")).fill("3")
        form.get_by_role("spinbutton", name=t("log.coffee")).press("Tab")
        wait_for_app(page)
        form.get_by_role("textbox", name=t("log.note")).fill("na de herstart")
        form.get_by_role("textbox", name=t("log.note")).press("Tab")
        wait_for_app(page)
        server.stop()
        page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', state="detached",
                               timeout=20_000)
        server.start(same_port=True)
        wait_for_app(page, timeout=60_000)
        # Her values are still on screen; she presses Save once.
        assert form.get_by_role("spinbutton", name=t("log.coffee")).input_value() == "3"
        form.get_by_role("button", name=t("log.save")).click()
        wait_for_app(page)
        page.get_by_text(t("log.saved", day="10 maart 2026")).first.wait_for(timeout=15_000)
        row = store.daily_log(uid, TODAY.isoformat())
        assert row is not None and row["coffee_cups"] == 3 and row["note"] == "na de herstart"
    finally:
        server.stop()
