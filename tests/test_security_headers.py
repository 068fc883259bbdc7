"""Every HTTP response carries the security headers Streamlit tolerates (the browser test shows that the
pages, the forms and the downloads still work with them)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from lib.web import auth_web, http_headers

EXPECTED = {
    "content-security-policy": "frame-ancestors 'self'; base-uri 'self'; object-src 'none'",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


async def _page(request):
    return HTMLResponse("<html>app</html>")


async def _own_frame_rule(request):
    return HTMLResponse("<html>component</html>", headers={"X-Frame-Options": "DENY"})


@pytest.fixture
def client(db_path):
    routes = [Route("/", _page), Route("/account", _page), Route("/strict", _own_frame_rule), *auth_web.routes()]
    app = Starlette(routes=routes, middleware=http_headers.middleware() + auth_web.middleware())
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


def _security(response) -> dict[str, str]:
    return {k: response.headers.get(k) for k in EXPECTED}


def test_pages_redirects_refusals_and_missing_pages_all_carry_the_security_headers(client):
    page = client.get("/")
    form = client.post(auth_web.LOGIN, data={"csrf": client.cookies.get(auth_web.CSRF_COOKIE), "username": "x",
                                             "password": "y"}, headers={"origin": "http://testserver"})
    assert form.status_code == 303
    for response in (page, form, client.get("/nowhere"), client.get(auth_web.LOGIN)):
        assert _security(response) == EXPECTED, response.request.url


def test_a_header_a_response_sets_itself_is_kept(client):
    assert client.get("/strict").headers["x-frame-options"] == "DENY"


def test_a_host_that_embeds_the_app_elsewhere_names_those_origins(client, configure):
    configure(frame_ancestors=("https://practice.example", "https://intranet.example"))
    response = client.get("/")
    assert response.headers["content-security-policy"].startswith(
        "frame-ancestors 'self' https://practice.example https://intranet.example;")
    assert "x-frame-options" not in response.headers, "it cannot name origins: the policy decides"

