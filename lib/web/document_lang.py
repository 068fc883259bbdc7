"""The served page says which language it is in, and which page it is, before the app has run.

Streamlit serves one ``index.html`` for every page address with ``<html lang="en">`` and ``<title>Streamlit``
hard-coded, so a screen reader would read a Dutch page with English pronunciation until the script runs. This
middleware rewrites that HTML as it is served: ``lang`` from the address's ``?lang=``, else the device's
language cookie, else Dutch; the title is the page's own ("Dagboek · Magnesium Challenge"). Once the script
runs, lib/ui/document.py keeps both in step with her session (a participant's profile may choose another
language at login).

To rewrite the HTML, the middleware asks Streamlit for it uncompressed and in full (it drops the request's
``Accept-Encoding`` and conditional headers), on page addresses only: scripts, styles and the app's own
routes are passed through untouched.
"""

from __future__ import annotations

import re
from html import escape
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware

from lib import page_table
from lib.i18n import DEFAULT_LANG, LANG_PARAM, LANGUAGES
from lib.web.auth_web import LANG_COOKIE

# Addresses that are never the page itself: Streamlit's own (static files, websocket, health, media) and the
# app's routes.
NOT_A_PAGE = ("/_stcore", "/static", "/media", "/component", "/app/static", "/auth", "/health", "/oauth2callback",
              "/favicon", "/manifest")
DROPPED = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range", b"if-range"}
_HTML_LANG = re.compile(rb"<html([^>]*?)\slang=\"[^\"]*\"", re.IGNORECASE)
_HTML_OPEN = re.compile(rb"<html(?=[\s>])", re.IGNORECASE)
_TITLE = re.compile(rb"<title>.*?</title>", re.IGNORECASE | re.DOTALL)


def is_page(path: str) -> bool:
    return not any(path == p or path.startswith(p + "/") or path.startswith(p + ".") for p in NOT_A_PAGE) and \
        "." not in path.rsplit("/", 1)[-1]


def language(query_string: bytes, cookie_header: str) -> str:
    """``?lang=`` if it names a language of the app, else the language cookie, else Dutch."""
    wanted = parse_qs(query_string.decode("latin-1")).get(LANG_PARAM, [""])[-1]
    if wanted in LANGUAGES:
        return wanted
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return DEFAULT_LANG
    morsel = jar.get(LANG_COOKIE)
    return morsel.value if morsel is not None and morsel.value in LANGUAGES else DEFAULT_LANG


def title(path: str, lang: str) -> str:
    """"Dagboek · Magnesium Challenge" for /log; the app's name alone for an address that is no page."""
    return page_table.document_title(path.strip("/").split("/")[-1], lang)


def rewrite(html: bytes, lang: str, page_title: str) -> bytes:
    """The served HTML with ``lang`` on ``<html>`` and the page's title."""
    if _HTML_LANG.search(html):
        html = _HTML_LANG.sub(lambda m: b"<html" + m.group(1) + b' lang="' + lang.encode() + b'"', html, count=1)
    else:
        html = _HTML_OPEN.sub(b'<html lang="' + lang.encode() + b'"', html, count=1)
    new_title = b"<title>" + escape(page_title).encode("utf-8") + b"</title>"
    if _TITLE.search(html):
        return _TITLE.sub(lambda _m: new_title, html, count=1)
    return html.replace(b"</head>", new_title + b"</head>", 1)


class DocumentLanguageMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or not is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in DROPPED]
        cookie = "; ".join(v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"cookie")
        lang = language(scope.get("query_string", b""), cookie)
        scope = {**scope, "headers": headers}
        start: dict | None = None
        body: list[bytes] = []

        async def rewriting_send(message):
            nonlocal start
            if message["type"] == "http.response.start":
                ctype = MutableHeaders(raw=list(message.get("headers", []))).get("content-type", "")
                if message.get("status") == 200 and ctype.startswith("text/html"):
                    start = message  # held back until the whole body is here
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            html = rewrite(b"".join(body), lang, title(scope["path"], lang))
            out_headers = MutableHeaders(raw=list(start.get("headers", [])))
            if "content-length" in out_headers:
                out_headers["content-length"] = str(len(html))
            for stale in ("etag", "last-modified"):  # they describe Streamlit's file, not this page
                if stale in out_headers:
                    del out_headers[stale]
            await send({**start, "headers": out_headers.raw})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, rewriting_send)


def middleware() -> list[Middleware]:
    return [Middleware(DocumentLanguageMiddleware)]
