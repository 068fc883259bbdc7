"""Small helpers every page shares: the language, the logged-in participant, the store, the frame.

Session-state keys (the contract between the entry script, the pages and the page tests):
- ``lang``: "nl" or "en" (the language switch writes it; a logged-in participant's profile sets it).
- ``user_id``: the logged-in participant's id, set only by the login code; absent when logged out.
- ``tz``: her IANA time zone, from the browser or her profile.
"""

from __future__ import annotations

import streamlit as st

from lib import clock
from lib.i18n import DEFAULT_LANG, LANGUAGES, Translator, normalise_lang
from lib.store import Store


def lang() -> str:
    return normalise_lang(st.session_state.get("lang", DEFAULT_LANG))


def tr() -> Translator:
    """The translator for the current session's language."""
    return Translator(lang())


def user_id() -> int | None:
    uid = st.session_state.get("user_id")
    return int(uid) if uid is not None else None


def timezone() -> str:
    tz = st.session_state.get("tz")
    if not tz:
        try:
            tz = st.context.timezone
        except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
            tz = None
    return tz or clock.DEFAULT_TZ


def today():
    """Today in the participant's time zone (or the moved clock)."""
    return clock.today(timezone())


def store() -> Store:
    """A store for this run; cheap (connections are opened per call, see lib/store/base.py)."""
    return Store()


def clock_banner() -> None:
    """A visible warning on every page while the clock is moved for a test or a demo."""
    fixed = clock.fixed_today()
    if fixed is not None:
        st.warning(tr()("common.clock_moved", day=fixed.isoformat()), icon="⏰")


def _on_language_change() -> None:
    choice = normalise_lang(st.session_state.get("lang_switch"))
    st.session_state["lang"] = choice
    uid = user_id()
    if uid is not None:
        from lib import guard  # a stale tab changes only its own language, never a profile

        uid = guard.acting_user(uid)
        if uid is not None:
            store().set_user_lang(uid, choice)


def language_switch(container=None) -> None:
    """Nederlands / English; the choice lives in the session (and, logged in, in her profile)."""
    target = container if container is not None else st.sidebar
    current = lang()
    # Keep the widget in step when the language was set elsewhere (for example at login).
    if st.session_state.get("lang_switch") != current:
        st.session_state["lang_switch"] = current
    target.radio(
        Translator(current)("common.language"),
        list(LANGUAGES),
        format_func=lambda c: LANGUAGES[c],
        horizontal=True,
        key="lang_switch",
        on_change=_on_language_change,
    )


def footer() -> None:
    """The health disclaimer, at the bottom of every page."""
    st.divider()
    st.caption(tr()("common.disclaimer"))


def require_login() -> int | None:
    """Her id when logged in; otherwise a friendly note with a link to the Account page, and None."""
    uid = user_id()
    if uid is None:
        st.info(tr()("common.login_needed"), icon=":material/lock:")
        st.page_link("pages/account.py", label=tr()("nav.account"), icon=":material/person:")
    return uid


_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:")


def plain(text: str | None) -> str:
    """Participant text made inert for ``st.markdown``: every Markdown/HTML character is escaped,
    so a note or a name can never become a link, an image, a heading or markup."""
    if not text:
        return ""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
