"""Security in a real browser: with the security headers on every response, every page, the account forms
and the downloads still work; another site cannot frame the app; her own words never become links,
icons or markup."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import threading

from lib import challenge_service as svc
from lib import clock, i18n
from lib.signals import signals
from lib.store import Store
from tests import factories
from tests.browser.harness import log_in, open_app, sign_up, wait_for_app

HEADERS = {
    "content-security-policy": "frame-ancestors 'self'; base-uri 'self'; object-src 'none'",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
PAGES = {"": "home.title", "learn": "learn.title", "quiz": "quiz.title", "challenge": "challenge.title",
         "log": "log.title", "progress": "progress.title", "account": "account.title"}
WILD = "www.example.org :material/home: **vet** [klik](https://example.org) <b>x</b> $x$"


def t(key: str, **kw) -> str:
    return i18n.t(key, "nl", **kw)


def _app_errors(page) -> list[str]:
    return [e for e in page.console_errors if "_stcore" not in e and "404" not in e]


def _collect_responses(page, server) -> list:
    seen = []
    page.on("response", lambda r: seen.append(r) if r.url.startswith(server.url) and r.status != 101 else None)
    return seen


def _missing_headers(response) -> dict:
    headers = response.all_headers()
    return {k: headers.get(k) for k, v in HEADERS.items() if headers.get(k) != v}


def _download(page, label: str):
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    return download, open(download.path(), "rb").read()


def test_every_page_the_account_forms_and_the_downloads_work_with_the_security_headers(page, server):
    responses = _collect_responses(page, server)
    password = "kalm blauw water zeilboot"
    sign_up(page, server, "veilig.kijken", password, display_name="Veilig")  # the sign-up form
    open_app(page, server, "account")
    page.get_by_role("button", name=t("account.logout_button")).click()
    wait_for_app(page)
    log_in(page, server, "veilig.kijken", password)  # the log-in form
    store = Store(server.db_path)
    uid = store.user_by_username("veilig.kijken")["id"]
    factories.store_participant(store, uid, end=clock.today("Europe/Amsterdam") - dt.timedelta(days=2))
    for path, title in PAGES.items():
        open_app(page, server, path)
        page.get_by_role("heading", name=t(title)).first.wait_for()

    # Downloads, built when she clicks: her data as CSV and PDF on Progress, everything as a ZIP on Account.
    open_app(page, server, "progress")
    _csv_download, csv = _download(page, t("progress.download_csv"))
    assert csv.decode("utf-8-sig").startswith(t("progress.csv.day") + ";")  # her language, her separator
    _pdf_download, pdf = _download(page, t("progress.download_pdf"))
    assert pdf.startswith(b"%PDF")
    open_app(page, server, "account")
    _zip_download, data = _download(page, t("account.export_button"))
    assert data.startswith(b"PK")

    kinds = {r.request.resource_type for r in responses}
    assert {"document", "script", "stylesheet"} <= kinds, kinds
    assert any(r.request.method == "POST" and "/session/" in r.url for r in responses), "the forms' posts"
    missing = {r.url: _missing_headers(r) for r in responses if _missing_headers(r)}
    assert missing == {}
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e]
    assert _app_errors(page) == []


@contextlib.contextmanager
def _other_site(html: str):
    """A page on another origin (another port on this machine) that shows ``html``."""
    body = html.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


def test_another_site_cannot_show_the_app_in_a_frame_but_the_app_itself_can(page, server):
    html = f'<iframe id="victim" src="{server.url}/account" width="800" height="600"></iframe>'
    with _other_site(html) as url, \
            page.expect_event("requestfailed", lambda r: r.url == f"{server.url}/account") as failed, \
            page.expect_console_message(lambda m: "frame-ancestors 'self'" in m.text):
        page.goto(url)
    assert failed.value.failure == "net::ERR_BLOCKED_BY_RESPONSE"
    assert page.frame_locator("#victim").locator('[data-testid="stApp"]').count() == 0

    open_app(page, server, "learn")  # Streamlit's own frames come from the app's own address: allowed
    page.evaluate(f"""() => {{ const f = document.createElement('iframe'); f.id = 'own'; f.src = '{server.url}/learn';
                               f.width = 800; f.height = 600; document.body.appendChild(f); }}""")
    page.frame_locator("#own").locator('[data-testid="stApp"]').wait_for(timeout=30_000)


def test_her_name_goal_and_note_never_become_links_icons_or_markup(page, server):
    store = Store(server.db_path)
    sign_up(page, server, "wilde.tekst", "rustig lezen in de tuin", display_name=WILD)
    uid = store.user_by_username("wilde.tekst")["id"]
    today = clock.today("Europe/Amsterdam")
    start = {"with_baseline": False, "start_date": today - dt.timedelta(days=1), "method": "oil_spray",
             "planned_amount": 10, "goal": WILD}
    assert svc.start_challenge(store, uid, start, {s.id: 2 for s in signals()}, today).ok
    assert svc.save_log(store, uid, {"day": today, "applied": True, "method": "oil_spray", "amount": 10,
                                     "note": WILD}, today).status == "saved"

    def assert_inert(where: str, container) -> None:
        container.wait_for()
        assert WILD in container.inner_text(), where
        assert container.locator("a").count() == 0, where
        assert container.locator('[data-testid="stIconMaterial"]').count() == 0, where
        assert container.locator("b, strong, h1, .katex").count() == 0 or where == "log", where
        assert page.locator('a[href*="example.org"]').count() == 0, where

    open_app(page, server)
    assert_inert("home", page.get_by_test_id("stText").filter(has_text=t("home.hello", name=WILD)))
    open_app(page, server, "account")
    assert_inert("account", page.get_by_test_id("stText").filter(has_text=WILD))
    open_app(page, server, "challenge")
    assert_inert("challenge", page.get_by_test_id("stText").filter(has_text=t("challenge.goal_line", goal=WILD)))
    ics_download, ics = _download(page, t("challenge.ics_button"))  # its download works with the headers
    assert ics.startswith(b"BEGIN:VCALENDAR")
    # The file's own address (kept while her page is open) answers with the headers too. (A download's
    # response is not reliably reported to the page, so it is fetched once more here.)
    fetched = page.request.get(ics_download.url)
    assert fetched.ok and {k: fetched.headers.get(k) for k in HEADERS} == HEADERS, ics_download.url

    # Saving today again shows what is there next to the new entry, before anything is replaced.
    open_app(page, server, "log")
    form = page.get_by_test_id("stMain")
    form.get_by_test_id("stRadio").get_by_text(t("log.yes"), exact=True).first.click()
    wait_for_app(page)
    form.get_by_test_id("stExpander").filter(has_text=t("log.section_more")).locator("summary").click()
    form.get_by_role("textbox", name=t("log.note")).fill("nieuw")
    form.get_by_role("textbox", name=t("log.note")).press("Tab")
    wait_for_app(page)
    form.get_by_role("button", name=t("log.save")).click()
    wait_for_app(page)
    page.get_by_text(t("log.confirm_title"), exact=False).first.wait_for()
    table = page.locator("table.mg-compare")
    assert_inert("log", table)
    assert table.locator("td", has_text=WILD).count() == 1
    assert table.locator("b").count() == 0, "her <b> is text, not bold"
    assert store.daily_log(uid, today.isoformat())["note"] == WILD, "nothing replaced yet"
    assert _app_errors(page) == []
