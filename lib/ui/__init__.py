"""Small helpers every page shares: the language, the logged-in participant, the store, the frame.

Session-state keys (the contract between the entry script, the pages and the page tests):
- ``lang``: "nl" or "en" (the language switch writes it; a logged-in participant's profile sets it).
- ``user_id``: the logged-in participant's id, set only by the login code; absent when logged out.
- ``tz``: her IANA time zone, from the browser or her profile.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import FragmentHandledException

from lib import clock, logs
from lib.i18n import DEFAULT_LANG, LANG_PARAM, LANGUAGES, Translator, normalise_lang
from lib.store import StoreFactory, StoreInterface, open_store


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


def store() -> StoreInterface:
    """A store for this run; cheap (connections are opened per call, see lib/store/base.py)."""
    return open_store()


def store_factory() -> StoreFactory:
    """What a download builder or a thread receives: it opens its own store when it runs."""
    return open_store


def unexpected_error(exc: Exception) -> bool:
    """An error nobody expected: the traceback goes to the log under a short reference, and she sees a
    friendly message with that reference (never the error itself). True: Streamlit shows nothing more.

    Used around the page in streamlit_app.py and as the server's ``on_script_error`` (server.py), which
    also catches errors in widget callbacks. A store failure gets its own message (lib/ui/store_trouble.py)."""
    from lib.store import StoreError
    from lib.ui import store_trouble

    if isinstance(exc, StoreError):
        return store_trouble.read_failed(exc)
    ref = logs.unexpected(logs.get("pages"), exc, "a page")
    st.error(tr()("common.unexpected_error", ref=ref), icon=":material/error:")
    return True


def run_page(page) -> None:
    """Run the chosen page; an unexpected error ends it with the friendly message (see above)."""
    try:
        page.run()
    except FragmentHandledException:
        raise
    except Exception as exc:  # noqa: BLE001 - st.rerun/st.stop are not Exceptions and pass through
        unexpected_error(exc)


def clock_banner() -> None:
    """A visible warning on every page while the clock is moved for a test or a demo."""
    fixed = clock.fixed_today()
    if fixed is not None:
        from lib import locales

        st.warning(tr()("common.clock_moved", day=locales.date_long(fixed, lang())), icon="⏰")


def _on_language_change() -> None:
    choice = normalise_lang(st.session_state.get("lang_switch"))
    st.session_state["lang"] = choice
    uid = user_id()
    if uid is not None:
        from lib.ui import guard  # a stale tab changes only its own language, never a profile

        uid = guard.acting_user(uid)
        if uid is not None:
            store().set_user_lang(uid, choice)


def keep_language_in_address() -> None:
    """``?lang=en`` in the address while she reads another language than the default (or chose one), so a
    reload, which starts a new session, finds it again (lib/ui/login.py reads it). Runs on every page:
    switching pages empties the address's parameters."""
    current = lang()
    params = st.query_params
    if params.get(LANG_PARAM) != current and (current != DEFAULT_LANG or LANG_PARAM in params):
        params[LANG_PARAM] = current


def language_switch(container=None) -> None:
    """Nederlands / English; the choice lives in the session (and, logged in, in her profile), and in the
    address so that it survives a reload."""
    target = container if container is not None else st.sidebar
    keep_language_in_address()
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


def safety_advice(flags: list[str], *, intro_key: str = "quiz.safety.intro",
                  link_key: str = "quiz.safety.learn") -> None:
    """The quiz's advice to see a GP or pharmacist first (lib.quiz), with a link to Learn's safety section;
    the Quiz page shows it while she answers, the Challenge page again before a start. Nothing without flags."""
    from lib import quiz

    text = quiz.safety_advice_markdown(flags, lang(), intro_key=intro_key)
    if not text:
        return
    st.error(text, icon=":material/health_and_safety:")
    st.page_link("pages/learn.py", label=tr()(link_key), query_params={"section": "safety"},
                 icon=":material/menu_book:")


def method_name(method: str | None, tr: Translator, empty: str = "–") -> str:
    """A challenge method's name in her language; ``empty`` for none or an unknown one. ``tr`` is the page's
    own translator: a selectbox's ``format_func`` may run after the page, outside its session."""
    from lib import challenge as rules

    return tr(f"challenge.method_{method}") if method in rules.METHODS else empty


def show_problems(problems, intro_key: str) -> None:
    """Invalid input: what was wrong, field by field, in her language (lib.validation's problems)."""
    t_ = tr()
    st.error(t_(intro_key) + "\n\n" + "\n".join(f"- {p.message(t_)}" for p in problems))
