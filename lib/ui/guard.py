"""Every write, callback and download acts only for the participant who is logged in *now*.

Why this exists: a page binds her id when it draws, into button callbacks (Save, the sharing switch)
and into download builders (her ZIP, CSV, PNG, PDF, calendar file). Those run later: a callback at
the start of the next rerun, before the entry script has looked at the login again; a builder on
another thread when she clicks. A tab left open after a logout, a password change or a deleted
account in another tab would otherwise still act with the id it was drawn with.

So everything that acts checks the login at the moment it runs, through this one module:

- ``acting_user(uid)`` in a callback: her login source (the cookie token's hash or her OpenID
  Connect identity, see lib/ui/login.py) must still be valid *and* belong to ``uid``. If not, the
  session is cleared, the page says in her language that she was logged out, and nothing happens.
- ``download_button(...)`` builds a file only when she clicks and only while that login is still
  valid (a stale tab gets no file, and its next action tells her she was logged out); it then
  registers the file's fingerprint with the login it was built for.
- ``MediaGuardMiddleware`` (lib/web/media_guard.py, with the grants registered here) serves a
  ``/media/...`` file only to that same live login (the request must carry that login's cookie,
  and the token must still be valid). A ``/media`` address captured
  before a logout or a deletion answers 404 afterwards, with or without cookies. Streamlit keeps
  built files in memory for a while and serves them to anyone with the address; a health app
  cannot hand her export to whoever holds a link, so a file nobody registered is not served at all.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lib import auth, clock
from lib.i18n import Translator, normalise_lang
from lib.store import StoreFactory, StoreInterface, open_store
from lib.ui import login
from lib.web.auth_web import SESSION_COOKIE

MEDIA_PREFIX = "/media/"
# A download address is used the moment she clicks; after this it is refused even for a live login,
# so a copied link does not keep working for the length of her 30-day login.
MEDIA_TTL_S = 15 * 60


class LoggedOut(Exception):
    """The login a page was drawn for is no longer valid: nothing is built or saved."""


@dataclass(frozen=True)
class Login:
    """Who a page was drawn for: her id and where her login came from (``login.SOURCE_KEY``)."""

    user_id: int
    source: str | None
    open_store: StoreFactory  # what a builder on another thread opens the store with (never a path)


def is_live(store: StoreInterface, source: str | None, user_id: int) -> bool:
    """Whether the login ``source`` is still valid and belongs to ``user_id``, checked in the store now."""
    if not source:
        return False
    kind, _, digest = source.partition(":")
    if kind == "cookie":
        user = store.user_for_session(digest, clock.iso_now())
        return user is not None and int(user["id"]) == int(user_id)
    if kind == "oidc":
        user = store.get_user(user_id)
        return bool(user and user.get("oidc_issuer") and user.get("oidc_subject")) and (
            auth.token_hash(f"{user['oidc_issuer']}\n{user['oidc_subject']}") == digest
        )
    return False


def current_login() -> Login | None:
    """The login this session was drawn for (None when nobody is logged in)."""
    ss = st.session_state
    uid = ss.get("user_id")
    if uid is None:
        return None
    return Login(int(uid), ss.get(login.SOURCE_KEY), open_store)


def refuse() -> None:
    """Forget everything of hers in this session and tell her, in her language, that she was logged
    out and nothing happened. Called from a callback (Streamlit shows what a callback writes at the
    top of the page that follows) or from the entry script's login check."""
    login.clear_participant()
    st.warning(Translator(normalise_lang(st.session_state.get("lang")))("common.logged_out_elsewhere"),
               icon=":material/lock:")


def acting_user(uid: int | None) -> int | None:
    """For a callback drawn for ``uid``: ``uid`` while her login is still valid, else None (and the
    session is cleared, with a notice). Call it first thing, and do nothing when it returns None.

    A session without a login source holds a ``user_id`` only in page tests, which put it into the
    session directly (every real login sets a source, lib/ui/login.py); there the session's id must
    still be the one the page was drawn for.
    """
    if uid is None:
        return None
    ss = st.session_state
    if ss.get("user_id") is None or int(ss["user_id"]) != int(uid):
        refuse()
        return None
    source = ss.get(login.SOURCE_KEY)
    if source is None:
        return int(uid)
    if source.startswith("cookie:"):
        # The cookie this tab's connection carries, read now: it must still be the one she logged in with.
        token = login.cookies().get(SESSION_COOKIE)
        if not token or "cookie:" + auth.token_hash(token) != source:
            refuse()
            return None
    if not is_live(open_store(), source, uid):
        refuse()
        return None
    return int(uid)


# -- downloads -----------------------------------------------------------------------------------------
@dataclass
class _Grant:
    login: Login | None  # None: a file anyone may have (the example participant's report)
    at: float


_grants: dict[str, list[_Grant]] = {}
_grants_lock = threading.Lock()


def _fingerprint(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def _register(blob: bytes, who: Login | None) -> None:
    now = time.monotonic()
    with _grants_lock:
        for key in [k for k, grants in _grants.items() if all(now - g.at > MEDIA_TTL_S for g in grants)]:
            del _grants[key]
        _grants.setdefault(_fingerprint(blob), []).append(_Grant(who, now))


def forget(source: str | None) -> None:
    """At a logout: every file built for that login stops being served at once."""
    if not source:
        return
    with _grants_lock:
        for key in list(_grants):
            _grants[key] = [g for g in _grants[key] if g.login is None or g.login.source != source]
            if not _grants[key]:
                del _grants[key]


def _to_bytes(data) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def download_button(label: str, build: Callable[[], bytes | str], *, file_name: str, mime: str,
                    key: str | None = None, icon: str | None = None, public: bool = False,
                    type: str = "secondary") -> None:
    """``st.download_button`` whose file is built only when she clicks, and only while the login the
    page was drawn for is still valid. ``public=True`` only for files without anyone's data."""
    who = None if public else current_login()
    if not public and who is None:
        return

    def data() -> bytes:
        if who is not None and not is_live(who.open_store(), who.source, who.user_id):
            raise LoggedOut("the login this page was drawn for has ended")
        blob = _to_bytes(build())
        _register(blob, who)
        return blob

    # No rerun on a click (``on_click="ignore"``). A rerun would redraw the button under a new deferred
    # id and let Streamlit drop the old one while the browser is still asking for it ("Deferred file
    # ... not found": seen under load in the browser tests). A refused builder makes Streamlit show
    # that the file could not be made, under the button; the tab's next action reruns the page, which
    # finds the login gone and says so in her language (lib/ui/login.py).
    st.download_button(label, data=data, file_name=file_name, mime=mime, icon=icon, key=key, on_click="ignore",
                       type=type)
