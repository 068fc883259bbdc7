"""What a shared browser and her own words must never do: a stranger's parked quiz is only attached after
her yes (and cleared at her no and at logout), and everything she typed is shown as plain text."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from streamlit.testing.v1 import AppTest

from lib import auth, clock, i18n
from lib.signals import signals
from lib.store import Store
from lib.ui import login, parked_quiz
from lib.web import auth_web
from tests.conftest import ENTRY
from tests.page_text import page_text
from tests.test_auth_web import _post, _query, _set_cookies

GOOD = "paars fiets regen zolder"
SAFETY_QUIZ = {"questions": {"safety_stones": "yes", "coffee": "5+"}, "signals": {"sleep": 4}}


@pytest.fixture
def client(db_path, monkeypatch):
    from starlette.testclient import TestClient

    from tests.test_auth_web import _app

    with TestClient(_app(), base_url="http://testserver", follow_redirects=False) as c:
        c.get("/")
        yield c


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


# -- a shared browser ------------------------------------------------------------------------------------
def test_a_strangers_parked_quiz_is_not_attached_when_the_next_person_logs_in_she_is_asked(client, store,
                                                                                          monkeypatch):
    anna = auth.sign_up(store, username="anna", password=GOOD, consent=True).user_id
    token = store.park_pending_quiz(SAFETY_QUIZ)  # a stranger took the quiz on this computer...
    failed = _post(client, auth_web.LOGIN, {"username": "stranger", "password": "not right", "pending": token})
    assert _query(failed)["auth_error"] == "bad_login"
    assert client.cookies.get(auth_web.PENDING_COOKIE) == token  # ...and walked away after a failed log-in
    # Anna logs in on the same browser; the forms carry the cookie's token along.
    ok = _post(client, auth_web.LOGIN, {"username": "anna", "password": GOOD, "pending": token})
    assert ok.headers["location"] == "/"
    monkeypatch.setattr(login, "pending_cookie", lambda: token)
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["lang"], at.session_state["user_id"] = "en", anna
    at.run()
    assert not at.exception
    assert store.quiz_history(anna) == [], "never attached behind her back"
    when = parked_quiz.parked_time(store.pending_quiz_parked_at(token), clock.DEFAULT_TZ)
    assert i18n.t("account.pending.question", "en", time=when) in page_text(at)
    assert 'id="mg-pending-add"' in _html(at) and 'id="mg-pending-decline"' in _html(at)


def test_her_no_deletes_the_parked_quiz_and_clears_its_cookie(client, db_path):
    store = Store(db_path)
    token = store.park_pending_quiz(SAFETY_QUIZ)
    _post(client, auth_web.SIGNUP, {"username": "bea", "password": GOOD, "password2": GOOD, "consent": "yes",
                                    "pending": token, "next": "quiz"})
    bea = store.user_by_username("bea")["id"]
    assert client.cookies.get(auth_web.PENDING_COOKIE) == token
    answer = _post(client, auth_web.PENDING, {"choice": "decline", "next": "quiz", "ui_lang": "en"})
    assert answer.status_code == 303 and answer.headers["location"] == "/quiz?notice=quiz_declined"
    cleared = _set_cookies(answer)[auth_web.PENDING_COOKIE]
    assert "max-age=0" in cleared or 'mg_pending="";' in cleared
    assert store.pending_quiz_parked_at(token) is None and store.claim_pending_quiz(token) is None
    assert store.quiz_history(bea) == []


def test_her_yes_saves_the_parked_quiz_to_her_account_and_clears_its_cookie(client, db_path):
    store = Store(db_path)
    token = store.park_pending_quiz(SAFETY_QUIZ)
    _post(client, auth_web.SIGNUP, {"username": "cor", "password": GOOD, "password2": GOOD, "consent": "yes",
                                    "pending": token})
    answer = _post(client, auth_web.PENDING, {"choice": "add"})
    assert answer.headers["location"] == "/?notice=quiz_attached"
    assert auth_web.PENDING_COOKIE in _set_cookies(answer) and not client.cookies.get(auth_web.PENDING_COOKIE)
    cor = store.user_by_username("cor")["id"]
    saved = store.quiz_history(cor)
    assert len(saved) == 1 and store.latest_quiz_result(cor)["safety_flags"] == ["kidney_stones"]


def test_the_answer_needs_her_login_and_the_csrf_token(client, db_path):
    store = Store(db_path)
    token = store.park_pending_quiz(SAFETY_QUIZ)
    client.cookies.set(auth_web.PENDING_COOKIE, token)
    assert _query(_post(client, auth_web.PENDING, {"choice": "add"}))["auth_error"] == "not_logged_in"
    forged = _post(client, auth_web.PENDING, {"choice": "decline"}, csrf="forged")
    assert _query(forged)["auth_error"] == "csrf"
    assert store.pending_quiz_parked_at(token) is not None, "nothing happened"


def test_logging_out_clears_the_parked_quiz_on_the_server_and_in_the_browser(client, db_path):
    store = Store(db_path)
    token = store.park_pending_quiz(SAFETY_QUIZ)
    _post(client, auth_web.SIGNUP, {"username": "dina", "password": GOOD, "password2": GOOD, "consent": "yes",
                                    "pending": token})
    out = _post(client, auth_web.LOGOUT, {})
    assert auth_web.PENDING_COOKIE in _set_cookies(out)
    assert store.pending_quiz_parked_at(token) is None


def test_the_account_pages_log_out_button_drops_the_parked_quiz_too(store, monkeypatch):
    uid = auth.sign_up(store, username="eva", password=GOOD, consent=True).user_id
    token = store.park_pending_quiz(SAFETY_QUIZ)
    monkeypatch.setattr(login, "pending_cookie", lambda: token)
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["lang"], at.session_state["user_id"] = "en", uid
    at.run()
    at.switch_page("pages/account.py").run()
    at.button(key="account_logout").click().run()
    assert not at.exception
    assert store.pending_quiz_parked_at(token) is None
    assert store.quiz_history(uid) == []


# -- her own words are inert everywhere --------------------------------------------------------------------
# Markdown would turn each of these into something else: a link, an icon, bold, a heading, a formula, HTML.
WILD = "www.example.org :material/home: **vet** [klik](https://example.org) <b>x</b> $x^2$ # kop"
TODAY = dt.date(2026, 3, 12)


def _her_challenge(store, configure, *, goal: str = WILD, note: str = WILD) -> int:
    from lib import challenge_service as svc

    configure(fixed_today=TODAY)
    uid = store.create_user("anna", display_name=WILD, health_consent=True)
    start = {"with_baseline": False, "start_date": TODAY - dt.timedelta(days=2), "method": "oil_spray",
             "planned_amount": 10, "goal": goal}
    pre = {s.id: 2 for s in signals()}
    assert svc.start_challenge(store, uid, start, pre, TODAY).ok
    log = {"day": TODAY, "applied": True, "method": "oil_spray", "amount": 10, "sleep_quality": 6, "note": note}
    assert svc.save_log(store, uid, log, TODAY).status == "saved"
    return uid


def _never_markdown(at) -> None:
    for element in [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.error]:
        text = getattr(element, "value", None) or getattr(element, "body", "")
        assert "example.org" not in text and "material/home" not in text, text


@pytest.mark.parametrize(("page", "key", "param"), [("pages/home.py", "home.hello", "name"),
                                                    ("pages/challenge.py", "challenge.goal_line", "goal")])
def test_her_name_and_her_goal_are_plain_text_never_markdown(app, store, configure, page, key, param):
    uid = _her_challenge(store, configure)
    at = app(lang="en", user_id=uid, page=page)
    assert not at.exception
    assert i18n.t(key, "en", **{param: WILD}) in [e.value for e in at.text], "exactly as she typed it, as text"
    _never_markdown(at)


def test_the_replace_a_day_table_shows_her_note_as_escaped_text(app, store, configure):
    uid = _her_challenge(store, configure)
    at = app(lang="en", user_id=uid, page="pages/daily_log.py")
    day = TODAY.isoformat()
    at.radio(key=f"log_applied_{day}").set_value(True)
    at.text_area(key=f"log_note_{day}").set_value(WILD + " (2)")
    next(b for b in at.button if b.label == i18n.t("log.save", "en")).click()
    at.run()
    assert not at.exception
    table = "\n".join(h.proto.body for h in at.get("html") if "mg-compare" in h.proto.body)
    assert i18n.t("log.confirm_change", "en") in table
    assert f'<td>{html.escape(WILD)}<span class="mg-arrow"' in table, "what is there: escaped, shown as text"
    assert f"<strong>{html.escape(WILD + ' (2)')}</strong>" in table, "her new note, changed, in bold"
    assert "<b>x</b>" not in table and "<a " not in table
    _never_markdown(at)


def test_her_name_on_the_account_page_is_plain_text(app, store, configure):
    uid = _her_challenge(store, configure)
    at = app(lang="en", user_id=uid, page="pages/account.py")
    assert WILD in [e.value for e in at.text]
    _never_markdown(at)
