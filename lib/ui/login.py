"""Who is logged in, decided at the top of every run of the entry script.

Sources, in order: the login cookie (set by lib/web/auth_web.py; the server keeps only its hash, so a
revoked or expired token logs nobody in), then Streamlit's own OpenID Connect login (``st.login``)
when the host configured ``[auth]`` in secrets.toml, keyed on the token's issuer and subject.

The session keeps where its login came from (``_auth_source``). When that source is no longer valid
(she logged out in another tab, changed her password elsewhere, the token expired), everything of
hers is cleared from the session at the next rerun. A session with no source at all is left alone:
page tests put ``user_id`` into the session directly.
"""

from __future__ import annotations

import logging

import streamlit as st

from lib import auth, clock, logs
from lib.i18n import LANG_PARAM, LANGUAGES, normalise_lang
from lib.store import StoreInterface, open_store
from lib.web.auth_web import CSRF_COOKIE, LANG_COOKIE, PENDING_COOKIE, SESSION_COOKIE

log = logs.get("login")
SOURCE_KEY = "_auth_source"
# Where the quiz puts the token of answers it parked (lib/store/pending.py) before sending a newcomer to
# the Account page; the forms carry it, and after the log-in it arrives as the ``mg_pending`` cookie.
PENDING_SESSION_KEY = "pending_quiz_token"
# Kept through a logout: they belong to the device, not to the participant.
KEEP_ON_LOGOUT = ("lang",)


def cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no browser request (bare mode)
        return {}


def csrf_token() -> str:
    return cookies().get(CSRF_COOKIE, "")


def pending_cookie() -> str:
    """The parked quiz token carried through the sign-up or log-in, if any (claimed by the quiz code)."""
    return cookies().get(PENDING_COOKIE, "")


def oidc_info() -> dict | None:
    """``st.user`` as a dict when the host configured OpenID Connect, else None."""
    try:
        info = st.user.to_dict()
    except Exception:  # noqa: BLE001 - no script context
        return None
    return info if "is_logged_in" in info else None


def clear_participant() -> None:
    """Remove everything of hers from the session (only the interface language stays)."""
    for key in list(st.session_state.keys()):
        if key not in KEEP_ON_LOGOUT:
            del st.session_state[key]


def _become(user: dict, source: str) -> None:
    ss = st.session_state
    if ss.get("user_id") == user["id"] and ss.get(SOURCE_KEY) == source:
        return
    if ss.get("user_id") not in (None, user["id"]):
        clear_participant()
    kind = source.split(":", 1)[0]
    # A practice login (OpenID Connect) never passes the account routes: this is where it is seen.
    log.log(logging.INFO if kind == "oidc" else logging.DEBUG, "session: user=%s via %s", user["id"], kind)
    ss["user_id"] = user["id"]
    ss[SOURCE_KEY] = source
    # Her profile decides the language and time zone once per login; the switches change both after.
    ss["lang"] = normalise_lang(user.get("lang"))
    if user.get("timezone"):
        ss["tz"] = user["timezone"]


def resolve(store: StoreInterface | None = None) -> int | None:
    """Set ``st.session_state["user_id"]`` from the cookie or ``st.user``; return it (or None)."""
    ss = st.session_state
    store = store or open_store()
    jar = cookies()
    wanted = st.query_params.get(LANG_PARAM)
    if "lang" not in ss and wanted in LANGUAGES:
        # A reload or a shared link: the language in the address (?lang=en, kept there by the switch).
        ss["lang"] = wanted
    if "lang" not in ss and jar.get(LANG_COOKIE):
        # A new session after a form's redirect: the language she was reading in (her profile wins below).
        ss["lang"] = normalise_lang(jar[LANG_COOKIE])
    token = jar.get(SESSION_COOKIE)
    if token:
        source = "cookie:" + auth.token_hash(token)
        user = store.user_for_session(auth.token_hash(token), clock.iso_now())
        if user is not None:
            _become(user, source)
            return user["id"]
    info = oidc_info()
    if info and info.get("is_logged_in") and info.get("iss") and info.get("sub"):
        source = "oidc:" + auth.token_hash(f"{info['iss']}\n{info['sub']}")
        user = store.user_by_oidc(str(info["iss"]), str(info["sub"]))
        if user is not None:
            _become(user, source)
            return user["id"]
    if ss.get(SOURCE_KEY):
        # Her login ended (revoked, expired, logged out elsewhere): nothing of hers stays, and she is told.
        from lib.ui import guard

        guard.forget(ss.get(SOURCE_KEY))
        guard.refuse()
    uid = ss.get("user_id")
    return int(uid) if uid is not None else None


def log_out(store: StoreInterface | None = None) -> None:
    """End this login: revoke the cookie's token on the server and clear the session."""
    from lib.ui import guard

    store = store or open_store()
    auth.log_out(store, cookies().get(SESSION_COOKIE))
    log.info("logout: user=%s", st.session_state.get("user_id"))
    guard.forget(st.session_state.get(SOURCE_KEY))  # files built for this login are no longer served
    # A quiz parked on this device goes too: the next person here must not be offered it.
    for token in {pending_cookie(), str(st.session_state.get(PENDING_SESSION_KEY) or "")}:
        store.discard_pending_quiz(token)
    info = oidc_info()
    clear_participant()
    if info and info.get("is_logged_in"):
        st.logout()
