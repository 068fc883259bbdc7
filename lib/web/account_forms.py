"""The account forms as plain HTML, posted natively by the browser to the routes in lib/web/auth_web.py.

Every form carries the interface language as ``ui_lang`` (Streamlit's HTML sanitiser drops a field named
``lang``, a DOM property), so the page after the redirect speaks her language.

Why HTML and not Streamlit widgets: only a real page navigation can receive the login cookie, and a
password typed into an HTML form goes straight to the route, so it never enters Streamlit's session
state. Every value placed into the markup is escaped.
"""

from __future__ import annotations

import json
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
form.mg-form small {{ color: {th.muted_text}; }}
</style>
"""


# Errors shown at their field, and the live password check (see ``CHECK_SCRIPT``).
FIELD_STYLE = """
<style>
form.mg-form .mg-error { color: #b71c1c; font-weight: 600; font-size: .9rem; }
form.mg-form .mg-form-error { margin: 0; padding: .5rem .7rem; border-radius: .5rem; border: 1px solid #b71c1c; }
form.mg-form input[aria-invalid=true] { border-color: #b71c1c; border-width: 2px; }
form.mg-form .mg-live { font-size: .9rem; min-height: 1.2em; }
form.mg-form .mg-live[data-state=ok] { color: #1b5e20; }
form.mg-form .mg-live[data-state=bad] { color: #b71c1c; }
</style>
"""

# Which field an error code belongs to, per form (lib/auth.py's codes); the rest is about the whole form.
FIELD_OF = {
    "signup": {
        "username_taken": "username", "username_lookalike": "username", "username_short": "username",
        "username_long": "username", "username_chars": "username", "display_name_long": "display_name",
        "display_name_chars": "display_name", "consent_needed": "consent", "password_mismatch": "password2",
    },
    "reset": {"bad_reset": "code", "password_mismatch": "new2"},
    "password": {"old_password_wrong": "old", "password_mismatch": "new2"},
    "login": {},
}
PASSWORD_FIELD = {"signup": "password", "reset": "new", "password": "new"}
PASSWORD_CODES = ("password_short", "password_long")


def field_of(form: str, code: str) -> str | None:
    """The field an error code is shown at (None: at the top of the form)."""
    if code in PASSWORD_CODES or code.startswith("weak_"):
        return PASSWORD_FIELD.get(form)
    return FIELD_OF.get(form, {}).get(code)


def _error(form_id: str, name: str, message: str) -> str:
    return f'<small class="mg-error" id="{form_id}-{escape(name)}-error">{escape(message)}</small>'


def _hidden(name: str, value: str | None) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value or "")}">'


def _field(label: str, name: str, kind: str = "text", *, autocomplete: str = "off", required: bool = True,
           minlength: int | None = None, maxlength: int | None = None, hint: str = "", testid: str = "",
           value: str = "", error: str = "", form_id: str = "", live: bool = False, mark: bool = False) -> str:
    """One labelled input. ``value`` refills a text field she typed before (a password field never gets
    one); ``error`` is shown under it and named by ``aria-describedby``; ``live`` adds the line the live
    password check writes to. A required field says so in its label."""
    attrs = [f'type="{kind}"', f'name="{escape(name)}"', f'autocomplete="{escape(autocomplete)}"']
    if value and kind != "password":
        attrs.append(f'value="{escape(value)}"')
    described = []
    if required:
        attrs.append('required aria-required="true"')
    if minlength:
        attrs.append(f'minlength="{minlength}"')
    if maxlength:
        attrs.append(f'maxlength="{maxlength}"')
    if kind == "text":
        attrs.append('autocapitalize="none" spellcheck="false"')
    attrs.append(f'data-testid="{escape(testid or "mg-" + name)}"')
    prefix = f"{form_id or 'mg'}-{name}"
    small = f'<small id="{escape(prefix)}-hint">{escape(hint)}</small>' if hint else ""
    if hint:
        described.append(f"{prefix}-hint")
    extra = ""
    if live:
        extra += (f'<small class="mg-live" id="{escape(prefix)}-live" aria-live="polite" '
                  f'data-testid="{escape(prefix)}-live"></small>')
        described.append(f"{prefix}-live")
    if error:
        extra += _error(form_id or "mg", name, error)
        described.append(f"{prefix}-error")
        attrs.append('aria-invalid="true"')
    if described:
        attrs.append(f'aria-describedby="{escape(" ".join(described))}"')
    star = ' <span class="mg-required" aria-hidden="true">*</span>' if required and mark else ""
    return f"<label><span>{escape(label)}{star}</span><input {' '.join(attrs)}>{small}{extra}</label>"


def _form(action: str, form_id: str, csrf: str, body: str, button: str, *, secondary: bool = False,
          nxt: str = "", lang: str = "", error: str = "", check: dict | None = None) -> str:
    """The form; ``error`` (about the whole form) on top of it; ``check`` wires the live password check."""
    cls = ' class="mg-secondary"' if secondary else ""
    top = f'<p class="mg-error mg-form-error" role="alert">{escape(error)}</p>' if error else ""
    data = ""
    if check:
        data = "".join(f' data-mg-{k}="{escape(v)}"' for k, v in check.items())
    return (
        f'{_style()}<form class="mg-form" id="{form_id}" method="post" action="{escape(action)}"{data}>'
        f"{_hidden('csrf', csrf)}{_hidden('next', nxt)}{_hidden('ui_lang', lang)}{top}{body}"
        f'<button type="submit"{cls} data-testid="{form_id}-submit">{escape(button)}</button></form>'
    )


class Errors:
    """The codes a refused form came back with (``?auth_error=a,b&form=signup``), split into the message
    at each field and the message about the whole form."""

    def __init__(self, tr: Translator, form: str, codes: list[str] | tuple[str, ...] = (), *, minutes: str = "15",
                 ref: str = "–"):
        self.fields: dict[str, str] = {}
        general: list[str] = []
        for code in codes:
            text = tr(f"account.err.{code}", minutes=minutes, ref=ref)
            if text == f"account.err.{code}":
                text = tr("account.err.unknown")
            name = field_of(form, code)
            if name:
                self.fields.setdefault(name, text)
            elif text not in general:
                general.append(text)
        self.general = " ".join(general)

    def at(self, name: str) -> str:
        return self.fields.get(name, "")


def _check(tr: Translator, password: str, again: str, *, focus: bool) -> dict:
    """The data attributes of the live check: which fields, the route, and the words for each answer."""
    codes = [*PASSWORD_CODES, "weak_common", "weak_keyboard", "weak_repeat", "weak_sequence", "weak_dates",
             "weak_word", "weak_names", "weak_personal", "weak_guessable", "password_mismatch", "unknown"]
    words = {code: tr(f"account.err.{code}") for code in codes}
    words["ok"] = tr("account.live_ok")
    words["again_ok"] = tr("account.live_again_ok")
    return {"password": password, "again": again, "url": auth_web.PASSWORD_CHECK, "words": json.dumps(words),
            "focus": "1" if focus else ""}


# The live check, in the page (st.html with JavaScript): while she types, the password goes to the
# server's own rule (auth_web.password_check) and the answer is written under the field; the second
# password is compared as she types it. After a refusal, the first field with an error is brought into
# view and focused. Nothing here stores or shows a password.
CHECK_SCRIPT = """
<script>
(function () {
  function wire(form) {
    if (form.dataset.mgWired) { return; }
    form.dataset.mgWired = "1";
    var words = JSON.parse(form.dataset.mgWords || "{}");
    var pw = form.elements.namedItem(form.dataset.mgPassword);
    var again = form.elements.namedItem(form.dataset.mgAgain);
    var live = document.getElementById(form.id + "-" + form.dataset.mgPassword + "-live");
    var liveAgain = document.getElementById(form.id + "-" + form.dataset.mgAgain + "-live");
    var timer = null, seq = 0;
    function show(el, text, state) { if (el) { el.textContent = text; el.dataset.state = state; } }
    function value(name) { var f = form.elements.namedItem(name); return f ? f.value : ""; }
    function compare() {
      if (!again || !again.value) { show(liveAgain, "", ""); return; }
      var same = again.value === pw.value;
      show(liveAgain, same ? words.again_ok : words.password_mismatch, same ? "ok" : "bad");
    }
    function check() {
      var mine = ++seq;
      if (!pw.value) { show(live, "", ""); form.dataset.mgVerdict = ""; return; }
      var body = new URLSearchParams();
      body.set("csrf", value("csrf"));
      body.set("password", pw.value);
      body.set("username", value("username"));
      body.set("display_name", value("display_name"));
      fetch(form.dataset.mgUrl, {method: "POST", body: body, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (mine !== seq || !d) { return; }
          show(live, d.ok ? words.ok : (words[d.code] || words.unknown), d.ok ? "ok" : "bad");
          form.dataset.mgVerdict = d.ok ? "ok" : d.code;
        })
        .catch(function () { show(live, "", ""); });
    }
    function later() { clearTimeout(timer); timer = setTimeout(check, 250); compare(); }
    if (pw) { pw.addEventListener("input", later); }
    if (again) { again.addEventListener("input", compare); }
    ["username", "display_name"].forEach(function (name) {
      var f = form.elements.namedItem(name);
      if (f) { f.addEventListener("input", function () { if (pw && pw.value) { later(); } }); }
    });
    if (form.dataset.mgFocus) {
      var bad = form.querySelector("[aria-invalid=true]") || form.querySelector(".mg-form-error");
      if (bad) { bad.scrollIntoView({block: "center"}); if (bad.focus) { bad.focus({preventScroll: true}); } }
    }
  }
  document.querySelectorAll("form[data-mg-password]").forEach(wire);
})();
</script>
"""


def login_form(tr: Translator, csrf: str, *, pending: str = "", nxt: str = "", errors: Errors | None = None,
               draft: dict | None = None) -> str:
    errors = errors or Errors(tr, "login")
    body = (
        _field(tr("account.username"), "username", autocomplete="username", maxlength=64,
               value=(draft or {}).get("username", ""), form_id="mg-login")
        + _field(tr("account.password"), "password", "password", autocomplete="current-password", maxlength=256,
                 form_id="mg-login")
        + _hidden("pending", pending)
    )
    return _form(auth_web.LOGIN, "mg-login", csrf, body, tr("account.login_button"), nxt=nxt, lang=tr.lang,
                 error=errors.general)


def signup_form(tr: Translator, csrf: str, *, lang: str, tz: str, pending: str = "", nxt: str = "",
                errors: Errors | None = None, draft: dict | None = None) -> str:
    """The sign-up form; after a refusal, what she typed (``draft``, never a password) is filled in again and
    each error stands at its field. Returned with the live check's script: render with JavaScript allowed."""
    errors = errors or Errors(tr, "signup")
    draft = draft or {}
    fid = "mg-signup"
    consent_error = _error(fid, "consent", errors.at("consent")) if errors.at("consent") else ""
    consent_attrs = 'aria-invalid="true" aria-describedby="mg-signup-consent-error" ' if consent_error else ""
    checked = "checked " if draft.get("consent") else ""
    body = (
        f'<small class="mg-required-note">{escape(tr("account.required_note"))}</small>'
        + _field(tr("account.username"), "username", autocomplete="username", maxlength=64,
                 hint=tr("account.username_hint"), value=draft.get("username", ""), error=errors.at("username"),
                 form_id=fid, mark=True)
        + _field(tr("account.display_name"), "display_name", autocomplete="nickname", required=False, maxlength=80,
                 hint=tr("account.display_name_hint"), value=draft.get("display_name", ""),
                 error=errors.at("display_name"), form_id=fid)
        + _field(tr("account.password"), "password", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, hint=tr("account.password_hint"), error=errors.at("password"), form_id=fid,
                 live=True, mark=True)
        + _field(tr("account.password_again"), "password2", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, error=errors.at("password2"), form_id=fid, live=True, mark=True)
        + f'<label class="mg-check"><input type="checkbox" name="consent" value="yes" required {checked}'
        + f'{consent_attrs}data-testid="mg-consent"><span>{escape(tr("account.consent_label"))}'
        + ' <span class="mg-required" aria-hidden="true">*</span></span></label>'
        + consent_error
        + _hidden("tz", tz)
        + _hidden("pending", pending)
    )
    check = _check(tr, "password", "password2", focus=bool(errors.fields or errors.general))
    return FIELD_STYLE + _form(auth_web.SIGNUP, fid, csrf, body, tr("account.signup_button"), nxt=nxt, lang=lang,
                               error=errors.general, check=check) + CHECK_SCRIPT


def reset_form(tr: Translator, csrf: str, *, pending: str = "", nxt: str = "", errors: Errors | None = None,
               draft: dict | None = None) -> str:
    errors = errors or Errors(tr, "reset")
    fid = "mg-reset"
    body = (
        _field(tr("account.username"), "username", autocomplete="username", maxlength=64,
               value=(draft or {}).get("username", ""), form_id=fid)
        + _field(tr("account.reset_code"), "code", autocomplete="one-time-code", maxlength=20,
                 hint=tr("account.reset_code_hint"), error=errors.at("code"), form_id=fid)
        + _field(tr("account.new_password"), "new", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, hint=tr("account.password_hint"), error=errors.at("new"), form_id=fid, live=True)
        + _field(tr("account.password_again"), "new2", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, error=errors.at("new2"), form_id=fid, live=True)
        + _hidden("pending", pending)
    )
    check = _check(tr, "new", "new2", focus=bool(errors.fields or errors.general))
    return FIELD_STYLE + _form(auth_web.RESET, fid, csrf, body, tr("account.reset_button"), nxt=nxt, lang=tr.lang,
                               error=errors.general, check=check) + CHECK_SCRIPT


def password_form(tr: Translator, csrf: str, *, errors: Errors | None = None) -> str:
    errors = errors or Errors(tr, "password")
    fid = "mg-password"
    body = (
        _field(tr("account.old_password"), "old", "password", autocomplete="current-password", maxlength=256,
               error=errors.at("old"), form_id=fid)
        + _field(tr("account.new_password"), "new", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, hint=tr("account.password_hint"), error=errors.at("new"), form_id=fid, live=True)
        + _field(tr("account.password_again"), "new2", "password", autocomplete="new-password", minlength=8,
                 maxlength=256, error=errors.at("new2"), form_id=fid, live=True)
    )
    check = _check(tr, "new", "new2", focus=bool(errors.fields or errors.general))
    return FIELD_STYLE + _form(auth_web.PASSWORD, fid, csrf, body, tr("account.password_button"), lang=tr.lang,
                               error=errors.general, check=check) + CHECK_SCRIPT


def pending_forms(tr: Translator, csrf: str, *, nxt: str = "") -> str:
    """Two buttons side by side: add the quiz taken on this device to her account, or not."""
    add = _form(auth_web.PENDING, "mg-pending-add", csrf, _hidden("choice", "add"), tr("account.pending.add"),
                nxt=nxt, lang=tr.lang)
    decline = _form(auth_web.PENDING, "mg-pending-decline", csrf, _hidden("choice", "decline"),
                    tr("account.pending.decline"), secondary=True, nxt=nxt, lang=tr.lang)
    return f'<div style="display: flex; flex-wrap: wrap; gap: 0 1rem;">{add}{decline}</div>'
