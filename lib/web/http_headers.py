"""Security headers on every HTTP response of the app: what Streamlit tolerates, nothing that breaks it.

- ``Content-Security-Policy: frame-ancestors 'self'`` and ``X-Frame-Options: SAMEORIGIN``: no other
  site can show the app in a frame and trick her into clicking in it (clickjacking). Streamlit's own
  frames (components) come from the app's own address, so they still work. A host that must embed the
  app elsewhere lists those origins in the ``frame_ancestors`` setting (``MAGNESIUM_FRAME_ANCESTORS``, space-separated;
  see lib/settings.py); X-Frame-Options,
  which cannot name origins, is then left out.
- The same policy also says ``base-uri 'self'`` and ``object-src 'none'``: no planted ``<base>`` can
  redirect relative links, and no plug-in content runs. A policy for scripts and styles is left out on
  purpose: Streamlit's page uses inline styles and evaluates chart specs, so it would break the app.
- ``X-Content-Type-Options: nosniff``: a browser takes a download or a script for what the server says
  it is, never guesses (an uploaded-looking text is never run as a script).
- ``Referrer-Policy: same-origin``: a link to a source on another site does not tell that site which
  page of the app she was on.

A header a response already carries is left as it is. Pure ASGI, so the websocket passes untouched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware

from lib import settings


def security_headers() -> dict[str, str]:
    extra = " ".join(" ".join(settings.current().frame_ancestors).split())
    ancestors = "'self'" + (f" {extra}" if extra else "")
    headers = {
        "Content-Security-Policy": f"frame-ancestors {ancestors}; base-uri 'self'; object-src 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if not extra:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware() -> list[Middleware]:
    return [Middleware(SecurityHeadersMiddleware)]
