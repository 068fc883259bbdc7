"""Account: log in or sign up (plain HTML forms posting to the account routes), and, logged in, her
settings, her data export, deleting her account and the consent to share with the practitioner."""

from __future__ import annotations

import zoneinfo

import streamlit as st

from lib import account_service, auth, export, timezones, ui
from lib.i18n import LANGUAGES, normalise_lang
from lib.ui import guard, login, theme
from lib.web import account_forms, auth_web

tr = ui.tr()
lang = ui.lang()
store = ui.store()
uid = ui.user_id()

st.title(tr("account.title"), anchor=False)

# Messages the account routes send back in the address (codes only, never her input).
params = st.query_params
if params.get("notice") in ("logged_out", "password_changed"):
    st.success(tr(f"account.notice.{params['notice']}"))
# A refused account form comes back with its codes (``?auth_error=weak_common,consent_needed&form=signup``):
# each is shown at its field of that form; a code of another form, on top of the page.
FORMS_HERE = ("login", "signup", "reset", "password")
codes = [c for c in str(params.get("auth_error", "")).split(",") if c][:8]
form_name = params.get("form", "")
# Only a number of minutes is taken from the address: anything else there could plant a link.
minutes = params.get("minutes", "")
minutes = str(min(int(minutes), 15)) if minutes.isdigit() else "15"
ref = params.get("ref", "")
ref = ref if auth_web.REF_RE.match(ref) else "–"  # the reference is checked too: six hex characters
errors = account_forms.Errors(tr, form_name, codes if form_name in FORMS_HERE else (), minutes=minutes, ref=ref)
if codes and form_name not in FORMS_HERE:
    st.error(account_forms.Errors(tr, "", codes, minutes=minutes, ref=ref).general)
# What she typed into the refused form (never a password), to fill it in again.
draft = auth_web.decode_draft(login.cookies().get(auth_web.DRAFT_COOKIE))
if draft.get("form") != form_name:
    draft = {}


def _errors_for(name: str) -> account_forms.Errors | None:
    return errors if form_name == name else None


def _pending_token() -> str:
    """A parked quiz result to carry through the forms: from this session (the quiz puts it there) or
    from the cookie a failed attempt left, so a weak password or a typo does not lose it."""
    return str(st.session_state.get(login.PENDING_SESSION_KEY) or login.pending_cookie() or "")


def _next_page() -> str:
    """Where to go after logging in (``?next=quiz``): a page's url path, checked; else Home."""
    nxt = str(params.get("next", "")).strip("/")
    return nxt if nxt in auth_web.NEXT_PAGES else ""


def _logged_out_view() -> None:
    csrf = login.csrf_token()
    pending = _pending_token()
    nxt = _next_page()
    info = login.oidc_info()
    if info and info.get("is_logged_in"):
        # Logged in at the provider, but no account here yet: ask for consent first.
        st.info(tr("account.oidc_create_intro"))
        st.markdown(f"**{tr('account.privacy_title')}**")
        st.markdown(tr("account.privacy"))
        with st.form("oidc_create"):
            consent = st.checkbox(tr("account.oidc_consent"))
            if st.form_submit_button(tr("account.oidc_create_button"), type="primary"):
                result = auth.create_oidc_user(
                    store, issuer=str(info["iss"]), subject=str(info["sub"]),
                    display_name=str(info.get("name") or info.get("given_name") or ""), lang=lang,
                    timezone=ui.timezone(), consent=consent,
                )
                if result.ok:
                    st.rerun()
                st.error(tr(f"account.err.{result.error}"))
        if st.button(tr("account.oidc_cancel")):
            st.logout()
        return

    st.write(tr("account.intro_logged_out"))
    labels = {"login": tr("account.tab_login"), "signup": tr("account.tab_signup"), "reset": tr("account.tab_reset")}
    # After a failed attempt the same form is shown again (``?form=signup``); ``?tab=signup`` opens it directly.
    first = params.get("form") or params.get("tab")
    tab_login, tab_signup, tab_reset = st.tabs(list(labels.values()), default=labels.get(first, labels["login"]))
    with tab_login:
        st.html(account_forms.login_form(tr, csrf, pending=pending, nxt=nxt, errors=_errors_for("login"),
                                         draft=draft))
        if info is not None and st.button(tr("account.oidc_button"), icon=":material/key:"):
            st.login()
    with tab_signup:
        st.markdown(f"**{tr('account.privacy_title')}**")
        st.markdown(tr("account.privacy"))
        # With JavaScript: the form's live password check (account_forms.CHECK_SCRIPT), our own code only.
        st.html(account_forms.signup_form(tr, csrf, lang=lang, tz=ui.timezone(), pending=pending, nxt=nxt,
                                          errors=_errors_for("signup"), draft=draft),
                unsafe_allow_javascript=True)
    with tab_reset:
        st.write(tr("account.reset_intro"))
        st.html(account_forms.reset_form(tr, csrf, pending=pending, nxt=nxt, errors=_errors_for("reset"),
                                         draft=draft), unsafe_allow_javascript=True)


def _on_log_out() -> None:
    login.log_out(ui.store())


# Callbacks run before the next run of the page, with the id the page was drawn for: each first checks
# that this login is still the one logged in now (lib/ui/guard.py); a stale tab does nothing.
def _on_lang() -> None:
    choice = normalise_lang(st.session_state.get("account_lang"))
    if guard.acting_user(uid) is None:
        return
    st.session_state["lang"] = choice
    account_service.set_lang(ui.store(), uid, choice)


def _on_tz() -> None:
    tz = st.session_state.get("account_tz")
    if guard.acting_user(uid) is None:
        return
    if tz in zoneinfo.available_timezones():
        st.session_state["tz"] = tz
        account_service.set_timezone(ui.store(), uid, tz)


def _device_timezone() -> str | None:
    try:
        return st.context.timezone
    except Exception:  # noqa: BLE001 - no browser (bare mode)
        return None


def _on_device_tz(zone: str) -> None:
    st.session_state["account_tz"] = zone
    _on_tz()


def _on_share() -> None:
    share = bool(st.session_state.get("account_share"))
    if guard.acting_user(uid) is None:
        return
    account_service.set_sharing(ui.store(), uid, share)


def _logged_in_view(user: dict) -> None:
    st.caption(tr("account.logged_in_as"))
    # Her own words are shown as text, never as Markdown or HTML.
    if user["display_name"]:
        st.text(user["display_name"])
    elif user["username"].startswith(auth.OIDC_USERNAME_PREFIX):
        st.write(tr("account.practice_account"))  # a practice login without a name: no internal id shown
    else:
        st.text(user["username"])
    st.button(tr("account.logout_button"), on_click=_on_log_out, icon=":material/logout:", key="account_logout")

    if not user.get("health_consent_at"):
        st.warning(tr("account.no_consent_yet"))
        st.markdown(tr("account.privacy"))
        if st.button(tr("account.give_consent")):
            account_service.give_consent(store, uid)
            st.rerun()

    st.subheader(tr("account.section_settings"), anchor=False)
    if st.session_state.get("account_lang") != lang:
        st.session_state["account_lang"] = lang
    st.radio(tr("account.language"), list(LANGUAGES), format_func=lambda c: LANGUAGES[c], horizontal=True,
             key="account_lang", on_change=_on_lang)
    # Her device's zone first, then the common ones, then all (type to search); without a saved zone the
    # device's is chosen.
    device_tz = _device_timezone()
    current_tz = user.get("timezone") or device_tz or ui.timezone()
    zones = timezones.options(device_tz, current_tz)
    if st.session_state.get("account_tz") not in zones:
        st.session_state["account_tz"] = current_tz if current_tz in zones else "Europe/Amsterdam"
    this_device = tr("account.timezone_this_device")
    st.selectbox(tr("account.timezone"), zones, key="account_tz", help=tr("account.timezone_help"), on_change=_on_tz,
                 format_func=lambda z: timezones.label(z) + (f" · {this_device}" if z == device_tz else ""),
                 placeholder=tr("common.choose_one"))
    if device_tz in zones and device_tz != st.session_state["account_tz"]:
        # She is travelling, or her phone moved: offer the device's zone, never switch behind her back.
        st.caption(tr("account.timezone_device", zone=device_tz))
        st.button(tr("account.timezone_use_device", zone=device_tz), key="account_tz_device", on_click=_on_device_tz,
                  args=(device_tz,))

    st.subheader(tr("account.section_share"), anchor=False)
    st.session_state.setdefault("account_share", bool(user["share_with_practitioner"]))
    st.toggle(tr("account.share_label"), key="account_share", help=tr("account.share_help"), on_change=_on_share)
    st.caption(tr("account.share_on") if user["share_with_practitioner"] else tr("account.share_off"))

    if user.get("password_hash"):
        st.subheader(tr("account.section_password"), anchor=False)
        st.html(account_forms.password_form(tr, login.csrf_token(), errors=_errors_for("password")),
                unsafe_allow_javascript=True)

    st.subheader(tr("account.section_export"), anchor=False)
    st.write(tr("account.export_intro"))
    open_store, export_lang, user_id = ui.store_factory(), lang, uid
    guard.download_button(
        tr("account.export_button"),
        lambda: export.build_zip(open_store, user_id, export_lang),
        file_name=export.file_name(lang),
        mime="application/zip",
        icon=":material/download:",
    )

    st.subheader(tr("account.section_delete"), anchor=False)
    with st.expander(tr("account.section_delete")):
        st.write(tr("account.delete_intro"))
        word = tr("account.delete_word")
        with st.form("account_delete", clear_on_submit=True):
            typed = st.text_input(tr("account.delete_prompt", word=word))
            if theme.danger_zone("account_delete").form_submit_button(tr("account.delete_button"),
                                                                       icon=":material/delete_forever:"):
                if typed.strip().casefold() != word.casefold():
                    st.error(tr("account.delete_mismatch", word=word))
                else:
                    auth.delete_account(store, user)
                    login.log_out(store)
                    st.session_state["_account_deleted"] = True
                    st.rerun()


if st.session_state.pop("_account_deleted", False):
    st.success(tr("account.deleted"))

user = account_service.profile(store, uid) if uid is not None else None
if user is None:
    _logged_out_view()
else:
    _logged_in_view(user)
