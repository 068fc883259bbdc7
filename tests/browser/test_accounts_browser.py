"""A newcomer's whole account journey in a real browser, in Dutch and in English: sign up, reload and
still be in, log out, log in, download her data, delete her account. Plus: her name is never markup."""

import io
import json
import zipfile

import pytest

from lib import i18n
from lib.store import Store
from lib.ui import parked_quiz
from tests import store_probe
from tests.browser.harness import SESSION_COOKIE, log_in, open_app, sign_up, wait_for_app

PASSWORDS = {"nl": "paars fiets regen zolder", "en": "purple bicycle rain attic"}


def _on_account_page_as(page, server, display_name: str) -> None:
    open_app(page, server, "account")
    page.get_by_test_id("stText").filter(has_text=display_name).first.wait_for()


def _app_errors(page) -> list[str]:
    return [e for e in page.console_errors if "_stcore" not in e and "404" not in e]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sign_up_reload_log_out_log_in_export_and_delete(page, server, lang):
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    username, password, name = f"  Anna.{lang.upper()} ", PASSWORDS[lang], f"Anna {lang}"
    sign_up(page, server, username, password, display_name=name, lang=lang)
    cookie = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    assert 29 * 86400 < cookie["expires"] - __import__("time").time() <= 30 * 86400
    page.get_by_role("heading", name=i18n.t("home.title", lang)).first.wait_for()  # her language after the redirect
    store = Store(server.db_path)
    user = store.user_by_username(f"anna.{lang}")
    assert user["lang"] == lang and user["display_name"] == name and user["timezone"] == "Europe/Amsterdam"

    # Coming back: a reload (a new Streamlit session) still knows her.
    page.reload()
    wait_for_app(page)
    _on_account_page_as(page, server, name)
    page.get_by_role("heading", name=t("account.section_settings")).wait_for()

    # Log out: the token is revoked, so a reload keeps her out.
    page.get_by_role("button", name=t("account.logout_button")).click()
    wait_for_app(page)
    page.locator("#mg-login").wait_for()
    page.reload()
    wait_for_app(page)
    page.locator("#mg-login").wait_for()
    assert page.get_by_test_id("stText").filter(has_text=name).count() == 0

    # Log in again (username in other case and spaces: the same account).
    log_in(page, server, username.strip().upper(), password)
    _on_account_page_as(page, server, name)
    page.get_by_role("heading", name=t("account.section_export")).wait_for()

    # Her data, built when she clicks.
    button = page.get_by_role("button", name=t("account.export_button"))
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    with open(info.value.path(), "rb") as fh:
        zf = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert info.value.suggested_filename.endswith(".zip")
    data = json.loads(zf.read("data.json"))["tables"]
    assert data["users"][0]["username"] == f"anna.{lang}" and data["users"][0]["lang"] == lang
    assert "users.csv" in zf.namelist() and "password_hash" not in zf.read("data.json").decode()

    # Delete: nothing happens without the exact word; with it, everything of hers is gone.
    page.get_by_test_id("stExpander").filter(has_text=t("account.section_delete")).locator("summary").click()
    wait_for_app(page)  # the page is idle before she types: a press during a rerun of a busy machine was lost once
    word = t("account.delete_word")
    box = page.get_by_label(t("account.delete_prompt", word=word))
    box.fill("nee")
    page.get_by_role("button", name=t("account.delete_button")).click()
    wait_for_app(page)
    page.get_by_text(t("account.delete_mismatch", word=word)).wait_for()
    assert store.user_by_username(f"anna.{lang}") is not None
    box.fill(word)
    page.get_by_role("button", name=t("account.delete_button")).click()
    wait_for_app(page)
    page.get_by_text(t("account.deleted")).wait_for()
    page.locator("#mg-login").wait_for()
    assert set(store_probe.user_row_counts(store, user["id"]).values()) == {0}

    # The account is really gone: logging in again gets the ordinary "not right" message.
    form = page.locator("#mg-login")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    wait_for_app(page)
    page.get_by_text(t("account.err.bad_login")).wait_for()
    assert _app_errors(page) == []
    server_log = server.log_path.read_text(errors="replace")
    assert password not in server_log, "a password is never logged"
    assert cookie["value"] not in server_log, "nor a login token"
    for seen in ("sign-up: new participant", "login: user=", "logout: user=", "data export built", "account deleted",
                 "login failed"):
        assert seen in server_log, f"the server's log names what happened: {seen!r}"


def test_markup_in_her_name_is_shown_as_text_and_never_runs_or_links(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = "<img src=x onerror=alert(1)> [click](javascript:alert(1))"
    sign_up(page, server, "xss.test", "vreemde naam in de app", display_name=name)
    for where in ("home", "account"):  # Home greets her by name; Account shows it
        open_app(page, server, where)
        page.get_by_text("<img src=x onerror=alert(1)>", exact=False).first.wait_for()
        page.wait_for_timeout(500)  # give a planted handler the chance to fire
        assert dialogs == [], where
        assert page.locator('img[src="x"]').count() == 0, where
        assert page.locator('a[href^="javascript"]').count() == 0, where
        assert page.get_by_role("link", name="click").count() == 0, where
    assert page.get_by_test_id("stText").filter(has_text=name).count() == 1, "shown exactly as she typed it"


def test_a_wrong_password_gets_one_message_that_does_not_say_whether_the_user_exists(page, server):
    open_app(page, server, "account")
    form = page.locator("#mg-login")
    form.locator("input[name=username]").fill("nobody-here")
    form.locator("input[name=password]").fill("whatever whatever")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    wait_for_app(page)
    page.get_by_text(i18n.t("account.err.bad_login", "nl")).wait_for()
    assert not any(c["name"] == SESSION_COOKIE for c in page.context.cookies())


def test_a_quiz_taken_before_signing_up_survives_a_weak_password_and_arrives_in_her_account(page, server):
    store = Store(server.db_path)
    token = store.park_pending_quiz({"questions": {}, "signals": {"sleep": 3, "fatigue": 2}})
    open_app(page, server, "account")
    # The quiz parks her answers and sends her here; the token reaches the forms (here: by its cookie).
    page.context.add_cookies([{"name": "mg_pending", "value": token, "url": server.url}])
    open_app(page, server, "account?tab=signup")
    form = page.locator("#mg-signup")
    assert form.locator("input[name=pending]").get_attribute("value") == token

    def submit(password):
        form = page.locator("#mg-signup")
        form.locator("input[name=username]").fill("zwak")
        form.locator("input[name=password]").fill(password)
        form.locator("input[name=password2]").fill(password)
        form.locator("input[name=consent]").check()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        wait_for_app(page)

    submit("password")
    page.get_by_text(i18n.t("account.err.weak_common", "nl")).wait_for()
    again = page.locator("#mg-signup")
    again.wait_for()  # the sign-up tab is open again
    assert again.locator("input[name=pending]").get_attribute("value") == token
    assert store.user_by_username("zwak") is None

    when = parked_quiz.parked_time(store.pending_quiz_parked_at(token), "Europe/Amsterdam")
    submit("lange zin met vier woorden")
    # Asked first: on a shared computer a parked quiz may be someone else's.
    page.get_by_text(i18n.t("account.pending.question", "nl", time=when)).wait_for()
    assert store.user_by_username("zwak") and not store.quiz_history(store.user_by_username("zwak")["id"])
    with page.expect_navigation():
        page.locator("#mg-pending-add button[type=submit]").click()
    wait_for_app(page)
    page.get_by_text(i18n.t("quiz.save.attached", "nl")).wait_for()
    assert not any(c["name"] == "mg_pending" for c in page.context.cookies()), "the cookie is cleared"
    uid = store.user_by_username("zwak")["id"]
    assert len(store.quiz_history(uid)) == 1
    assert store.claim_pending_quiz(token) is None, "used once"


def test_changing_her_password_keeps_this_phone_in_and_logs_out_her_other_devices(page, server, browser):
    old, new = "oude fiets blauwe deur", "nieuwe zin zonder einde"
    sign_up(page, server, "twee.apparaten", old, display_name="Twee", lang="en")
    laptop_context = browser.new_context(locale="en-GB", timezone_id="Europe/Amsterdam")
    laptop = laptop_context.new_page()
    try:
        log_in(laptop, server, "twee.apparaten", old)
        _on_account_page_as(laptop, server, "Twee")

        _on_account_page_as(page, server, "Twee")
        form = page.locator("#mg-password")
        form.locator("input[name=old]").fill(old)
        form.locator("input[name=new]").fill(new)
        form.locator("input[name=new2]").fill(new)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        wait_for_app(page)
        page.get_by_text(i18n.t("account.notice.password_changed", "en")).wait_for()
        page.get_by_test_id("stText").filter(has_text="Twee").wait_for()  # this phone stays in

        laptop.reload()
        wait_for_app(laptop)
        open_app(laptop, server, "account")
        laptop.locator("#mg-login").wait_for()  # the other device is out
        log_in(laptop, server, "twee.apparaten", new)
        _on_account_page_as(laptop, server, "Twee")
    finally:
        laptop_context.close()


def test_after_a_restart_her_first_visit_to_a_deep_address_still_knows_her(page, tmp_path):
    """The first run of a fresh server, opened straight at /account, runs the entry script (login, menu)."""
    from lib import auth
    from tests.browser.harness import AppServer

    db = tmp_path / "restart.db"
    store = Store(db)
    result = auth.sign_up(store, username="terug", password=PASSWORDS["nl"], display_name="Terug Na Herstart",
                          consent=True)
    with AppServer(db) as fresh:
        page.context.add_cookies([{"name": SESSION_COOKIE, "value": result.token, "url": fresh.url}])
        page.goto(f"{fresh.url}/account")
        wait_for_app(page)
        page.get_by_test_id("stText").filter(has_text="Terug Na Herstart").wait_for()
        page.get_by_test_id("stSidebar").get_by_text("English", exact=True).wait_for()
