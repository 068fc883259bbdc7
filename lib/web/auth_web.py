"""The HTTP side of accounts: the routes the log-in, sign-up and other account forms post to.

Streamlit's Python code cannot set a cookie, but the ASGI app around it can. The Account page renders
plain HTML forms (``st.html``) that post here; a route checks the CSRF token, does the work through
lib/auth.py, sets or clears the HttpOnly login cookie and answers with a 303 redirect back into the
app, which then starts a new Streamlit session that reads the cookie (lib/ui/login.py).

CSRF: a "double submit" token. A small middleware gives every browser a random ``mg_csrf`` cookie
(SameSite=Lax) with the first page it loads; the page copies the value into each form; a route
accepts a post only when the two agree and, when the browser sends an ``Origin``, it is our own.
A foreign site can neither read the cookie nor make the browser send it with a cross-site post.

``Secure``: the cookies are marked Secure when the request came over HTTPS, directly or through a
proxy listed in the ``trusted_proxies`` setting (``MAGNESIUM_TRUSTED_PROXIES``: comma-separated addresses
or networks, or ``*``; see lib/settings.py) that sends ``X-Forwarded-Proto``; the ``cookie_secure``
setting forces it. That setting is the only one: uvicorn's own trust of forwarded headers is switched off
(``uvicorn_forwarded_allow_ips``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hmac
import ipaddress
import json
import os
import re
import secrets
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from lib import auth, logs, page_table, quiz, settings
from lib.i18n import LANGUAGES, normalise_lang
from lib.store import StoreInterface, open_store

SESSION_COOKIE = "mg_session"
CSRF_COOKIE = "mg_csrf"
PENDING_COOKIE = "mg_pending"
DEVICE_COOKIE = "mg_device"  # a browser where she logged in before (OWASP's device cookie, lib/auth.py)
LANG_COOKIE = "mg_lang"  # the interface language of this device, so a redirect keeps a visitor's language
LANG_MAX_AGE = 365 * 24 * 3600
PENDING_MAX_AGE = 3600
CSRF_MAX_AGE = 30 * 24 * 3600

PREFIX = "/session"
SIGNUP, LOGIN, LOGOUT, RESET, PASSWORD = (f"{PREFIX}/{n}" for n in ("signup", "login", "logout", "reset", "password"))
PENDING = f"{PREFIX}/pending"  # her answer to "a quiz taken on this device: add it to your account?"
PASSWORD_CHECK = f"{PREFIX}/password-check"  # the forms' live check: the server's own password rule
# What she typed into a refused form, except passwords, for the form shown again (``draft``): short-lived,
# HttpOnly, and cleared when she gets in.
DRAFT_COOKIE = "mg_draft"
DRAFT_MAX_AGE = 15 * 60
DRAFT_FIELDS = {"signup": ("username", "display_name", "consent"), "login": ("username",), "reset": ("username",)}
DRAFT_MAX_CHARS = {"username": auth.USERNAME_MAX, "display_name": auth.DISPLAY_NAME_MAX}
PENDING_NOTICES = ("quiz_attached", "quiz_declined")

log = logs.get("routes")
REF_RE = re.compile(r"^[0-9A-F]{6}$")  # an error reference (lib/logs.py), the only other thing the address carries
# Pages a form may lead back to after logging in (the page table, lib/page_table.py); anything else: Home.
NEXT_PAGES = page_table.URL_PATHS


# -- request helpers -----------------------------------------------------------------------------
def _listed() -> set[str]:
    return set(settings.current().trusted_proxies)


def _is_listed(host: str | None, listed: set[str]) -> bool:
    """``host`` is one of the listed proxies (an address, or inside a listed network such as 10.0.0.0/8)."""
    if not host:
        return False
    if host in listed:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in listed:
        if "/" in entry:
            with contextlib.suppress(ValueError):
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
    return False


def _trusted(host: str | None) -> bool:
    listed = _listed()
    return "*" in listed or _is_listed(host, listed)


def uvicorn_forwarded_allow_ips() -> str:
    """What uvicorn's ``forwarded_allow_ips`` is pinned to (``pin_uvicorn_forwarded_trust``): nothing.

    Left alone, uvicorn believes ``X-Forwarded-For`` and ``X-Forwarded-Proto`` from 127.0.0.1 without
    any configuration (a header rotated from this machine got 40 of 40 password checks), and with ``*``
    it takes the *leftmost*, client-written entry. The app applies its own setting,
    ``trusted_proxies`` (lib/settings.py), in exactly one place: here (``client_address``, ``is_https``, the
    Origin check). Handing uvicorn the same list instead would make it rewrite the peer address before
    the app sees it, and the app could no longer tell that a request came through a trusted proxy
    (``X-Forwarded-Host`` would stop working) nor apply the rightmost rule for ``*``. Streamlit's own
    view of the client (``st.context.ip_address``) is then the proxy's address; the app does not use it.
    """
    return ""


def pin_uvicorn_forwarded_trust() -> None:
    """Make uvicorn trust forwarded headers from nobody (see ``uvicorn_forwarded_allow_ips``).

    ``streamlit run server.py`` finds the ``st.App`` by reading the file, builds uvicorn's ``Config``
    (which reads ``FORWARDED_ALLOW_IPS`` from the environment right then) and only then imports
    server.py, and it has no option of its own for this. So the environment variable is set for any
    later config (a port retry builds a new one), and the proxy-headers middleware that uvicorn wraps
    around the app after importing it is pinned to the app's value. A real server checks that a header
    rotated from this machine is not believed (tests/browser/test_stale_tab_browser.py).
    """
    value = uvicorn_forwarded_allow_ips()
    os.environ["FORWARDED_ALLOW_IPS"] = value
    try:
        import uvicorn.config as uvicorn_config
    except ImportError:  # another ASGI server: it has its own setting
        return
    base = uvicorn_config.ProxyHeadersMiddleware
    if getattr(base, "pinned_by_app", False):
        return

    class PinnedProxyHeaders(base):
        pinned_by_app = True

        def __init__(self, app, trusted_hosts="127.0.0.1"):
            super().__init__(app, trusted_hosts=value)

    uvicorn_config.ProxyHeadersMiddleware = PinnedProxyHeaders


def is_https(request: Request) -> bool:
    """HTTPS directly, or through a proxy the host declared trusted."""
    if settings.current().cookie_secure or request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto == "https" and _trusted(request.client.host if request.client else None)


def client_address(request: Request) -> str | None:
    """The address to throttle on: the socket's peer, or, when that peer is a trusted proxy, the
    rightmost ``X-Forwarded-For`` entry that is not a trusted proxy itself.

    A proxy such as nginx *appends* the address it saw to whatever header the client sent, so the
    entries on the left are the client's own words (rotating them would dodge the per-address
    throttle); only the right end was written by our proxies. With ``*`` (any peer is a proxy) only
    the rightmost entry, the one the nearest proxy wrote, is believed.
    """
    host = request.client.host if request.client else None
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    listed = _listed()
    if not forwarded or not ("*" in listed or _is_listed(host, listed)):
        return host
    entries = [e.strip() for e in forwarded.split(",") if e.strip()]
    if not entries:
        return host
    if "*" in listed:
        return entries[-1]
    for entry in reversed(entries):
        if not _is_listed(entry, listed):
            return entry
    return entries[0]  # every hop is one of our proxies: the first of them is the client


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None  # "null" (sandboxed or privacy mode) is refused, absent is allowed
    ours = {request.headers.get("host", "").lower()}
    forwarded_host = request.headers.get("x-forwarded-host")
    if forwarded_host and _trusted(request.client.host if request.client else None):
        # A proxy that rewrites Host names the address the browser used here.
        ours.add(forwarded_host.split(",")[0].strip().lower())
    return urlsplit(origin).netloc.lower() in ours


def _csrf_ok(request: Request, form) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = str(form.get("csrf", ""))
    return bool(cookie) and hmac.compare_digest(cookie, sent) and _same_origin(request)


def _next_path(form) -> str:
    nxt = str(form.get("next", "")).strip().strip("/")
    return "/" + (nxt if nxt in NEXT_PAGES else "")


def _pending(form) -> str:
    """The parked quiz token from a form, when it looks like one (else "")."""
    pending = str(form.get("pending", "") if form is not None else "").strip()
    return pending if pending and auth.PENDING_TOKEN_RE.match(pending) else ""


def encode_draft(form_name: str, form) -> str:
    """The fields of ``form`` worth keeping after a refusal (never a password), as a cookie value."""
    data: dict = {"form": form_name}
    for name in DRAFT_FIELDS.get(form_name, ()):
        if name == "consent":
            data[name] = form.get(name) == "yes"
        else:
            data[name] = str(form.get(name, ""))[: DRAFT_MAX_CHARS.get(name, 100)]
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_draft(value: str | None) -> dict:
    """A draft cookie's fields (``form``, ``username``, ``display_name``, ``consent``); {} when it is not one."""
    if not value or len(value) > 2000:
        return {}
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, binascii.Error):
        return {}
    if not isinstance(data, dict) or data.get("form") not in DRAFT_FIELDS:
        return {}
    out: dict = {"form": data["form"]}
    for name in DRAFT_FIELDS[data["form"]]:
        if name == "consent":
            out[name] = data.get(name) is True
        elif isinstance(data.get(name), str):
            out[name] = data[name][: DRAFT_MAX_CHARS.get(name, 100)]
    return out


def _back_with_error(request: Request, form, form_name: str, code: str, minutes: int = 0,
                     codes: tuple[str, ...] = ()) -> RedirectResponse:
    """Back to the Account page with error codes (never her input in the address). A parked quiz token and
    the page to go to afterwards are kept, so a failed attempt (a weak password, a typo) loses neither;
    what she typed, except passwords, waits in a short-lived cookie so the form is filled in again."""
    codes = tuple(dict.fromkeys(codes or (code,)))
    log.info("%s refused: %s", form_name, ",".join(codes))
    params = {"auth_error": ",".join(codes), "form": form_name}
    if minutes:
        params["minutes"] = str(minutes)
    nxt = _next_path(form).strip("/") if form is not None else ""
    if nxt:
        params["next"] = nxt
    response = RedirectResponse(f"/account?{urlencode(params)}", status_code=303)
    _keep_lang(response, request, form)
    pending = _pending(form)
    if pending:
        _set_cookie(response, request, PENDING_COOKIE, pending, PENDING_MAX_AGE)
    if form is not None and form_name in DRAFT_FIELDS:
        _set_cookie(response, request, DRAFT_COOKIE, encode_draft(form_name, form), DRAFT_MAX_AGE)
    return response


def _set_cookie(response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=is_https(request))


def _keep_lang(response, request: Request, form) -> None:
    """The redirect starts a new Streamlit session: remember the language she was reading in."""
    lang = str(form.get("ui_lang", "")) if form is not None else ""
    if lang in LANGUAGES:
        _set_cookie(response, request, LANG_COOKIE, lang, LANG_MAX_AGE)


async def _logged_in(request: Request, form, result: auth.Result, nxt: str | None = None) -> RedirectResponse:
    response = RedirectResponse(nxt or _next_path(form), status_code=303)
    await _remember_device(request, response, result)
    _keep_lang(response, request, form)
    _set_cookie(response, request, SESSION_COOKIE, result.token or "", auth.SESSION_DAYS * 24 * 3600)
    pending = _pending(form)
    if pending:
        _set_cookie(response, request, PENDING_COOKIE, pending, PENDING_MAX_AGE)
    if request.cookies.get(DRAFT_COOKIE):  # she is in: what she typed before is no longer kept
        response.delete_cookie(DRAFT_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


async def _remember_device(request: Request, response, result: auth.Result) -> None:
    """She logged in on this browser: from now on failures elsewhere do not block her here."""
    if result.user_id is None:
        return
    device = await run_in_threadpool(auth.remember_device, _store(), result.user_id,
                                     request.cookies.get(DEVICE_COOKIE))
    _set_cookie(response, request, DEVICE_COOKIE, device, auth.DEVICE_DAYS * 24 * 3600)




def _store() -> StoreInterface:
    return open_store()


def _guarded(form_name: str):
    """An unexpected error in a route: logged with its traceback under a reference, and she is sent
    back to the Account page with a friendly message naming that reference (never the error itself)."""

    def wrap(route):
        @functools.wraps(route)
        async def guarded(request: Request):
            try:
                return await route(request)
            except Exception as exc:  # noqa: BLE001 - anything unexpected: she gets a message, the log the rest
                ref = logs.unexpected(log, exc, f"route {request.url.path}")
                params = {"auth_error": "unexpected", "ref": ref, "form": form_name}
                return RedirectResponse(f"/account?{urlencode(params)}", status_code=303)

        return guarded

    return wrap


# -- routes ----------------------------------------------------------------------------------------
@_guarded("signup")
async def signup(request: Request):
    form = await request.form()
    if not _csrf_ok(request, form):
        return _back_with_error(request, None, "signup", "csrf")
    password = str(form.get("password", ""))
    if password != str(form.get("password2", "")):
        # Every field's problem at once, the mismatch at the second password.
        others = await run_in_threadpool(
            auth.sign_up_problems, username=str(form.get("username", "")), password=password,
            display_name=str(form.get("display_name", "")), consent=form.get("consent") == "yes")
        return _back_with_error(request, form, "signup", "password_mismatch",
                                codes=(*others, "password_mismatch"))
    result = await run_in_threadpool(
        auth.sign_up, _store(),
        username=str(form.get("username", "")),
        password=password,
        display_name=str(form.get("display_name", "")),
        # "ui_lang", not "lang": Streamlit's HTML sanitiser drops form fields whose name is a DOM property.
        lang=normalise_lang(str(form.get("ui_lang", ""))),
        timezone=str(form.get("tz", "")) or None,
        consent=form.get("consent") == "yes",
        address=client_address(request),
    )
    if not result.ok:
        return _back_with_error(request, form, "signup", result.error or "unknown", result.minutes, result.errors)
    log.info("sign-up: new participant user=%s logged in", result.user_id)
    return await _logged_in(request, form, result)


@_guarded("login")
async def login(request: Request):
    form = await request.form()
    if not _csrf_ok(request, form):
        return _back_with_error(request, None, "login", "csrf")
    result = await run_in_threadpool(
        auth.log_in, _store(),
        username=str(form.get("username", "")),
        password=str(form.get("password", "")),
        address=client_address(request),
        device=request.cookies.get(DEVICE_COOKIE),
    )
    if not result.ok:
        return _back_with_error(request, form, "login", result.error or "unknown", result.minutes)
    log.info("login: user=%s", result.user_id)
    return await _logged_in(request, form, result)


@_guarded("logout")
async def logout(request: Request):
    form = await request.form()
    if not _csrf_ok(request, form):
        return _back_with_error(request, None, "logout", "csrf")
    token = request.cookies.get(SESSION_COOKIE)
    await run_in_threadpool(auth.log_out, _store(), token)
    log.info("logout")
    if token:
        from lib.ui import guard  # files built for this login are no longer served

        guard.forget("cookie:" + auth.token_hash(token))
    await run_in_threadpool(_store().discard_pending_quiz, request.cookies.get(PENDING_COOKIE, ""))
    response = RedirectResponse("/account?" + urlencode({"notice": "logged_out"}), status_code=303)
    _keep_lang(response, request, form)
    for name in (SESSION_COOKIE, PENDING_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


@_guarded("password")
async def change_password(request: Request):
    form = await request.form()
    if not _csrf_ok(request, form):
        return _back_with_error(request, None, "password", "csrf")
    store = _store()
    user = await run_in_threadpool(auth.user_for_token, store, request.cookies.get(SESSION_COOKIE))
    if user is None:
        return _back_with_error(request, form, "password", "not_logged_in")
    new = str(form.get("new", ""))
    if new != str(form.get("new2", "")):
        return _back_with_error(request, form, "password", "password_mismatch")
    result = await run_in_threadpool(auth.change_password, store, user["id"], old=str(form.get("old", "")), new=new)
    if not result.ok:
        return _back_with_error(request, form, "password", result.error or "unknown", result.minutes)
    log.info("password changed: user=%s, her other sessions ended", user["id"])
    response = await _logged_in(request, form, result, nxt="/account?" + urlencode({"notice": "password_changed"}))
    return response


@_guarded("reset")
async def reset(request: Request):
    form = await request.form()
    if not _csrf_ok(request, form):
        return _back_with_error(request, None, "reset", "csrf")
    new = str(form.get("new", ""))
    if new != str(form.get("new2", "")):
        return _back_with_error(request, form, "reset", "password_mismatch")
    result = await run_in_threadpool(
        auth.use_reset_code, _store(),
        username=str(form.get("username", "")),
        code=str(form.get("code", "")),
        new_password=new,
        address=client_address(request),
    )
    if not result.ok:
        return _back_with_error(request, form, "reset", result.error or "unknown", result.minutes)
    log.info("password reset with a code: user=%s", result.user_id)
    return await _logged_in(request, form, result, nxt="/account?" + urlencode({"notice": "password_changed"}))


@_guarded("pending")
async def pending_choice(request: Request):
    """Her answer to "a quiz taken on this device at 14:05: add it to your account?".

    A parked quiz's cookie outlives a failed log-in by up to an hour, so on a shared computer it may be
    a stranger's: it is never attached without her yes. Yes saves it to her account; no deletes it.
    Either way the cookie is cleared."""
    form = await request.form()
    if not _csrf_ok(request, form):
        return _back_with_error(request, None, "pending", "csrf")
    store = _store()
    user = await run_in_threadpool(auth.user_for_token, store, request.cookies.get(SESSION_COOKIE))
    if user is None:
        return _back_with_error(request, form, "pending", "not_logged_in")
    token = request.cookies.get(PENDING_COOKIE, "")
    token = token if auth.PENDING_TOKEN_RE.match(token) else ""
    choice = str(form.get("choice", ""))
    notice = ""
    if choice == "add" and token:
        if not user.get("health_consent_at"):
            # Her consent first (the Account page asks for it); the parked quiz waits meanwhile.
            response = RedirectResponse("/account", status_code=303)
            _keep_lang(response, request, form)
            return response
        if await run_in_threadpool(quiz.attach_pending, store, user["id"], token) is not None:
            notice = "quiz_attached"
    elif choice == "decline":
        await run_in_threadpool(store.discard_pending_quiz, token)
        log.info("parked quiz declined: user=%s", user["id"])
        notice = "quiz_declined"
    response = RedirectResponse(_next_path(form) + (f"?notice={notice}" if notice else ""), status_code=303)
    _keep_lang(response, request, form)
    response.delete_cookie(PENDING_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


async def password_check(request: Request):
    """The account forms' live check, before she submits: the server's own rule (lib/auth.py) on what she
    typed, so the form and the server can never disagree. Answers a code (the page holds the words),
    never the password; the password is not logged. ``username`` and ``display_name`` come from the sign-up
    or reset form; the logged-in password form sends none and her own are used."""
    form = await request.form()
    if not _csrf_ok(request, form):
        return JSONResponse({"error": "csrf"}, status_code=403, headers={"Cache-Control": "no-store"})
    password = str(form.get("password", ""))
    username = str(form.get("username", ""))
    display_name = str(form.get("display_name", ""))
    if not username and request.cookies.get(SESSION_COOKIE):
        user = await run_in_threadpool(auth.user_for_token, _store(), request.cookies.get(SESSION_COOKIE))
        if user is not None:
            username, display_name = user["username"], user.get("display_name") or ""
    code = await run_in_threadpool(auth.new_password_problem, password, username=username,
                                   display_name=display_name)
    return JSONResponse({"ok": code is None, "code": code}, headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [
        Route(SIGNUP, signup, methods=["POST"]),
        Route(LOGIN, login, methods=["POST"]),
        Route(LOGOUT, logout, methods=["POST"]),
        Route(PASSWORD, change_password, methods=["POST"]),
        Route(RESET, reset, methods=["POST"]),
        Route(PENDING, pending_choice, methods=["POST"]),
        Route(PASSWORD_CHECK, password_check, methods=["POST"]),
    ]


# -- the CSRF cookie -----------------------------------------------------------------------------------
class CsrfCookieMiddleware:
    """Gives a browser its ``mg_csrf`` cookie with the first HTML page it loads (pure ASGI, so
    Streamlit's websocket passes through untouched)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.cookies.get(CSRF_COOKIE):
            await self.app(scope, receive, send)
            return
        secure = "; Secure" if is_https(request) else ""

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # The page itself (also a "304 Not Modified" of a cached page, which names no type) and
                # the routes' redirects, so a browser whose cookie expired gets a new one at once.
                status = message.get("status", 200)
                if headers.get("content-type", "").startswith("text/html") or status == 304 or 300 <= status < 400:
                    value = secrets.token_urlsafe(24)
                    headers.append(
                        "set-cookie",
                        f"{CSRF_COOKIE}={value}; Max-Age={CSRF_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


# -- request size ---------------------------------------------------------------------------------------
MAX_FORM_BYTES = 16 * 1024  # the largest account form is a few hundred bytes


class BodyLimitMiddleware:
    """Refuses a body over ``MAX_FORM_BYTES`` on the account routes with 413, before anything parses it
    and before the CSRF check: a declared ``Content-Length`` that is too large is refused without
    reading a byte; a chunked body (no length) is counted while it streams and refused as soon as it
    passes the limit. What was read is at most the limit, so a burst of huge posts cannot make the
    server hold them (Starlette's form parser would read the whole body into memory first).
    """

    def __init__(self, app, limit: int = MAX_FORM_BYTES, prefix: str = PREFIX + "/"):
        self.app = app
        self.limit = limit
        self.prefix = prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1  # a length that is not a number is refused too
        if declared is not None and declared > self.limit:
            await self._refuse(scope, receive, send)
            return
        # Read the (small) body here, counting as it streams, then hand it on whole.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send):
        # "Connection: close": the rest of the body is never read, so this connection is not reused.
        response = PlainTextResponse("Request body too large", status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)


def middleware() -> list[Middleware]:
    from lib.web.media_guard import MediaGuardMiddleware

    # The first wraps the others: the size limit acts before anything else reads a body.
    return [Middleware(BodyLimitMiddleware), Middleware(MediaGuardMiddleware), Middleware(CsrfCookieMiddleware)]
