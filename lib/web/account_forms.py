"""The account forms as plain HTML, posted natively by the browser to the routes in lib/web/auth_web.py.

Every form carries the interface language as ``ui_lang`` (Streamlit's HTML sanitiser drops a field named
``lang``, a DOM property), so the page after the redirect speaks her language.

Why HTML and not Streamlit widgets: only a real page navigation can receive the login cookie, and a
password typed into an HTML form goes straight to the route, so it never enters Streamlit's session
state. Every value placed into the markup is escaped.
"""

from __future__ import annotations

from html import escape

from lib import theme
from lib.i18n import Translator
from lib.web import auth_web


def _style() -> str:
    """The forms in the app's one theme (.streamlit/config.toml through lib/theme.py): the same blue,
    text colour, border and corner radius as Streamlit's own buttons and fields."""
    th = theme.current()
    return f"""
<style>
form.mg-form {{ display: flex; flex-direction: column; gap: .6rem; max-width: 28rem; margin: .25rem 0 1rem; }}
form.mg-form label {{ display: flex; flex-direction: column; gap: .25rem; font-size: 1rem; color: {th.text}; }}
form.mg-form label.mg-check {{ flex-direction: row; align-items: flex-start; gap: .5rem; }}
form.mg-form input[type=text], form.mg-form input[type=password] {{
  font: inherit; padding: .55rem .7rem; border-radius: {th.button_radius}; border: 1px solid {th.border};
  background: {th.secondary_background}; color: {th.text}; min-height: 2.5rem; }}
form.mg-form input[type=checkbox] {{ width: 1.25rem; height: 1.25rem; margin-top: .15rem;
  accent-color: {th.primary}; }}
form.mg-form button {{ font: inherit; padding: .5rem 1rem; border-radius: {th.button_radius}; cursor: pointer;
  min-height: 2.5rem; border: 1px solid {th.primary}; background: {th.primary}; color: #fff;
  align-self: flex-start; }}
form.mg-form button.mg-secondary {{ background: {th.background}; color: {th.text}; border-color: {th.border}; }}
form.mg-form small {{ color: {th.text}; opacity: .8; }}
</style>
"""


def _hidden(name: str, value: str | None) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value or "")}">'


def _field(label: str, name: str, kind: str = "text", *, autocomplete: str = "off", required: bool = True,
           minlength: int | None = None, maxlength: int | None = None, hint: str = "", testid: str = "") -> str:
    attrs = [f'type="{kind}"', f'name="{escape(name)}"', f'autocomplete="{escape(autocomplete)}"']
    if required:
        attrs.append("required")
    if minlength:
        attrs.append(f'minlength="{minlength}"')
    if maxlength:
        attrs.append(f'maxlength="{maxlength}"')
    if kind == "text":
        attrs.append('autocapitalize="none" spellcheck="false"')
    attrs.append(f'data-testid="{escape(testid or "mg-" + name)}"')
    small = f"<small>{escape(hint)}</small>" if hint else ""
    return f"<label>{escape(label)}<input {' '.join(attrs)}>{small}</label>"


def _form(action: str, form_id: str, csrf: str, body: str, button: str, *, secondary: bool = False,
          nxt: str = "", lang: str = "") -> str:
    cls = ' class="mg-secondary"' if secondary else ""
    return (
        f'{_style()}<form class="mg-form" id="{form_id}" method="post" action="{escape(action)}">'
        f"{_hidden('csrf', csrf)}{_hidden('next', nxt)}{_hidden('ui_lang', lang)}{body}"
        f'<button type="submit"{cls} data-testid="{form_id}-submit">{escape(button)}</button></form>'
    )


def login_form(tr: Translator, csrf: str, *, pending: str = "", nxt: str = "") -> str:
    body = (
        _field(tr("account.username"), "username", autocomplete="username", maxlength=64)
        + _field(tr("account.password"), "password", "password", autocomplete="current-password", maxlength=256)
        + _hidden("pending", pending)
    )
    return _form(auth_web.LOGIN, "mg-login", csrf, body, tr("account.login_button"), nxt=nxt, lang=tr.lang)


def signup_form(tr: Translator, csrf: str, *, lang: str, tz: str, pending: str = "", nxt: str = "") -> str:
    body = (
        _field(tr("account.username"), "username", autocomplete="username", maxlength=64,
               hint=tr("account.username_hint"))
        + _field(tr("account.display_name"), "display_name", autocomplete="nickname", required=False, maxlength=80,
                 hint=tr("account.display_name_hint"))
        + _field(tr("account.password"), "password", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, hint=tr("account.password_hint"))
        + _field(tr("account.password_again"), "password2", "password", autocomplete="new-password", minlength=8,
                 maxlength=256)
        + '<label class="mg-check"><input type="checkbox" name="consent" value="yes" required '
        + f'data-testid="mg-consent"><span>{escape(tr("account.consent_label"))}</span></label>'
        + _hidden("tz", tz)
        + _hidden("pending", pending)
    )
    return _form(auth_web.SIGNUP, "mg-signup", csrf, body, tr("account.signup_button"), nxt=nxt, lang=lang)


def reset_form(tr: Translator, csrf: str, *, pending: str = "", nxt: str = "") -> str:
    body = (
        _field(tr("account.username"), "username", autocomplete="username", maxlength=64)
        + _field(tr("account.reset_code"), "code", autocomplete="one-time-code", maxlength=20,
                 hint=tr("account.reset_code_hint"))
        + _field(tr("account.new_password"), "new", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, hint=tr("account.password_hint"))
        + _field(tr("account.password_again"), "new2", "password", autocomplete="new-password", minlength=8,
                 maxlength=256)
        + _hidden("pending", pending)
    )
    return _form(auth_web.RESET, "mg-reset", csrf, body, tr("account.reset_button"), nxt=nxt, lang=tr.lang)


def password_form(tr: Translator, csrf: str) -> str:
    body = (
        _field(tr("account.old_password"), "old", "password", autocomplete="current-password", maxlength=256)
        + _field(tr("account.new_password"), "new", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, hint=tr("account.password_hint"))
        + _field(tr("account.password_again"), "new2", "password", autocomplete="new-password", minlength=8,
                 maxlength=256)
    )
    return _form(auth_web.PASSWORD, "mg-password", csrf, body, tr("account.password_button"), lang=tr.lang)



def pending_forms(tr: Translator, csrf: str, *, nxt: str = "") -> str:
    """Two buttons side by side: add the quiz taken on this device to her account, or not."""
    add = _form(auth_web.PENDING, "mg-pending-add", csrf, _hidden("choice", "add"), tr("account.pending.add"),
                nxt=nxt, lang=tr.lang)
    decline = _form(auth_web.PENDING, "mg-pending-decline", csrf, _hidden("choice", "decline"),
                    tr("account.pending.decline"), secondary=True, nxt=nxt, lang=tr.lang)
    return f'<div style="display: flex; flex-wrap: wrap; gap: 0 1rem;">{add}{decline}</div>'
