"""Who may fetch a built file: ``/media/...`` is served only to the live login it was built for.

The files are registered by ``lib.ui.guard.download_button`` (see that module's docstring for why).
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from lib import auth
from lib.ui.guard import MEDIA_PREFIX, MEDIA_TTL_S, _fingerprint, _Grant, _grants, _grants_lock, is_live
from lib.web.auth_web import SESSION_COOKIE


def _may_fetch(grants: list[_Grant], cookie_token: str | None) -> bool:
    now = time.monotonic()
    for grant in grants:
        if now - grant.at > MEDIA_TTL_S:
            continue
        if grant.login is None:
            return True
        source = grant.login.source or ""
        if source.startswith("cookie:") and (not cookie_token or "cookie:" + auth.token_hash(cookie_token) != source):
            continue  # not the browser (and the login) it was built for
        if is_live(grant.login.open_store(), source, grant.login.user_id):
            return True
    return False


class MediaGuardMiddleware:
    """Serves a ``/media/...`` file only to the live login it was built for (see the module's docstring)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        # ``/media/<id>.<ext>``, also under a ``server.baseUrlPath`` (``/base/media/<id>.<ext>``)
        parts = scope.get("path", "").split("/") if scope["type"] == "http" else []
        if len(parts) < 3 or parts[-2] != MEDIA_PREFIX.strip("/"):
            await self.app(scope, receive, send)
            return
        file_id = parts[-1].split(".")[0]
        stored = _stored_file(file_id)
        if stored is None:  # Streamlit has no such file: it answers 404 itself
            await self.app(scope, receive, send)
            return
        with _grants_lock:
            grants = list(_grants.get(_fingerprint(stored), []))
        token = Request(scope).cookies.get(SESSION_COOKIE)
        if grants and await run_in_threadpool(_may_fetch, grants, token):
            await self.app(scope, receive, send)
            return
        response = PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})
        await response(scope, receive, send)


def _stored_file(file_id: str) -> bytes | None:
    from streamlit import runtime

    if not file_id or not runtime.exists():
        return None
    mgr = runtime.get_instance().media_file_mgr
    if not mgr.can_read_files:
        return None
    found = mgr.read_file(file_id)
    return bytes(found.content) if found is not None else None
