"""The served page says its language and its own title (lib/web/document_lang.py), in front of a stand-in for
Streamlit's index file; the title the script sets on every run (lib/ui/document.py)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from lib import i18n, page_table
from lib.web import document_lang
from lib.web.auth_web import LANG_COOKIE

INDEX = ('<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Streamlit</title></head>'
         '<body><div id="root"></div>' + "<!-- padding -->" * 200 + "</body></html>")
seen_headers: list[dict] = []


async def index(request):
    seen_headers.append(dict(request.headers))
    return HTMLResponse(INDEX, headers={"ETag": '"abc"', "Last-Modified": "Wed, 02 Dec 2026 10:00:00 GMT"})


async def script(request):
    seen_headers.append(dict(request.headers))
    return PlainTextResponse("console.log('<html lang=\"en\">')" * 100, media_type="text/javascript")


async def health(request):
    return JSONResponse({"ok": True})


def _client() -> TestClient:
    # GZip inside, as Streamlit compresses its own responses: the middleware must get plain HTML.
    inner = Starlette(routes=[Route("/static/js/main.js", script), Route("/_stcore/health", health),
                              Route("/{path:path}", index)])
    inner.add_middleware(GZipMiddleware, minimum_size=100)
    app = Starlette(routes=[])
    app.mount("/", inner)
    for m in document_lang.middleware():
        app.add_middleware(m.cls, *m.args, **m.kwargs)
    return TestClient(app)


def _title(url_path_row: page_table.PageRow, lang: str) -> str:
    return i18n.t("common.page_title", lang, page=i18n.t(url_path_row.title_key, lang),
                  app=i18n.t("common.app_name", lang))


@pytest.mark.parametrize("row", page_table.PAGES, ids=page_table.URL_PATHS)
def test_each_page_is_served_in_dutch_with_its_own_title(row):
    res = _client().get(f"/{row.url_path}", headers={"Accept-Encoding": "gzip"})
    assert res.status_code == 200
    assert '<html lang="nl">' in res.text and 'lang="en"' not in res.text
    assert f"<title>{_title(row, 'nl')}</title>" in res.text
    assert int(res.headers["content-length"]) == len(res.content)
    assert "etag" not in res.headers, "the file's tag does not describe the rewritten page"


def test_the_home_address_is_the_default_page():
    res = _client().get("/")
    home = next(r for r in page_table.PAGES if r.default)
    assert f"<title>{_title(home, 'nl')}</title>" in res.text
    assert "<title>Start · Magnesium Challenge</title>" in res.text


def test_the_address_language_wins_over_the_cookie_and_the_cookie_over_the_default():
    client = _client()
    assert '<html lang="en">' in client.get("/log?lang=en").text
    client.cookies.set(LANG_COOKIE, "en")
    assert '<html lang="en">' in client.get("/log").text
    assert "<title>Daily log · Magnesium Challenge</title>" in client.get("/log").text
    assert '<html lang="nl">' in client.get("/log?lang=nl").text
    client.cookies.set(LANG_COOKIE, "xx")
    assert '<html lang="nl">' in client.get("/log?lang=fr").text, "an unknown language falls back to Dutch"


def test_streamlit_is_asked_for_the_full_uncompressed_page_and_files_pass_untouched():
    seen_headers.clear()
    client = _client()
    conditional = {"Accept-Encoding": "gzip, br", "If-None-Match": '"abc"',
                   "If-Modified-Since": "Wed, 02 Dec 2026 10:00:00 GMT"}
    client.get("/progress", headers=conditional)
    asked = seen_headers[-1]
    assert "accept-encoding" not in asked and "if-none-match" not in asked and "if-modified-since" not in asked
    js = client.get("/static/js/main.js", headers={"Accept-Encoding": "gzip"})
    assert seen_headers[-1].get("accept-encoding") == "gzip", "scripts keep their compression"
    assert js.headers.get("content-encoding") == "gzip"
    assert 'lang="en"' in js.text, "only the page itself is rewritten"
    assert client.get("/_stcore/health").json() == {"ok": True}


def test_an_address_that_is_no_page_gets_the_apps_name():
    assert "<title>Magnesium Challenge</title>" in _client().get("/nowhere").text


def test_rewrite_adds_a_lang_and_a_title_where_there_were_none():
    out = document_lang.rewrite(b"<html><head></head><body></body></html>", "en", "A & B")
    assert out == b'<html lang="en"><head><title>A &amp; B</title></head><body></body></html>'


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_scripts_title_is_the_same_as_the_served_one(lang):
    for row in page_table.PAGES:
        path = "" if row.default else row.url_path  # Streamlit's address of the default page
        assert page_table.document_title(path, lang) == _title(row, lang)
        assert document_lang.title(f"/{row.url_path}", lang) == _title(row, lang)
