"""The app's log: what a whole journey leaves in it, and what an unexpected error shows her and logs."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from lib import auth, export, i18n, quiz
from lib import challenge_service as svc
from lib.signals import signals
from lib.store import Store
from lib.web import auth_web
from tests.page_text import page_text

ORIGIN = "http://testserver"
PASSWORD = "paars fiets regen zolder"
NEW_PASSWORD = "groen bootje wolk tafel"
WRONG = "lila-wolk-geheim-5531"  # a wrong password: never in the log either
NOTE = "hoofdpijn-na-ruzie-8842"  # her own words in the daily log
GOAL = "minder-kramp-doel-6613"
NAME = "Anna-zichtbaar-4477"
TODAY = dt.date(2026, 3, 12)
REF = re.compile(r"\b[0-9A-F]{6}\b")


async def _page(request):
    return HTMLResponse("<html>app</html>")


@pytest.fixture
def client(db_path):
    app = Starlette(routes=[Route("/", _page), Route("/account", _page), *auth_web.routes()],
                    middleware=auth_web.middleware())
    with TestClient(app, base_url=ORIGIN, follow_redirects=False) as c:
        c.get("/")
        yield c


def _post(client, path, data):
    body = {"csrf": client.cookies.get(auth_web.CSRF_COOKIE), "ui_lang": "nl", **data}
    return client.post(path, data=body, headers={"origin": ORIGIN})


def _log_text(caplog) -> str:
    """Everything the app logged, as a log file would hold it (messages, arguments and tracebacks)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(r) for r in caplog.records if r.name.startswith("magnesium"))


def test_a_whole_journey_logs_logins_failures_and_saves_but_no_secret_and_no_health_value(
        client, db_path, configure, caplog):
    configure(fixed_today=TODAY)
    caplog.set_level(logging.DEBUG)
    store = Store(db_path)
    secrets: list[str] = [PASSWORD, NEW_PASSWORD, WRONG]

    # Accounts, through the routes: sign up, a wrong password, a log-in, a password change, a reset.
    done = _post(client, auth_web.SIGNUP, {"username": "anna", "display_name": NAME, "password": PASSWORD,
                                           "password2": PASSWORD, "consent": "yes"})
    assert done.status_code == 303
    secrets.append(client.cookies.get(auth_web.SESSION_COOKIE))
    _post(client, auth_web.LOGIN, {"username": "anna", "password": WRONG})
    _post(client, auth_web.LOGIN, {"username": WRONG, "password": PASSWORD})  # a password in the name field
    _post(client, auth_web.LOGIN, {"username": "anna", "password": PASSWORD})
    secrets.append(client.cookies.get(auth_web.SESSION_COOKIE))
    _post(client, auth_web.PASSWORD, {"old": WRONG, "new": NEW_PASSWORD, "new2": NEW_PASSWORD})
    _post(client, auth_web.PASSWORD, {"old": PASSWORD, "new": NEW_PASSWORD, "new2": NEW_PASSWORD})
    secrets.append(client.cookies.get(auth_web.SESSION_COOKIE))
    code = auth.issue_reset_code(store, "anna")
    secrets.append(code)
    _post(client, auth_web.RESET, {"username": "anna", "code": code, "new": PASSWORD, "new2": PASSWORD})
    secrets.append(client.cookies.get(auth_web.SESSION_COOKIE))
    uid = store.user_by_username("anna")["id"]

    # Her challenge, through the services: start, days logged and one replaced, magnesium, post-test.
    pre = {s.id: 3 for s in signals()}
    form = {"with_baseline": True, "start_date": TODAY - dt.timedelta(days=6), "method": "foot_bath",
            "planned_amount": 20, "goal": GOAL}
    assert svc.start_challenge(store, uid, form, pre, TODAY).ok
    day = {"day": TODAY, "applied": False, "sleep_quality": 7, "energy": 3, "mood": 8, "note": NOTE}
    assert svc.save_log(store, uid, day, TODAY).status == "saved"
    assert svc.save_log(store, uid, {**day, "energy": 4}, TODAY).status == "confirm"
    assert svc.save_log(store, uid, {**day, "energy": 4}, TODAY, replace=True).status == "saved"
    assert svc.save_log(store, uid, {**day, "sleep_quality": 11}, TODAY).status == "invalid"
    assert svc.start_magnesium(store, uid, TODAY + dt.timedelta(days=1), TODAY).ok

    # The quiz, the export, and finally deleting everything.
    answers = {"questions": {}, "signals": {"sleep": 4, "muscles": 2}}
    quiz.save(store, uid, quiz.score(answers))
    export.build_zip(lambda: store, uid, "nl")
    _post(client, auth_web.LOGOUT, {})
    auth.delete_account(store, store.get_user(uid))

    text = _log_text(caplog)
    for expected in ("sign-up", "login: user=", "login failed", "password changed", "password reset",
                     "reset code issued", "challenge started", "day saved", "day replaced", "day refused",
                     "magnesium day 1", "quiz saved", "data export", "logout", "account deleted"):
        assert expected in text, f"the log should mention {expected!r}"
    hashes = [hashlib.sha256(s.encode()).hexdigest() for s in secrets]
    for secret in [*secrets, *hashes]:
        assert secret and secret not in text, "no password, token, code or hash of one in the log"
    for private in (NOTE, GOAL, NAME, "sleep_quality", "energy", "signal_score"):
        assert private not in text, f"no health value or her own words in the log: {private!r}"
    assert not re.search(r"=\s*(7|8|11)\b", text.replace("user=", "user:")), "no rating values"


def test_an_unexpected_error_on_a_page_shows_a_reference_that_the_log_has_with_the_traceback(
        app, store, monkeypatch, caplog):
    uid = store.create_user("anna")

    def broken(self, user_id):
        raise RuntimeError("the disk said no 4242")

    monkeypatch.setattr(Store, "active_challenge", broken)
    caplog.set_level(logging.INFO)
    at = app(lang="en", user_id=uid)  # Home asks for her challenge
    assert not at.exception, "no raw error or traceback on her screen"
    shown = [e.body for e in at.error]
    assert len(shown) == 1 and "4242" not in shown[0] and "RuntimeError" not in page_text(at)
    refs = REF.findall(shown[0])
    assert len(refs) == 1
    assert shown[0] == i18n.t("common.unexpected_error", "en", ref=refs[0])
    logged = [r for r in caplog.records if r.name.startswith("magnesium") and refs[0] in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    trace = logging.Formatter().formatException(logged[0].exc_info)
    assert "the disk said no 4242" in trace and "active_challenge" in trace
    assert i18n.t("common.disclaimer", "en") in page_text(at), "the frame around the page still shows"


def test_an_unexpected_error_in_a_route_sends_her_back_with_a_reference_that_the_log_has(
        client, db_path, monkeypatch, caplog):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ENTRY

    def broken(*args, **kwargs):
        raise OSError("no space left on device 9191")

    monkeypatch.setattr(auth, "log_in", broken)
    caplog.set_level(logging.INFO)
    response = _post(client, auth_web.LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 303
    location = response.headers["location"]
    ref = re.search(r"ref=([0-9A-F]{6})", location).group(1)
    assert "auth_error=unexpected" in location and "9191" not in location
    logged = [r for r in caplog.records if r.name.startswith("magnesium") and ref in r.getMessage()]
    assert len(logged) == 1
    assert "no space left on device 9191" in logging.Formatter().formatException(logged[0].exc_info)
    assert PASSWORD not in _log_text(caplog)

    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/account.py")
    at.query_params["auth_error"] = "unexpected"
    at.query_params["ref"] = ref
    at.run()
    assert i18n.t("account.err.unexpected", "en", ref=ref) in page_text(at)

    at.query_params["ref"] = "<b>x</b>"  # nothing but a reference is taken from the address
    at.run()
    assert "<b>x</b>" not in page_text(at)


def test_the_server_hands_errors_outside_the_page_to_the_same_handler(monkeypatch):
    """Errors in widget callbacks reach Streamlit's ``on_script_error``: the server passes the handler the
    page test above exercises, so she gets the same message and the log the same traceback."""
    import importlib
    import sys

    import uvicorn.config

    from lib import ui

    # Importing server.py pins uvicorn's proxy trust (lib/web/auth_web.py): undone after this test.
    monkeypatch.setattr(uvicorn.config, "ProxyHeadersMiddleware", uvicorn.config.ProxyHeadersMiddleware)
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")
    monkeypatch.delitem(sys.modules, "server", raising=False)
    server = importlib.import_module("server")
    assert server.app._on_script_error is ui.unexpected_error
