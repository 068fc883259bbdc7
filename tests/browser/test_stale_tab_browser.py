"""A tab left open acts for nobody once her login has ended: the seen attacks, on two tabs of one
browser, against a real server. Plus, over HTTP against a real server: the 16 KiB form limit keeps
the server's memory flat under a burst of huge posts, and a forwarded header rotated from this
machine does not dodge the per-address login throttle."""

from __future__ import annotations

import io
import json
import socket
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from lib import challenge_service, clock, i18n
from lib.store import Store
from tests.browser.harness import AppServer, open_app, sign_up, wait_for_app
from tests.factories import pre_test

LANG = "nl"
PRE = pre_test()


def t(key: str, **kw) -> str:
    return i18n.t(key, LANG, **kw)


def _new_tab(context):
    tab = context.new_page()
    tab.downloads = []
    tab.on("download", lambda download: tab.downloads.append(download))
    return tab


def _with_challenge(store: Store, uid: int) -> None:
    today = clock.today("Europe/Amsterdam")
    res = challenge_service.start_challenge(
        store, uid, {"with_baseline": False, "start_date": today, "method": "oil_spray", "planned_amount": 10,
                     "goal": ""}, PRE, today)
    assert res.ok, res.problems


def _told_logged_out(tab) -> None:
    tab.get_by_text(t("common.logged_out_elsewhere")).first.wait_for(timeout=30_000)


def _next_action_tells_her(tab) -> None:
    """Any action reruns the page, which finds her login gone: here, switching the language to English."""
    tab.get_by_test_id("stSidebar").get_by_text(i18n.LANGUAGES["en"], exact=True).click()
    tab.get_by_text(i18n.t("common.logged_out_elsewhere", "en")).first.wait_for(timeout=30_000)
    tab.locator("#mg-login").wait_for()


def _delete_account(tab, server) -> None:
    open_app(tab, server, "account")
    tab.get_by_test_id("stExpander").filter(has_text=t("account.section_delete")).locator("summary").click()
    word = t("account.delete_word")
    tab.get_by_label(t("account.delete_prompt", word=word)).fill(word)
    tab.get_by_role("button", name=t("account.delete_button")).click()
    wait_for_app(tab)
    tab.get_by_text(t("account.deleted")).wait_for()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", timezone_id="Europe/Amsterdam",
                              accept_downloads=True)
    yield ctx
    ctx.close()


def test_after_delete_and_a_new_sign_up_with_her_old_id_a_stale_tab_downloads_changes_and_saves_nothing(
        context, server):
    store = Store(server.db_path)
    tab2 = _new_tab(context)
    sign_up(tab2, server, "anna.stale", "paars fiets regen zolder", display_name="Anna Stale")
    anna = store.user_by_username("anna.stale")["id"]
    _with_challenge(store, anna)
    # Tab 1: her Account page (twice: one for the download, one for the sharing switch) and her daily log.
    zip_tab, share_tab, log_tab = _new_tab(context), _new_tab(context), _new_tab(context)
    for tab, path in ((zip_tab, "account"), (share_tab, "account"), (log_tab, "log")):
        open_app(tab, server, path)
    log_tab.get_by_test_id("stMain").get_by_test_id("stRadio").get_by_text(t("log.yes"), exact=True).click()
    share_tab.get_by_text(t("account.share_label")).wait_for()

    # Tab 2: she deletes her account; the next participant signs up and starts a challenge.
    _delete_account(tab2, server)
    sign_up(tab2, server, "bea.next", "groen bootje wolk tafel", display_name="Bea Next")
    bea = store.user_by_username("bea.next")["id"]
    _with_challenge(store, bea)

    # Tab 1, never reloaded: the download builds nothing (Streamlit says the file could not be made), and
    # the next thing she does in that tab tells her she was logged out.
    zip_tab.get_by_role("button", name=t("account.export_button")).click()
    zip_tab.get_by_test_id("stDownloadButtonError").wait_for(timeout=30_000)
    zip_tab.wait_for_timeout(1500)  # a download that was going to start has started by now
    _next_action_tells_her(zip_tab)
    for download in zip_tab.downloads:  # (on the old code: Bea's data)
        with open(download.path(), "rb") as fh:
            data = json.loads(zipfile.ZipFile(io.BytesIO(fh.read())).read("data.json"))
        pytest.fail(f"a stale tab downloaded {data['tables']['users'][0]['username']}'s data")
    assert zip_tab.downloads == []

    # The sharing switch changes nobody's setting.
    share_tab.get_by_text(t("account.share_label")).click()
    _told_logged_out(share_tab)
    assert store.get_user(bea)["share_with_practitioner"] == 0

    # Save writes into nobody's log.
    log_tab.get_by_test_id("stMain").get_by_role("button", name=t("log.save")).click()
    _told_logged_out(log_tab)
    assert store.daily_logs(bea) == [] and store.daily_logs(anna) == []
    assert bea != anna, "a deleted participant's id is never given to the next sign-up"


def _status(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_after_a_logout_a_captured_media_address_answers_4xx_with_or_without_cookies(context, browser, server):
    tab1, tab2 = _new_tab(context), _new_tab(context)
    sign_up(tab1, server, "cleo.media", "paars fiets regen zolder", display_name="Cleo Media")
    open_app(tab1, server, "account")
    with tab1.expect_download(timeout=60_000) as info:
        tab1.get_by_role("button", name=t("account.export_button")).click()
    url = info.value.url
    assert "/media/" in url
    jar = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    assert _status(url, jar) == 200, "her own live login fetches it"
    assert _status(url) == 404, "nobody else, even while she is logged in"
    other = browser.new_context()
    try:
        page = other.new_page()
        sign_up(page, server, "dora.other", "groen bootje wolk tafel", display_name="Dora")
        theirs = "; ".join(f"{c['name']}={c['value']}" for c in other.cookies())
        assert _status(url, theirs) == 404, "not another participant's login either"
    finally:
        other.close()

    # Tab 2: she logs out.
    open_app(tab2, server, "account")
    tab2.get_by_role("button", name=t("account.logout_button")).click()
    wait_for_app(tab2)
    tab2.locator("#mg-login").wait_for()

    assert 400 <= _status(url, jar) < 500, "with the cookies she had"
    assert 400 <= _status(url) < 500, "without any cookie"
    fresh = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    assert 400 <= _status(url, fresh) < 500, "with the browser's cookies after the logout"
    # The stale tab 1 builds nothing new either.
    tab1.downloads.clear()
    tab1.get_by_role("button", name=t("account.export_button")).click()
    tab1.get_by_test_id("stDownloadButtonError").wait_for(timeout=30_000)
    tab1.wait_for_timeout(1500)
    assert tab1.downloads == []
    _next_action_tells_her(tab1)


# -- over HTTP, no browser -------------------------------------------------------------------------------
def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _huge_post(port: int, path: str, size: int, chunked: bool) -> int | None:
    """Send a huge form body; the status the server answered, or None if it closed without one."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    try:
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {size}\r\n\r\n"
        sock.sendall(head.encode())
        block = b"a=" + b"x" * (1024 * 1024 - 2)
        try:
            for _ in range(size // len(block)):
                sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the whole body was sent: what it should do
        try:
            answer = sock.recv(64)
        except OSError:
            return None
        return int(answer.split()[1]) if answer.startswith(b"HTTP/1.1") else None
    finally:
        sock.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's memory from /proc")
def test_a_burst_of_huge_form_posts_is_refused_and_the_server_does_not_grow(server):
    urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=30).read()
    pid = server.proc.pid
    before = _rss_kib(pid)
    size = 24 * 1024 * 1024
    jobs = [(path, chunked) for path in ("/session/login", "/session/signup") for chunked in (False, True)] * 3
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(lambda job: _huge_post(server.port, job[0], size, job[1]), jobs))
    assert all(a in (413, None) for a in answers), answers
    assert answers.count(413) >= len(jobs) // 2, answers
    grown_mib = (_rss_kib(pid) - before) / 1024
    # 12 bodies of 24 MiB were sent at once (288 MiB); parsing them would have grown the server by hundreds.
    assert grown_mib < 32, f"the server grew by {grown_mib:.0f} MiB"


def test_a_header_rotated_from_this_machine_does_not_dodge_the_address_throttle(tmp_path):
    """No MAGNESIUM_TRUSTED_PROXIES: every request from 127.0.0.1 is 127.0.0.1, whatever X-Forwarded-For says
    (uvicorn's default would have believed the header from this machine)."""
    import http.client

    from lib import auth

    with AppServer(tmp_path / "throttle.db", extra_env={"MAGNESIUM_TRUSTED_PROXIES": ""}) as srv:
        def call(method: str, path: str, body: bytes | None = None, headers: dict | None = None):
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
            try:
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                response.read()
                return response
            finally:
                conn.close()

        page = call("GET", "/")
        csrf = next(h.split(";")[0].split("=", 1)[1] for h in page.headers.get_all("set-cookie")
                    if h.startswith("mg_csrf="))
        errors = []
        for i in range(auth.ADDRESS_FREE_TRIES + 1):
            body = f"csrf={csrf}&username=guess{i}&password=wrong+guess+{i}".encode()
            answer = call("POST", "/session/login", body, {
                "Origin": srv.url, "Cookie": f"mg_csrf={csrf}", "X-Forwarded-For": f"198.51.100.{i + 1}",
                "Content-Type": "application/x-www-form-urlencoded"})
            assert answer.status == 303, answer.status
            errors.append(parse_qs(urlsplit(answer.headers["location"]).query)["auth_error"][0])
        # the 20th failure itself already answers "throttled" (the next try must wait); the one after is refused
        assert errors[:auth.ADDRESS_FREE_TRIES - 1] == ["bad_login"] * (auth.ADDRESS_FREE_TRIES - 1), errors
        assert errors[-1] == "throttled", errors
