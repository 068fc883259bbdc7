"""Concurrent participants: N real sessions against one ``streamlit run server.py``.

Each participant logs in (the Account page's form, posted to the log-in route, which checks her
argon2 password hash and sets the login cookie), opens a Streamlit session on the websocket with
that cookie, opens the daily log of her running challenge, answers "applied: yes" and presses Save,
exactly as the browser's frontend would send it. A save counts only when the page confirmed it and
the database shows it afterwards. (Before the daily log existed the save was her language choice;
that fallback stays for a checkout without it.)

The reference: the same N sessions loading ``bench/reference_page.py`` on its own server, run right
after, so the ratio compares like with like on the same machine at the same time. Memory per
session is the server's resident memory with all N sessions open, minus before the first log-in,
divided by N (a warm-up participant has paid the imports first).

Then 10 participants in headless Chromium do the same through the real pages (log-in form, then
the language switch), against 10 Chromium pages loading the reference page.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import AppServer  # noqa: E402 - after the path is set

PASSWORD = "Bench-Magnesium-2026!"
SIZES = (10, 50, 200)
BROWSERS = 10
# How long one participant waits for one step before it counts as a failure. Generous: on a machine
# shared with other work 200 script runs at once queue for minutes; a failure should mean an error.
PATIENCE = 600


class Server(AppServer):
    """The test harness's ``streamlit run`` server on a free port, with its resident memory."""

    def __init__(self, entry: Path, db: Path, log: Path, extra_env: dict | None = None):
        super().__init__(db, entry=entry, log_path=log, extra_env=extra_env)

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def _daily_log_has_form() -> bool:
    from bench.pages import is_placeholder

    return not is_placeholder("pages/daily_log.py")


# -- one participant over the websocket ----------------------------------------------------------------
async def _log_in(url: str, username: str) -> str:
    import httpx

    from bench import wsclient

    async with httpx.AsyncClient(timeout=PATIENCE) as client:
        return await wsclient.alog_in(url, username, PASSWORD, client)


async def _participant(url: str, token: str):
    """Open her session with the login cookie, open the daily log, fill in "applied: yes" and press Save
    (or, while the daily log has no form, switch the language, which is saved to her profile)."""
    from bench import wsclient
    from lib import i18n

    sess = await wsclient.Session.open(url, {wsclient.SESSION_COOKIE: token}, timeout=PATIENCE)
    try:
        if not _daily_log_has_form():
            await sess.rerun()
            switch = sess.widget("radio", "lang_switch")
            await sess.rerun(widget_states=[wsclient.string_state(switch, "English")])
            return sess
        await sess.rerun("log", timeout=PATIENCE)
        applied = sess.widget("radio", "log_applied_")
        save = sess.widget("button", label=i18n.t("log.save", "nl"))
        await sess.rerun("log", widget_states=[wsclient.string_state(applied, i18n.t("log.yes", "nl")),
                                               wsclient.trigger(save)], timeout=PATIENCE)
        saved_prefix = i18n.t("log.saved", "nl", day="\x00").split("\x00")[0]
        if not any(t.startswith(saved_prefix) for t in sess.texts):
            raise wsclient.ProtocolError(f"no saved message; the page said {sess.texts[:4]}")
        return sess
    except BaseException:
        await sess.close()
        raise


async def _visitor(url: str, _token=None):
    from bench import wsclient

    sess = await wsclient.Session.open(url, timeout=PATIENCE)
    await sess.rerun(timeout=PATIENCE)
    return sess


def _errors(results) -> list[str]:
    return sorted({f"{type(e).__name__}: {e}"[:160] for e in results if isinstance(e, BaseException)})[:3]


async def _crowd(server: Server, n: int, session, login=None) -> dict:
    """``n`` participants at once: all log in (when ``login``), then all open a session and save.

    Time runs from the first log-in to the last save. Memory: the server's RSS before, after the
    log-ins and with all sessions open; per participant is (with sessions - before) / n, log-in
    included (argon2 needs 19 MiB per hash while it runs, at most 4 at once, and the allocator keeps
    an arena per server thread that hashed).
    """
    token = None
    if login:
        # A burst of warm-up log-ins first (argon2's first arenas exist before "before"); later log-ins on
        # other server threads still add arenas of their own, which the figure then includes.
        tokens_warm = await asyncio.gather(*(login(-1 - k) for k in range(8)))
        token = tokens_warm[0]
    warm = await session(token)  # the first session pays the imports; not counted
    await warm.close()
    await asyncio.sleep(0.5)
    rss_before = server.rss_mib()
    start = time.perf_counter()
    tokens: list = [None] * n
    login_errors: list = []
    if login:
        tokens = await asyncio.gather(*(login(i) for i in range(n)), return_exceptions=True)
        login_errors = [t for t in tokens if isinstance(t, BaseException)]
    login_seconds = time.perf_counter() - start
    rss_logged_in = server.rss_mib()
    results = await asyncio.gather(*(session(t) for t in tokens if not isinstance(t, BaseException)),
                                   return_exceptions=True)
    elapsed = time.perf_counter() - start
    rss_after = server.rss_mib()
    for r in results:
        if not isinstance(r, BaseException):
            await r.close()
    failures = len(login_errors) + sum(isinstance(r, BaseException) for r in results)
    return {"seconds": round(elapsed, 2), "login_seconds": round(login_seconds, 2),
            "failures": failures, "errors": _errors([*login_errors, *results]),
            "rss_before_mib": round(rss_before, 1), "rss_after_logins_mib": round(rss_logged_in, 1),
            "rss_with_sessions_mib": round(rss_after, 1),
            "mib_per_session": round((rss_after - rss_before) / n, 3)}


def _prepare_db(path: Path, usernames: list[str]) -> None:
    """Her account, and (when the daily log exists) a challenge that started three days ago."""
    import datetime as dt

    from lib import auth, clock, signals
    from lib.store import Store

    store = Store(path)
    password_hash = auth.hash_password(PASSWORD)
    today = clock.today("Europe/Amsterdam")
    pre = {s.id: 2 for s in signals.signals()}
    for name in usernames:
        uid = store.create_user(name, password_hash=password_hash, display_name=name, lang="nl", health_consent=True)
        if _daily_log_has_form():
            from lib import challenge_service as svc

            form = {"with_baseline": False, "start_date": today - dt.timedelta(days=3), "method": "oil_spray",
                    "planned_amount": 10, "goal": ""}
            if not svc.start_challenge(store, uid, form, pre, today).ok:
                raise RuntimeError("could not start a challenge")


def _saved(path: Path, usernames: list[str]) -> int:
    """How many of them have the save in the database: today's log, or the language choice."""
    from lib import clock
    from lib.store import Store

    store = Store(path)
    today = clock.today("Europe/Amsterdam").isoformat()
    count = 0
    for name in usernames:
        user = store.user_by_username(name) or {}
        if _daily_log_has_form():
            row = store.daily_log(user["id"], today) if user else None
            count += bool(row and row["applied"] == 1)
        else:
            count += user.get("lang") == "en"
    return count


def run_websocket(sizes=SIZES, *, log=print) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-concurrent-"))
    db = tmp / "app.db"
    names = {n: [f"p{n}x{i:03d}" for i in range(n)] for n in sizes}
    # Eight warm-up participants per size (one name logging in eight times at once would be throttled).
    warm_names = {n: [f"warm{n}x{k}" for k in range(8)] for n in sizes}
    _prepare_db(db, [u for n in sizes for u in names[n]] + [u for n in sizes for u in warm_names[n]])
    out = {"save": "today's daily log" if _daily_log_has_form() else "language choice in her profile"}
    for n in sizes:
        app = Server(ROOT / "server.py", db, tmp / f"app{n}.log").start()
        try:
            def login(i, app=app, n=n):
                return _log_in(app.url, warm_names[n][-1 - i] if i < 0 else names[n][i])

            res_app = asyncio.run(_crowd(app, n, lambda t, app=app: _participant(app.url, t), login))
        finally:
            app.stop()
        res_app["saved_in_db"] = _saved(db, names[n])
        res_app["failures"] = max(res_app["failures"], n - res_app["saved_in_db"])
        ref = Server(ROOT / "bench" / "reference_page.py", tmp / "unused.db", tmp / f"ref{n}.log").start()
        try:
            res_ref = asyncio.run(_crowd(ref, n, lambda t, ref=ref: _visitor(ref.url)))
        finally:
            ref.stop()
        out[f"N={n}"] = {
            "app": res_app, "reference": res_ref,
            "time_ratio": round(res_app["seconds"] / res_ref["seconds"], 2),
            "memory_ratio": (round(res_app["mib_per_session"] / res_ref["mib_per_session"], 2)
                             if res_ref["mib_per_session"] > 0 else None),
        }
        if log:
            log(f"  N={n}: app {res_app['seconds']} s ({res_app['failures']} failures), "
                f"reference {res_ref['seconds']} s")
    return out


# -- ten participants in headless Chromium ---------------------------------------------------------------
async def _browser_crowd(url: str, n: int, usernames: list[str] | None) -> dict:
    from playwright.async_api import async_playwright

    from tests.browser.harness import CHROMIUM_ARGS, SCRIPT_DONE, chromium_executable

    async def ready(page):
        await page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                                     timeout=120_000)
        await page.wait_for_timeout(150)
        await page.wait_for_selector(SCRIPT_DONE, timeout=120_000)

    async def one(browser, i):
        context = await browser.new_context()
        context.set_default_timeout(120_000)  # ten pages at once on a shared machine: be patient
        context.set_default_navigation_timeout(120_000)
        page = await context.new_page()
        if usernames is None:
            await page.goto(url)
            await ready(page)
            await page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=120_000)
            return context
        await page.goto(f"{url}/account")
        await ready(page)
        form = page.locator("#mg-login")
        await form.locator("input[name=username]").fill(usernames[i])
        await form.locator("input[name=password]").fill(PASSWORD)
        async with page.expect_navigation(timeout=120_000):
            await form.locator("button[type=submit]").click()
        await ready(page)
        if not _daily_log_has_form():
            await page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
            await page.wait_for_timeout(150)
            await ready(page)
            return context
        from lib import i18n

        await page.goto(f"{url}/log")
        await ready(page)
        await page.get_by_test_id("stRadio").get_by_text(i18n.t("log.yes", "nl"), exact=True).first.click()
        await page.get_by_role("button", name=i18n.t("log.save", "nl")).click()
        saved = i18n.t("log.saved", "nl", day="\x00").split("\x00")[0]
        await page.get_by_test_id("stAlert").get_by_text(saved).wait_for(timeout=120_000)
        return context

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            start = time.perf_counter()
            results = await asyncio.gather(*(one(browser, i) for i in range(n)), return_exceptions=True)
            elapsed = time.perf_counter() - start
            errors = [r for r in results if isinstance(r, BaseException)]
            for r in results:
                if not isinstance(r, BaseException):
                    await r.close()
        finally:
            await browser.close()
    return {"seconds": round(elapsed, 2), "failures": len(errors),
            "errors": sorted({f"{type(e).__name__}: {e}"[:160] for e in errors})[:3]}


def run_browser(n: int = BROWSERS, *, log=print) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-browsers-"))
    db = tmp / "app.db"
    names = [f"chromium{i:02d}" for i in range(n)]
    _prepare_db(db, names)
    app = Server(ROOT / "server.py", db, tmp / "app.log").start()
    try:
        res_app = asyncio.run(_browser_crowd(app.url, n, names))
    finally:
        app.stop()
    res_app["saved_in_db"] = _saved(db, names)
    res_app["failures"] = max(res_app["failures"], n - res_app["saved_in_db"])
    ref = Server(ROOT / "bench" / "reference_page.py", tmp / "unused.db", tmp / "ref.log").start()
    try:
        res_ref = asyncio.run(_browser_crowd(ref.url, n, None))
    finally:
        ref.stop()
    if log:
        log(f"  Chromium x{n}: app {res_app['seconds']} s ({res_app['failures']} failures), "
            f"reference {res_ref['seconds']} s")
    return {"N": n, "app": res_app, "reference": res_ref,
            "time_ratio": round(res_app["seconds"] / res_ref["seconds"], 2)}


if __name__ == "__main__":
    import json

    print(json.dumps(run_websocket((10,)), indent=2))
