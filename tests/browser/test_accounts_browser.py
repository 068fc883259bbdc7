"""A newcomer creates an account, stays logged in across a reload, logs out and back in, in a real browser."""

from lib import i18n
from tests.browser.harness import SESSION_COOKIE, log_in, open_app, sign_up, wait_for_app


def _on_account_page_as(page, server, display_name: str) -> None:
    open_app(page, server, "account")
    page.get_by_test_id("stText").filter(has_text=display_name).first.wait_for()


def test_sign_up_reload_log_out_and_log_in_again(page, server):
    sign_up(page, server, "  Anna.Test ", "paars fiets regen zolder", display_name="Anna B")
    cookie = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    page.reload()
    wait_for_app(page)
    _on_account_page_as(page, server, "Anna B")

    page.get_by_role("button", name=i18n.t("account.logout_button", "nl")).click()
    wait_for_app(page)
    page.locator("#mg-login").wait_for()
    page.reload()
    wait_for_app(page)
    page.locator("#mg-login").wait_for()  # still logged out after a reload: the token was revoked
    assert page.get_by_test_id("stText").filter(has_text="Anna B").count() == 0

    # The username is the same account whatever its case and spaces.
    log_in(page, server, "ANNA.TEST", "paars fiets regen zolder")
    _on_account_page_as(page, server, "Anna B")


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
