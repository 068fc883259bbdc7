"""Sign-up on a phone: a refused form keeps what she typed (never a password), each error stands at its
field, and the live password check gives the server's own verdict before she submits."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from lib import auth, i18n
from lib.store import Store
from lib.ui import login
from lib.web import account_forms, auth_web
from tests.conftest import ENTRY
from tests.test_auth_web import ORIGIN, _app, _post

PAGE = "pages/account.py"
WEAK = "welkom123"
GOOD = "paars fiets regen zolder"

# A fixed list for the live check: (password, username, name). Accepted and refused ones, for each reason
# the rule has. The route and the sign-up must give the same verdict on every one.
FIXED = [
    ("welkom123", "anna.b", "Anna"),
    ("kort", "anna.b", "Anna"),
    ("x" * 257, "anna.b", "Anna"),
    ("qwertyuiop", "anna.b", "Anna"),
    ("aaaaaaaaaaaa", "anna.b", "Anna"),
    ("abcdefgh1234", "anna.b", "Anna"),
    ("password", "anna.b", "Anna"),
    ("Wilhelmina1984", "anna.b", "Anna"),
    ("anna.b-is-mijn-naam", "anna.b", "Anna"),
    ("janssen paars fiets", "anna.b", "Mies Janssen"),
    ("paars fiets regen zolder", "anna.b", "Anna"),
    ("Kalm-Magnesium-2026!", "anna.b", "Anna"),
    ("groen bootje wolk tafel", "mies", ""),
    ("zomerzon", "mies", ""),
    ("Vlinder!Koffie7Regen", "mies", "Mies"),
]


@pytest.fixture
def client(db_path):
    with TestClient(_app(), base_url=ORIGIN, follow_redirects=False) as c:
        c.get("/")
        yield c


def _signup(client, **fields):
    data = {"username": "anna.b", "display_name": "Anna de Vries", "password": WEAK, "password2": WEAK,
            "consent": "yes", "ui_lang": "nl", "tz": "Europe/Amsterdam", **fields}
    return _post(client, auth_web.SIGNUP, data)


def _query(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["location"]).query)


# -- the route: what comes back after a refusal ---------------------------------------------------------
def test_a_weak_password_comes_back_with_her_fields_kept_in_a_short_lived_cookie_and_no_password(client):
    response = _signup(client)
    assert response.status_code == 303
    assert _query(response)["auth_error"] == ["weak_common"] and _query(response)["form"] == ["signup"]
    headers = response.headers.get_list("set-cookie")
    draft_header = next(h for h in headers if h.startswith(auth_web.DRAFT_COOKIE + "="))
    assert "httponly" in draft_header.lower() and f"max-age={auth_web.DRAFT_MAX_AGE}" in draft_header.lower()
    draft = auth_web.decode_draft(client.cookies.get(auth_web.DRAFT_COOKIE))
    assert draft == {"form": "signup", "username": "anna.b", "display_name": "Anna de Vries", "consent": True}
    # The password is nowhere in what the browser gets back: not in the address, not in any cookie.
    for text in [response.headers["location"], *headers]:
        assert WEAK not in text
    assert all(WEAK not in str(auth_web.decode_draft(v)) for v in client.cookies.values())


def test_every_problem_of_the_form_comes_back_at_once(client):
    response = _signup(client, username="ab", consent="", password2="iets anders")
    codes = _query(response)["auth_error"][0].split(",")
    assert codes == ["username_short", "consent_needed", "weak_common", "password_mismatch"]


def test_getting_in_clears_what_was_kept(client, db_path):
    _signup(client)
    assert client.cookies.get(auth_web.DRAFT_COOKIE)
    response = _signup(client, password=GOOD, password2=GOOD)
    assert response.headers["location"] == "/"
    deleted = [h for h in response.headers.get_list("set-cookie") if h.startswith(auth_web.DRAFT_COOKIE + "=")]
    assert deleted and ("max-age=0" in deleted[0].lower() or "expires=thu, 01 jan 1970" in deleted[0].lower())
    assert Store(db_path).user_by_username("anna.b") is not None


def test_a_draft_cookie_that_is_not_ours_gives_nothing():
    for value in ("", "nonsense", "e30", "x" * 5000, auth_web.encode_draft("signup", {})[:-3] + "!!!"):
        assert auth_web.decode_draft(value) in ({}, {"form": "signup", "username": "", "display_name": "",
                                                     "consent": False})
    assert auth_web.decode_draft(auth_web.encode_draft("logout", {"username": "x"})) == {}


# -- the page: her fields again, each error at its field ---------------------------------------------------
def _account(monkeypatch, jar: dict, query: dict, lang: str = "nl") -> str:
    monkeypatch.setattr(login, "cookies", lambda: dict(jar))
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(PAGE)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert [e.body for e in at.error] == [], "no error on top of the page: they stand at their fields"
    return "\n".join(h.proto.body for h in at.get("html"))


def _signup_html(html: str) -> str:
    start = html.index('<form class="mg-form" id="mg-signup"')
    return html[start:html.index("</form>", start)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_refused_form_is_filled_in_again_except_the_passwords(monkeypatch, client, lang):
    _signup(client, ui_lang=lang, display_name='Anna "<b>" & co')
    jar = {auth_web.DRAFT_COOKIE: client.cookies.get(auth_web.DRAFT_COOKIE)}
    form = _signup_html(_account(monkeypatch, jar, {"auth_error": "weak_common", "form": "signup"}, lang))
    assert 'name="username" autocomplete="username" value="anna.b"' in form
    assert 'value="Anna &quot;&lt;b&gt;&quot; &amp; co"' in form, "her name comes back, escaped"
    assert 'name="consent" value="yes" required checked' in form
    assert WEAK not in form
    for name in ("password", "password2"):
        tag = form[form.index(f'name="{name}"') - 40:]
        tag = tag[:tag.index(">")]
        assert "value=" not in tag, f"{name} is never filled in"
    message = i18n.t("account.err.weak_common", lang)
    # The message stands right under the password field, and the field names it for a screen reader.
    assert f'id="mg-signup-password-error">{message}</small>' in form
    assert 'aria-describedby="mg-signup-password-hint mg-signup-password-live mg-signup-password-error"' in form
    assert form.index("mg-signup-password-error") < form.index('name="password2"')


def test_each_error_stands_at_its_own_field(monkeypatch):
    codes = "username_short,consent_needed,weak_common,password_mismatch"
    form = _signup_html(_account(monkeypatch, {}, {"auth_error": codes, "form": "signup"}, "en"))
    for field, code in (("username", "username_short"), ("consent", "consent_needed"),
                        ("password", "weak_common"), ("password2", "password_mismatch")):
        assert f'id="mg-signup-{field}-error">{i18n.t(f"account.err.{code}", "en")}</small>' in form
    assert 'aria-invalid="true"' in form and "mg-form-error" not in form


def test_an_error_about_the_whole_form_stands_on_top_of_that_form(monkeypatch):
    form = _signup_html(_account(monkeypatch, {}, {"auth_error": "throttled", "minutes": "3", "form": "signup"}))
    assert f'role="alert">{i18n.t("account.err.throttled", "nl", minutes="3")}</p>' in form


def test_required_fields_are_marked(monkeypatch):
    form = _signup_html(_account(monkeypatch, {}, {}))
    assert i18n.t("account.required_note", "nl") in form
    assert form.count('class="mg-required"') == 4, "username, both passwords and consent; the name is optional"
    label = form[form.index(i18n.t("account.display_name", "nl")):]
    assert label.index("<input") < label.index("mg-required"), "the name has no mark"


# -- the live check agrees with the server ------------------------------------------------------------------
def test_the_live_check_gives_the_sign_ups_own_verdict_on_a_fixed_list(client, db_path):
    store = Store(db_path)
    verdicts = set()
    for password, username, name in FIXED:
        answer = _post(client, auth_web.PASSWORD_CHECK,
                       {"password": password, "username": username, "display_name": name}).json()
        result = auth.sign_up(store, username=username, password=password, display_name=name, consent=True)
        server = None if result.ok else result.error
        assert answer == {"ok": server is None, "code": server}, password
        verdicts.add(server)
        if result.ok:  # the next one may use the same username
            auth.delete_account(store, store.get_user(result.user_id))
    assert None in verdicts and len(verdicts) >= 6, "the list holds accepted passwords and several reasons"


def test_every_refusal_the_live_check_can_give_has_words_in_both_languages():
    for lang in ("nl", "en"):
        html = account_forms.signup_form(i18n.Translator(lang), "tok", lang=lang, tz="UTC")
        for code in {auth.new_password_problem(p, username=u, display_name=n) for p, u, n in FIXED} - {None}:
            assert f"&quot;{code}&quot;: &quot;" in html, code


def test_the_live_check_needs_the_forms_token_and_never_logs_the_password(client, caplog):
    caplog.set_level(logging.DEBUG)
    refused = _post(client, auth_web.PASSWORD_CHECK, {"password": WEAK}, csrf="wrong")
    assert refused.status_code == 403
    assert _post(client, auth_web.PASSWORD_CHECK, {"password": WEAK}, origin="http://evil.example").status_code == 403
    answer = _post(client, auth_web.PASSWORD_CHECK, {"password": WEAK, "username": "anna.b"})
    assert answer.json() == {"ok": False, "code": "weak_common"}
    assert answer.headers["cache-control"] == "no-store"
    assert WEAK not in caplog.text


def test_the_logged_in_password_form_is_checked_against_her_own_name(client, db_path):
    _signup(client, username="mies", display_name="Mies Bakker", password=GOOD, password2=GOOD)
    answer = _post(client, auth_web.PASSWORD_CHECK, {"password": "bakker zonnig weekend"}).json()
    assert answer == {"ok": False, "code": "weak_personal"}
