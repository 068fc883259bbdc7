"""The account routes over HTTP (Starlette's test client): CSRF and Origin, cookie flags, revocation,
password change, reset codes, and the parked quiz token carried through success and failure."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from lib import auth
from lib.store import Store
from lib.web import auth_web
from tests import store_probe

GOOD = "paars fiets regen zolder"
NEW = "groen bootje wolk tafel"
ORIGIN = "http://testserver"


async def _page(request):
    return HTMLResponse("<html>app</html>")


def _app() -> Starlette:
    routes = [Route("/", _page), Route("/account", _page), *auth_web.routes()]
    return Starlette(routes=routes, middleware=auth_web.middleware())


@pytest.fixture
def client(db_path):
    with TestClient(_app(), base_url=ORIGIN, follow_redirects=False) as c:
        c.get("/")  # the first page load hands out the CSRF cookie
        assert c.cookies.get(auth_web.CSRF_COOKIE)
        yield c


def _post(client, path, data, *, origin=ORIGIN, headers=None, csrf=None):
    body = {"csrf": client.cookies.get(auth_web.CSRF_COOKIE) if csrf is None else csrf, **data}
    hdrs = {"origin": origin} if origin else {}
    hdrs.update(headers or {})
    return client.post(path, data=body, headers=hdrs)


def _set_cookies(response) -> dict[str, str]:
    """name -> the whole Set-Cookie header, lower-cased."""
    out = {}
    for header in response.headers.get_list("set-cookie"):
        out[header.split("=", 1)[0]] = header.lower()
    return out


def _query(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def _signup(client, username="anna", password=GOOD, **extra):
    data = {"username": username, "password": password, "password2": password, "display_name": "Anna",
            "consent": "yes", "ui_lang": "en", "tz": "Europe/Amsterdam", **extra}
    return _post(client, auth_web.SIGNUP, data)


def test_sign_up_sets_an_httponly_lax_cookie_for_thirty_days_and_keeps_her_language(client, db_path):
    response = _signup(client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = _set_cookies(response)[auth_web.SESSION_COOKIE]
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert f"max-age={30 * 24 * 3600}" in cookie
    assert "secure" not in cookie, "plain http on this machine: a Secure cookie would never come back"
    user = Store(db_path).user_by_username("anna")
    assert user["lang"] == "en" and user["timezone"] == "Europe/Amsterdam" and user["health_consent_at"]
    token = client.cookies.get(auth_web.SESSION_COOKIE)
    assert auth.user_for_token(Store(db_path), token)["id"] == user["id"]


@pytest.mark.parametrize("route", [auth_web.SIGNUP, auth_web.LOGIN, auth_web.LOGOUT, auth_web.PASSWORD,
                                   auth_web.RESET])
def test_every_route_refuses_a_post_without_the_csrf_token_or_from_another_site(client, db_path, route):
    data = {"username": "anna", "password": GOOD, "password2": GOOD, "consent": "yes"}
    for kwargs in ({"csrf": ""}, {"csrf": "forged-token"}, {"origin": "https://evil.example"}, {"origin": "null"}):
        response = _post(client, route, data, **kwargs)
        assert response.status_code == 303
        assert _query(response)["auth_error"] == "csrf", kwargs
        assert auth_web.SESSION_COOKIE not in _set_cookies(response)
    assert store_probe.table_counts(Store(db_path))["users"] == 0


def test_routes_answer_only_to_post(client):
    for route in (auth_web.SIGNUP, auth_web.LOGIN, auth_web.LOGOUT):
        assert client.get(route).status_code == 405


@pytest.mark.parametrize(
    ("env", "client_headers", "secure"),
    [
        ({}, {"x-forwarded-proto": "https"}, False),  # anybody can send the header: not trusted by default
        ({"trusted_proxies": frozenset({"testclient"})}, {"x-forwarded-proto": "https"}, True),
        ({"trusted_proxies": frozenset({"*"})}, {"x-forwarded-proto": "https"}, True),
        ({"trusted_proxies": frozenset({"10.0.0.1"})}, {"x-forwarded-proto": "https"}, False),  # another proxy
        ({"trusted_proxies": frozenset({"*"})}, {"x-forwarded-proto": "http"}, False),
        ({"cookie_secure": True}, {}, True),
    ],
)
def test_cookies_are_secure_over_https_and_behind_a_trusted_proxy_only(client, configure, env, client_headers,
                                                                      secure):
    configure(**env)
    data = {"username": "bea", "password": GOOD, "password2": GOOD, "consent": "yes"}
    response = _post(client, auth_web.SIGNUP, data, headers=client_headers)
    cookie = _set_cookies(response)[auth_web.SESSION_COOKIE]
    assert ("; secure" in cookie) is secure


def test_the_csrf_cookie_is_secure_over_https(db_path):
    with TestClient(_app(), base_url="https://testserver") as c:
        response = c.get("/")
    cookie = _set_cookies(response)[auth_web.CSRF_COOKIE]
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_log_out_revokes_the_token_and_clears_the_cookies(client, db_path):
    _signup(client)
    token = client.cookies.get(auth_web.SESSION_COOKIE)
    response = _post(client, auth_web.LOGOUT, {})
    assert response.headers["location"].startswith("/account?notice=logged_out")
    cleared = _set_cookies(response)
    assert 'mg_session="";' in cleared[auth_web.SESSION_COOKIE] or "max-age=0" in cleared[auth_web.SESSION_COOKIE]
    assert auth.user_for_token(Store(db_path), token) is None


def test_a_wrong_login_says_the_same_for_a_real_and_an_unknown_username(client):
    _signup(client)
    client.cookies.delete(auth_web.SESSION_COOKIE)
    real = _post(client, auth_web.LOGIN, {"username": "anna", "password": "not her password"})
    ghost = _post(client, auth_web.LOGIN, {"username": "nobody", "password": "not her password"})
    assert _query(real) == _query(ghost) == {"auth_error": "bad_login", "form": "login"}
    ok = _post(client, auth_web.LOGIN, {"username": " ANNA ", "password": GOOD})
    assert ok.headers["location"] == "/" and auth_web.SESSION_COOKIE in _set_cookies(ok)


def test_password_change_asks_the_old_one_and_ends_her_other_sessions(client, db_path):
    _signup(client)
    other_device = auth.log_in(Store(db_path), username="anna", password=GOOD).token
    wrong = _post(client, auth_web.PASSWORD, {"old": "not it at all", "new": NEW, "new2": NEW})
    assert _query(wrong)["auth_error"] == "old_password_wrong"
    mismatch = _post(client, auth_web.PASSWORD, {"old": GOOD, "new": NEW, "new2": NEW + "x"})
    assert _query(mismatch)["auth_error"] == "password_mismatch"
    before = client.cookies.get(auth_web.SESSION_COOKIE)
    done = _post(client, auth_web.PASSWORD, {"old": GOOD, "new": NEW, "new2": NEW})
    assert _query(done) == {"notice": "password_changed"}
    store = Store(db_path)
    assert auth.user_for_token(store, other_device) is None and auth.user_for_token(store, before) is None
    assert auth.user_for_token(store, client.cookies.get(auth_web.SESSION_COOKIE)) is not None, "this device stays in"


def test_password_change_needs_a_live_login(client):
    response = _post(client, auth_web.PASSWORD, {"old": GOOD, "new": NEW, "new2": NEW})
    assert _query(response)["auth_error"] == "not_logged_in"


def test_a_forgotten_password_is_reset_with_a_practitioners_code(client, db_path):
    _signup(client)
    client.cookies.delete(auth_web.SESSION_COOKIE)
    code = auth.issue_reset_code(Store(db_path), "anna")
    bad = _post(client, auth_web.RESET, {"username": "anna", "code": "AAAA-BBBB-CCCC", "new": NEW, "new2": NEW})
    assert _query(bad)["auth_error"] == "bad_reset"
    done = _post(client, auth_web.RESET, {"username": "anna", "code": code, "new": NEW, "new2": NEW})
    assert _query(done) == {"notice": "password_changed"} and auth_web.SESSION_COOKIE in _set_cookies(done)
    assert auth.log_in(Store(db_path), username="anna", password=NEW).ok


def test_the_parked_quiz_token_arrives_after_sign_up_and_survives_a_failed_attempt(client, db_path):
    store = Store(db_path)
    token = store.park_pending_quiz({"coffee": 3})
    weak = _signup(client, password="password", pending=token, next="quiz")
    assert _query(weak) == {"auth_error": "weak_common", "form": "signup", "next": "quiz"}
    kept = _set_cookies(weak)[auth_web.PENDING_COOKIE]
    assert token.lower() in kept and "httponly" in kept and "max-age=3600" in kept
    assert client.cookies.get(auth_web.PENDING_COOKIE) == token
    assert store.user_by_username("anna") is None, "a failed sign-up changes nothing"

    done = _signup(client, pending=token, next="quiz")
    assert done.headers["location"] == "/quiz"
    assert client.cookies.get(auth_web.PENDING_COOKIE) == token
    assert store.claim_pending_quiz(token) == {"coffee": 3}, "the token still works once it has arrived"


def test_a_forged_post_cannot_plant_a_quiz_token(client, db_path):
    token = Store(db_path).park_pending_quiz({"coffee": 3})
    client.cookies.delete(auth_web.PENDING_COOKIE)
    response = _signup(client, pending=token, csrf="forged")
    assert auth_web.PENDING_COOKIE not in _set_cookies(response)


def test_log_in_carries_the_quiz_token_and_ignores_anything_that_is_not_a_token(client):
    _signup(client)
    client.cookies.clear()
    client.get("/")
    bad = _post(client, auth_web.LOGIN, {"username": "anna", "password": GOOD, "pending": "<script>", "next": "//evil"})
    assert auth_web.PENDING_COOKIE not in _set_cookies(bad)
    assert bad.headers["location"] == "/", "next is a page of ours or nothing"
    good = _post(client, auth_web.LOGIN, {"username": "anna", "password": GOOD, "pending": "A" * 32})
    assert auth_web.PENDING_COOKIE in _set_cookies(good)


def test_throttled_logins_over_http_say_how_long_to_wait(client):
    _signup(client)
    client.cookies.delete(auth_web.SESSION_COOKIE)
    answers = [_query(_post(client, auth_web.LOGIN, {"username": "anna", "password": "wrong wrong"}))
               for _ in range(auth.USER_FREE_TRIES)]
    assert answers[-1]["auth_error"] == "throttled" and int(answers[-1]["minutes"]) >= 1
    blocked = _post(client, auth_web.LOGIN, {"username": "anna", "password": GOOD})
    assert _query(blocked)["auth_error"] == "throttled" and auth_web.SESSION_COOKIE not in _set_cookies(blocked)


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(client, configure):
    from starlette.requests import Request

    def request(headers, host="10.0.0.1"):
        scope = {"type": "http", "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
                 "client": (host, 1234), "scheme": "http", "path": "/", "method": "POST", "query_string": b""}
        return Request(scope)

    spoof = {"x-forwarded-for": "203.0.113.7"}
    assert auth_web.client_address(request(spoof)) == "10.0.0.1", "untrusted: the header is ignored"
    configure(trusted_proxies=frozenset({"10.0.0.1"}))
    assert auth_web.client_address(request(spoof)) == "203.0.113.7"


def test_every_redirect_remembers_the_language_of_the_form(client):
    failed = _post(client, auth_web.LOGIN, {"username": "nobody", "password": "nope nope", "ui_lang": "en"})
    assert "mg_lang=en" in _set_cookies(failed)[auth_web.LANG_COOKIE]
    done = _signup(client)  # ui_lang "en"
    assert "mg_lang=en" in _set_cookies(done)[auth_web.LANG_COOKIE]
    odd = _post(client, auth_web.LOGIN, {"username": "nobody", "password": "nope nope", "ui_lang": "<x>"})
    assert auth_web.LANG_COOKIE not in _set_cookies(odd)


def test_a_trusted_proxy_that_rewrites_host_still_passes_the_origin_check(client, configure):
    data = {"username": "nobody", "password": "nope nope"}
    behind = {"host": "127.0.0.1:8501", "x-forwarded-host": "mg.example.nl"}
    refused = _post(client, auth_web.LOGIN, data, origin="https://mg.example.nl", headers=behind)
    assert _query(refused)["auth_error"] == "csrf", "not trusted: X-Forwarded-Host means nothing"
    configure(trusted_proxies=frozenset({"testclient"}))
    passed = _post(client, auth_web.LOGIN, data, origin="https://mg.example.nl", headers=behind)
    assert _query(passed)["auth_error"] == "bad_login"
    other = _post(client, auth_web.LOGIN, data, origin="https://evil.example", headers=behind)
    assert _query(other)["auth_error"] == "csrf"


def test_a_browser_without_the_csrf_cookie_gets_one_from_a_cached_page_or_a_refused_form(db_path):
    from starlette.responses import Response

    async def not_modified(request):
        return Response(status_code=304)

    app = Starlette(routes=[Route("/cached", not_modified), *auth_web.routes()], middleware=auth_web.middleware())
    with TestClient(app, base_url=ORIGIN, follow_redirects=False) as c:
        assert auth_web.CSRF_COOKIE in _set_cookies(c.get("/cached"))
        c.cookies.clear()
        refused = c.post(auth_web.LOGIN, data={"username": "a", "password": "b"}, headers={"origin": ORIGIN})
        assert _query(refused)["auth_error"] == "csrf"
        assert auth_web.CSRF_COOKIE in _set_cookies(refused), "the form shown again will work"


def test_signing_up_never_gives_the_practitioner_role_whatever_the_form_says(client, db_path):
    _signup(client, role="practitioner", is_practitioner="1")
    assert Store(db_path).user_by_username("anna")["role"] == "participant"
