"""A real ``streamlit run`` server on a free localhost port, and headless Chromium to drive it.

The browser is found in this order: ``MAGNESIUM_CHROMIUM`` (a path to a Chromium binary); Debian's
``chromium`` package; Playwright's own Chromium (``python -m playwright install chromium``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APP_ENTRY = ROOT / "server.py"
ENV_CHROMIUM = "MAGNESIUM_CHROMIUM"
DEBIAN_CHROMIUMS = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach the internet, which this kind of machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--renderer-process-limit=6",
]
ARTIFACTS_DIR = ROOT / "test-artifacts"
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def chromium_executable() -> str | None:
    """The Chromium to launch, or None to let Playwright use its own download."""
    override = os.environ.get(ENV_CHROMIUM)
    if override:
        if not Path(override).exists():
            raise FileNotFoundError(f"{ENV_CHROMIUM}={override} does not exist")
        return override
    for candidate in DEBIAN_CHROMIUMS:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run`` in its own process group, on 127.0.0.1 and a free port."""

    def __init__(self, db_path: Path, *, today: str | None = None, extra_env: dict | None = None,
                 entry: Path = APP_ENTRY, log_path: Path | None = None):
        self.db_path = Path(db_path)
        self.today = today
        self.extra_env = extra_env or {}
        self.entry = entry
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = log_path or self.db_path.with_suffix(".server.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60, *, same_port: bool = False) -> AppServer:
        """Start the server; ``same_port`` starts it again on the port it had (a restart, as a host does)."""
        if not (same_port and self.port):
            self.port = free_port()
        env = {**os.environ, "MAGNESIUM_DB": str(self.db_path), **self.extra_env}
        env.pop("MAGNESIUM_TODAY", None)
        if self.today:
            env["MAGNESIUM_TODAY"] = self.today
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.entry),
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--client.showErrorDetails", "full",
        ]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log_path.read_text(errors='replace')}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"streamlit did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None
        self._log.close()

    def kill(self) -> None:
        """SIGKILL the whole server group at once (for crash tests)."""
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None
            self._log.close()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and its script run has finished."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    # The script state goes initial -> running -> notRunning; give a rerun a moment to start.
    page.wait_for_timeout(150)
    page.wait_for_selector(SCRIPT_DONE, timeout=timeout)


def open_app(page, server: AppServer, path: str = "", timeout: float = 30_000) -> None:
    page.goto(f"{server.url}/{path.lstrip('/')}")
    wait_for_app(page, timeout)


def open_tab(page, label: str) -> None:
    """Tap a tab of the page (Progress draws only the open tab) and wait for its content."""
    tab = page.locator('[data-testid="stMain"]').get_by_role("tab", name=label, exact=True)
    tab.scroll_into_view_if_needed()
    tab.click()
    page.wait_for_function("(t) => t.getAttribute('aria-selected') === 'true'", arg=tab.element_handle(),
                           timeout=10_000)
    wait_for_app(page)


# -- a logged-in participant (the account forms are plain HTML posting to the account routes) ---------
SESSION_COOKIE = "mg_session"


def _submit_account_form(page, form_id: str) -> None:
    with page.expect_navigation():
        page.locator(f"#{form_id} button[type=submit]").click()
    wait_for_app(page)


def _logged_in_or_raise(page, what: str) -> None:
    if not any(c["name"] == SESSION_COOKIE for c in page.context.cookies()):
        alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
        raise AssertionError(f"{what} failed: {alerts or page.url}")


def sign_up(page, server: AppServer, username: str, password: str, display_name: str = "Test", lang: str = "nl",
            consent: bool = True) -> None:
    """Create an account through the Account page's form, in ``lang``; ends logged in on Home."""
    from lib import i18n

    open_app(page, server, "account")
    if lang != i18n.DEFAULT_LANG:
        page.get_by_test_id("stSidebar").get_by_text(i18n.LANGUAGES[lang], exact=True).click()
        wait_for_app(page)
    page.get_by_role("tab", name=i18n.t("account.tab_signup", lang)).click()
    form = page.locator("#mg-signup")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=display_name]").fill(display_name)
    form.locator("input[name=password]").fill(password)
    form.locator("input[name=password2]").fill(password)
    if consent:
        form.locator("input[name=consent]").check()
    _submit_account_form(page, "mg-signup")
    _logged_in_or_raise(page, "sign-up")


def log_in(page, server: AppServer, username: str, password: str) -> None:
    """Log in through the Account page's form; ends logged in on Home."""
    open_app(page, server, "account")
    form = page.locator("#mg-login")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    _submit_account_form(page, "mg-login")
    _logged_in_or_raise(page, "log-in")
