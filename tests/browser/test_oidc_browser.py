"""Logging in with a practice account (Streamlit's OpenID Connect, ``st.login``) against a local mock provider."""

from __future__ import annotations

import secrets

import pytest

from lib import i18n
from lib.store import Store
from tests import store_probe
from tests.browser import harness
from tests.browser.harness import AppServer, wait_for_app


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory):
    """The app with ``[auth]`` configured against ``oidc-provider-mock`` running in a thread."""
    from oidc_provider_mock import User, run_server_in_thread

    home = tmp_path_factory.mktemp("home")
    users = [User(sub="anna-at-the-practice", claims={"name": "Anna Praktijk"})]
    with run_server_in_thread(port=0, user_claims=users) as provider:
        port = harness.free_port()
        (home / ".streamlit").mkdir()
        (home / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(16)}"\n'
            'client_id = "magnesium-test"\n'
            'client_secret = "not-a-real-secret"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        srv = AppServer(home / "app.db", extra_env={"HOME": str(home)})
        real_free_port = harness.free_port
        harness.free_port = lambda: port  # the redirect address above names this port
        try:
            srv.start()
        finally:
            harness.free_port = real_free_port
        yield srv
        srv.stop()


def _goto(page, url: str) -> None:
    """Open ``url`` once the redirects of a login or logout have settled (a pending one aborts a goto)."""
    for attempt in range(5):
        try:
            page.goto(url)
            break
        except Exception as exc:  # noqa: BLE001 - retried below, re-raised at the end
            if "ERR_ABORTED" not in str(exc) or attempt == 4:
                raise
            page.wait_for_timeout(500)
    wait_for_app(page)


def test_a_practice_login_creates_her_account_after_consent_and_logs_out(page, oidc_server):
    base = f"http://localhost:{oidc_server.port}"
    page.set_default_navigation_timeout(90_000)  # three servers' round trips; slow on a busy machine
    _goto(page, f"{base}/account")
    page.get_by_role("button", name=i18n.t("account.oidc_button", "nl")).click()
    # The provider's page: who logs in.
    page.locator("input[name=sub]").wait_for(timeout=30_000)
    page.locator("input[name=sub]").fill("anna-at-the-practice")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: url.startswith(base) and "oauth2callback" not in url, timeout=30_000)
    wait_for_app(page)

    # Back in the app: no account yet, so it asks for consent before keeping anything.
    _goto(page, f"{base}/account")
    page.get_by_text(i18n.t("account.oidc_create_intro", "nl")).wait_for()
    store = Store(oidc_server.db_path)
    assert store_probe.table_counts(store)["users"] == 0
    page.get_by_text(i18n.t("account.oidc_consent", "nl")).click()
    page.get_by_role("button", name=i18n.t("account.oidc_create_button", "nl")).click()
    wait_for_app(page)
    page.get_by_test_id("stText").filter(has_text="Anna Praktijk").wait_for()
    users = [store.get_user(1)]
    assert users[0]["oidc_subject"] == "anna-at-the-practice" and users[0]["oidc_issuer"].startswith("http://localhost")
    assert users[0]["password_hash"] is None and users[0]["health_consent_at"]

    # A reload is still her (Streamlit's own login cookie), with no password section.
    page.reload()
    wait_for_app(page)
    page.get_by_test_id("stText").filter(has_text="Anna Praktijk").wait_for()
    assert page.locator("#mg-password").count() == 0

    # Logging out ends the practice login too: the app sends the browser through Streamlit's logout address
    # (which drops its login cookie) on to the provider's own log-out page.
    with page.expect_response(lambda r: "/auth/logout" in r.url, timeout=60_000):
        page.get_by_role("button", name=i18n.t("account.logout_button", "nl")).click()
    page.wait_for_url(lambda url: "end_session" in url, timeout=60_000)
    _goto(page, f"{base}/account")
    page.locator("#mg-login").wait_for()
    assert page.get_by_test_id("stText").filter(has_text="Anna Praktijk").count() == 0
