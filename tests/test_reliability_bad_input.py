"""Bad input in every form field: a clear message in her language, or stored inert; never a crash or a half row.

Table-driven: each case names the form, the field, the value, and what must happen: an error code
(shown on the Account page from ``account.err.<code>`` in Dutch and English) or "stored" (accepted, kept
exactly as typed, and shown as plain text). After every refused case the tables hold what they held
before. Forms that are still placeholders get their cases when they land.
"""

from __future__ import annotations

import html

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib import i18n
from lib.store import Store
from lib.web import auth_web
from tests import store_probe

HUGE = "x" * 100_000
# The account forms take at most 16 KiB (a larger body is refused with 413 before it is read, see
# test_a_form_body_over_16_kib_is_refused_before_anything_reads_it): 5,000 characters is still far over every
# field's own limit.
LONG_FIELD = "x" * 5_000
EMOJI = "🌿🙂🍀"
HTML = "<script>alert(1)</script><b>hi</b>"
SQL = "'; DROP TABLE users; --"
GOOD_PASSWORD = "Kwartel-zomer-fiets-42"

SIGNUP = {"username": "newbie", "display_name": "New", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
          "consent": "yes", "ui_lang": "nl", "tz": "Europe/Amsterdam"}

# (case id, field values that differ from a valid sign-up, expected error code or "stored")
SIGNUP_CASES = [
    ("username empty", {"username": ""}, "username_short"),
    ("username spaces only", {"username": "   "}, "username_short"),
    ("username too short", {"username": "ab"}, "username_short"),
    ("username huge", {"username": LONG_FIELD}, "username_long"),
    ("username control char", {"username": "anna\x00x"}, "username_chars"),
    ("username taken in other case", {"username": "  ANNA "}, "username_taken"),
    ("username emoji", {"username": EMOJI}, "stored"),
    ("username html", {"username": HTML}, "stored"),
    ("username sql", {"username": SQL}, "stored"),
    ("display name huge", {"display_name": LONG_FIELD}, "display_name_long"),
    ("display name control char", {"display_name": "Bea\x07"}, "display_name_chars"),
    ("display name emoji", {"display_name": EMOJI}, "stored"),
    ("display name html", {"display_name": HTML}, "stored"),
    ("display name sql", {"display_name": SQL}, "stored"),
    ("password empty", {"password": "", "password2": ""}, "password_short"),
    ("password huge", {"password": LONG_FIELD, "password2": LONG_FIELD}, "password_long"),
    ("password common", {"password": "password", "password2": "password"}, "weak_common"),
    ("password mismatch", {"password2": GOOD_PASSWORD + "!"}, "password_mismatch"),
    ("consent missing", {"consent": None}, "consent_needed"),
    ("consent wrong type", {"consent": "maybe"}, "consent_needed"),
    ("language unknown", {"ui_lang": "xx<script>"}, "stored"),
    ("language huge", {"ui_lang": LONG_FIELD}, "stored"),
    ("time zone unknown", {"tz": "Mars/Olympus"}, "stored"),
    ("time zone huge", {"tz": LONG_FIELD}, "stored"),
    ("csrf missing", {"csrf": None}, "csrf"),
    ("csrf wrong", {"csrf": "forged"}, "csrf"),
]

LOGIN_CASES = [
    ("username empty", {"username": ""}, "bad_login"),
    ("username huge", {"username": LONG_FIELD}, "bad_login"),
    ("username sql", {"username": "anna' OR '1'='1"}, "bad_login"),
    ("username emoji", {"username": EMOJI}, "bad_login"),
    ("password empty", {"password": ""}, "bad_login"),
    ("password huge", {"password": LONG_FIELD}, "bad_login"),
    ("password sql", {"password": "' OR '1'='1"}, "bad_login"),
    ("password html", {"password": HTML}, "bad_login"),
    ("csrf missing", {"csrf": None}, "csrf"),
]

RESET_CASES = [
    ("code empty", {"code": ""}, "bad_reset"),
    ("code huge", {"code": LONG_FIELD}, "bad_reset"),
    ("code sql", {"code": SQL}, "bad_reset"),
    ("code emoji", {"code": EMOJI}, "bad_reset"),
    ("new password mismatch", {"new2": "other"}, "password_mismatch"),
    ("new password huge", {"new": LONG_FIELD, "new2": LONG_FIELD}, "password_long"),
]

ANNA_PASSWORD = "Appel-rivier-lamp-77"


@pytest.fixture
def client(store):
    from lib import auth

    result = auth.sign_up(store, username="anna", password=ANNA_PASSWORD, display_name="Anna", consent=True)
    assert result.ok
    app = Starlette(routes=auth_web.routes(), middleware=auth_web.middleware())
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def _post(client, path: str, base: dict, changes: dict):
    form = {**base, "csrf": "tok", **changes}
    form = {k: v for k, v in form.items() if v is not None}
    client.cookies.clear()
    client.cookies.set(auth_web.CSRF_COOKIE, "tok")
    return client.post(path, data=form, follow_redirects=False)


def _error_of(response) -> str | None:
    from urllib.parse import parse_qs, urlsplit

    assert response.status_code == 303, response.status_code
    query = parse_qs(urlsplit(response.headers["location"]).query)
    return query.get("auth_error", [None])[0]


def _data_tables(store: Store) -> dict:
    counts = store_probe.table_counts(store)
    counts.pop("login_failures", None)  # a refused log-in is counted for throttling, on purpose
    return counts


def _has_message(code: str) -> None:
    for lang in ("nl", "en"):
        text = i18n.t(f"account.err.{code}", lang)
        assert text and text != f"account.err.{code}", (code, lang)


@pytest.mark.parametrize(("case", "changes", "expected"), SIGNUP_CASES, ids=[c[0] for c in SIGNUP_CASES])
def test_sign_up_form(client, store, case, changes, expected):
    before = _data_tables(store)
    response = _post(client, auth_web.SIGNUP, SIGNUP, changes)
    error = _error_of(response)
    if expected != "stored":
        assert error == expected
        _has_message(expected)
        assert _data_tables(store) == before  # no partial row: no user, no login
        assert auth_web.SESSION_COOKIE not in response.cookies
        return
    assert error is None
    assert response.cookies.get(auth_web.SESSION_COOKIE)
    form = {**SIGNUP, **changes}
    from lib import auth

    user = store.user_by_username(auth.normalise_username(form["username"]))
    assert user is not None
    assert user["display_name"] == (form["display_name"].strip() or user["username"])  # kept as typed
    assert user["lang"] in i18n.LANGUAGES
    assert user["timezone"] in (None, "Europe/Amsterdam")  # only a real time zone is kept
    assert "users" in store_probe.table_counts(store)  # the SQL-looking text did nothing
    _shown_as_plain_text(store, user)


def _shown_as_plain_text(store, user) -> None:
    """Her name on the Account page is plain text: never Markdown or HTML."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ENTRY

    at = AppTest.from_file(ENTRY, default_timeout=30)
    at.session_state["user_id"] = user["id"]
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/account.py").run()
    assert not at.exception
    assert user["display_name"] in [t.value for t in at.text]
    # Nowhere as live markup: not in Markdown, not in the page's own HTML forms.
    for md in at.markdown:
        assert "<script>" not in md.value
    for h in at.get("html"):
        assert "<script>alert(1)</script>" not in str(h.proto)


@pytest.mark.parametrize(("case", "changes", "expected"), LOGIN_CASES, ids=[c[0] for c in LOGIN_CASES])
def test_log_in_form(client, store, case, changes, expected):
    before = _data_tables(store)
    response = _post(client, auth_web.LOGIN, {"username": "anna", "password": ANNA_PASSWORD}, changes)
    assert _error_of(response) == expected
    _has_message(expected)
    assert _data_tables(store) == before  # no login was created
    assert auth_web.SESSION_COOKIE not in response.cookies


@pytest.mark.parametrize("path", [auth_web.SIGNUP, auth_web.LOGIN, auth_web.RESET])
def test_a_form_body_over_16_kib_is_refused_before_anything_reads_it(client, store, path):
    before = _data_tables(store)
    response = _post(client, path, SIGNUP, {"username": HUGE})
    assert response.status_code == 413
    assert _data_tables(store) == before
    assert auth_web.SESSION_COOKIE not in response.cookies


@pytest.mark.parametrize(("case", "changes", "expected"), RESET_CASES, ids=[c[0] for c in RESET_CASES])
def test_reset_form(client, store, case, changes, expected):
    from lib import auth

    code = auth.issue_reset_code(store, "anna")
    good = {"username": "anna", "code": code, "new": "Nieuwe-berg-wolk-31", "new2": "Nieuwe-berg-wolk-31"}
    before = _data_tables(store)
    hash_before = store.user_by_username("anna")["password_hash"]
    response = _post(client, auth_web.RESET, good, changes)
    assert _error_of(response) == expected
    _has_message(expected)
    assert _data_tables(store) == before
    assert store.user_by_username("anna")["password_hash"] == hash_before  # password unchanged
    # and the code still works afterwards: a bad attempt did not use it up
    assert _error_of(_post(client, auth_web.RESET, good, {})) is None


@pytest.mark.parametrize("value", ["", HUGE, EMOJI, HTML, SQL, "<img src=x onerror=alert(1)>", "../common.title"])
def test_an_error_code_in_the_address_shows_a_known_message_only(app, value):
    at = app(lang="en")
    at.query_params["auth_error"] = value
    at.switch_page("pages/account.py").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    # Only the app's own words: an empty code is no error, any unknown one the general message.
    assert errors == ([] if value == "" else [i18n.t("account.err.unknown", "en")])


@pytest.mark.parametrize("typed", ["", HUGE, EMOJI, HTML, SQL, "delete me"])
def test_deleting_the_account_with_a_wrong_confirmation_deletes_nothing(app, store, typed):
    from lib import auth

    result = auth.sign_up(store, username="bea", password=ANNA_PASSWORD + "x", display_name="Bea", consent=True)
    before = store_probe.user_row_counts(store, result.user_id)
    at = app(lang="en", user_id=result.user_id, page="pages/account.py")
    form = at.text_input[0]
    form.input(typed)
    next(b for b in at.button if b.label == i18n.t("account.delete_button", "en")).click()
    at.run()
    assert not at.exception
    assert store_probe.user_row_counts(store, result.user_id) == before
    assert any(i18n.t("account.delete_mismatch", "en", word=i18n.t("account.delete_word", "en")) == e.value
               for e in at.error)


# -- challenge start, daily log and quiz: through the same functions the pages call ---------------------
import datetime as dt  # noqa: E402

TODAY = dt.date(2026, 3, 12)
START = {"with_baseline": False, "start_date": TODAY, "method": "oil_spray", "planned_amount": 10, "goal": ""}
PRE = {"muscles": 2, "fatigue": 2, "sleep": 2, "headache": 2, "restless_legs": 2, "irritability": 2,
       "always_on": 2, "low_mood": 2}

START_CASES = [
    ("start choice missing", {"with_baseline": None}, "choose_start"),
    ("start choice wrong type", {"with_baseline": "yes"}, "choose_start"),
    ("start date empty", {"start_date": ""}, "date_invalid"),
    ("start date huge", {"start_date": HUGE}, "date_invalid"),
    ("start date sql", {"start_date": SQL}, "date_invalid"),
    ("start date far future", {"start_date": dt.date(2999, 1, 1)}, "start_future"),
    ("start date far past", {"start_date": dt.date(1900, 1, 1)}, "start_too_early"),
    ("method unknown", {"method": "<script>"}, "method_unknown"),
    ("method empty", {"method": ""}, "method_unknown"),
    ("amount empty", {"planned_amount": ""}, "amount_missing"),
    ("amount negative", {"planned_amount": -5}, "amount_range"),
    ("amount zero", {"planned_amount": 0}, "amount_positive"),
    ("amount huge", {"planned_amount": 10**12}, "amount_range"),
    ("amount not a number", {"planned_amount": float("nan")}, "amount_range"),
    ("amount text", {"planned_amount": "ten"}, "amount_range"),
    ("goal huge", {"goal": HUGE}, "too_long"),
    ("goal wrong type", {"goal": ["a list"]}, "not_text"),
    ("goal nul character", {"goal": "a\x00b"}, "bad_characters"),
    ("goal emoji", {"goal": EMOJI}, "stored"),
    ("goal html", {"goal": HTML}, "stored"),
    ("goal sql", {"goal": SQL}, "stored"),
]

LOG = {"day": TODAY, "applied": True, "method": "oil_spray", "amount": 10, "sleep_quality": 6,
       "relaxation_minutes": 15, "coffee_cups": 2, "alcohol_glasses": 0, "note": "Rustig"}
LOG_CASES = [
    ("day empty", {"day": ""}, "date_invalid"),
    ("day huge", {"day": HUGE}, "date_invalid"),
    ("day sql", {"day": SQL}, "date_invalid"),
    ("day tomorrow", {"day": TODAY + dt.timedelta(days=1)}, "day_future"),
    ("day far future", {"day": dt.date(2999, 1, 1)}, "day_future"),
    ("day far past", {"day": dt.date(1900, 1, 1)}, "day_before_start"),
    ("applied missing", {"applied": None}, "applied_missing"),
    ("applied wrong type", {"applied": "yes"}, "applied_missing"),
    ("method unknown", {"method": HTML}, "method_unknown"),
    ("amount negative", {"amount": -1}, "amount_range"),
    ("amount huge", {"amount": 10**9}, "amount_range"),
    ("amount infinite", {"amount": float("inf")}, "amount_range"),
    ("rating above ten", {"sleep_quality": 11}, "rating_range"),
    ("rating negative", {"energy": -1}, "rating_range"),
    ("rating fraction", {"mood": 5.5}, "rating_range"),
    ("rating text", {"stress": "high"}, "rating_range"),
    ("rating bool", {"headache": True}, "rating_range"),
    ("relaxation over a day", {"relaxation_minutes": 24 * 60 + 1}, "relaxation_minutes_range"),
    ("coffee negative", {"coffee_cups": -2}, "coffee_cups_range"),
    ("alcohol huge", {"alcohol_glasses": 10**6}, "alcohol_glasses_range"),
    ("note huge", {"note": HUGE}, "too_long"),
    ("note wrong type", {"note": 42}, "not_text"),
    ("note nul character", {"note": "a\x00"}, "bad_characters"),
    ("note emoji", {"note": EMOJI}, "stored"),
    ("note html", {"note": HTML}, "stored"),
    ("note sql", {"note": SQL}, "stored"),
]


def _validation_message(key: str) -> None:
    for lang in ("nl", "en"):
        text = i18n.t(f"validation.{key}", lang, limit=1, length=2, max=3, days=4, start="x", n=5)
        assert text and not text.startswith("validation."), (key, lang)


@pytest.mark.parametrize(("case", "changes", "expected"), START_CASES, ids=[c[0] for c in START_CASES])
def test_challenge_start_form(store, case, changes, expected):
    from lib import challenge_service as svc

    uid = store.create_user("anna")
    before = _data_tables(store)
    res = svc.start_challenge(store, uid, {**START, **changes}, PRE, TODAY)
    if expected != "stored":
        assert not res.ok
        assert expected in [p.key for p in res.problems]
        _validation_message(expected)
        assert _data_tables(store) == before  # no challenge, no pre-test
        return
    assert res.ok, res.problems
    assert store.active_challenge(uid)["goal"] == changes["goal"]  # kept exactly as typed


@pytest.mark.parametrize(("case", "changes", "expected"), LOG_CASES, ids=[c[0] for c in LOG_CASES])
def test_daily_log_form(store, case, changes, expected):
    from lib import challenge_service as svc

    uid = store.create_user("anna")
    start = {**START, "start_date": TODAY - dt.timedelta(days=3)}
    assert svc.start_challenge(store, uid, start, PRE, TODAY).ok
    before = _data_tables(store)
    res = svc.save_log(store, uid, {**LOG, **changes}, TODAY)
    if expected != "stored":
        assert res.status == "invalid"
        assert expected in [p.key for p in res.problems]
        _validation_message(expected)
        assert _data_tables(store) == before  # no row, not even a partial one
        return
    assert res.status == "saved", res.problems
    assert store.daily_log(uid, TODAY.isoformat())["note"] == changes["note"]


@pytest.mark.parametrize("note", [HTML, "[click](http://evil.example) ![x](http://evil.example/x.png) **bold**"])
def test_a_stored_note_is_shown_inert_when_she_is_asked_to_replace_the_day(app, store, configure, note):
    """The confirm step shows her saved note next to the new one: as text, never as a link or markup."""
    from lib import challenge_service as svc

    configure(fixed_today=TODAY)
    uid = store.create_user("anna")
    assert svc.start_challenge(store, uid, {**START, "start_date": TODAY - dt.timedelta(days=3)}, PRE, TODAY).ok
    assert svc.save_log(store, uid, {**LOG, "note": note}, TODAY).status == "saved"
    at = app(lang="en", user_id=uid, page="pages/daily_log.py")
    day = TODAY.isoformat()
    at.radio(key=f"log_applied_{day}").set_value(True)
    at.text_area(key=f"log_note_{day}").set_value("new")  # the note changes, so the saved one is shown
    next(b for b in at.button if b.label == i18n.t("log.save", "en")).click()
    at.run()
    assert not at.exception
    shown = "\n".join(h.proto.body for h in at.get("html"))
    assert i18n.t("log.confirm_change", "en") in shown  # the confirm step is on screen
    # escaped: shown as text (the page's own script, lib/ui/document.py, is the only one on the page)
    assert "<script>alert" not in shown and html.escape(" ".join(note.split())) in shown
    assert not any("evil.example" in m.value for m in at.markdown), "never Markdown"
    assert store.daily_log(uid, day)["note"] == note  # nothing replaced until she confirms


@pytest.mark.parametrize("answers", [
    None, "", HUGE, 42, [1, 2], {"questions": HUGE}, {"questions": {"coffee": HUGE, HTML: "yes"}},
    {"questions": {"coffee": 10**9}, "signals": {"sleep": 99, "fatigue": -1, "muscles": "often", SQL: 2}},
    {"signals": {"sleep": float("nan")}},
])
def test_quiz_answers_from_anywhere_are_cleaned_before_scoring(answers):
    """Quiz answers may come back from a parked sign-up or an old session: unknown ones are dropped."""
    from lib import quiz

    clean = quiz.clean_answers(answers)
    result = quiz.score(clean)
    known = {q["id"] for q in quiz.questions()}
    assert set(clean.get("questions", {})) <= known
    assert all(isinstance(v, int) and 0 <= v <= 4 for v in clean.get("signals", {}).values())
    assert result.signal_score is None or 0 <= result.signal_score <= 100


@pytest.mark.parametrize("answers", [
    {**PRE, "sleep": 5}, {**PRE, "fatigue": -1}, {**PRE, "muscles": "often"}, {**PRE, "headache": 2.5},
    {**PRE, "low_mood": None}, {**PRE, "irritability": True}, {k: v for k, v in PRE.items() if k != "sleep"},
    {}, [2] * 8, HUGE, {SQL: 2, HTML: 3},
], ids=["above 4", "negative", "text", "fraction", "empty", "bool", "one missing", "none", "list", "huge text",
        "unknown signals"])
def test_pre_test_answers(store, answers):
    from lib import challenge_service as svc

    uid = store.create_user("anna")
    before = _data_tables(store)
    res = svc.start_challenge(store, uid, START, answers, TODAY)
    assert not res.ok
    assert [p.key for p in res.problems] == ["signals_missing"]
    _validation_message("signals_missing")
    assert _data_tables(store) == before  # neither the challenge nor half a test


@pytest.mark.parametrize("day", ["", HUGE, SQL, dt.date(2999, 1, 1), dt.date(1900, 1, 1), TODAY + dt.timedelta(days=2),
                                 TODAY - dt.timedelta(days=2)])
def test_choosing_magnesium_day_one_outside_the_allowed_days(store, day):
    """Magnesium day 1 only on a day the rules allow: today or tomorrow, after 5 to 7 baseline days."""
    from lib import challenge_service as svc

    uid = store.create_user("anna")
    assert svc.start_challenge(store, uid, {**START, "with_baseline": True, "start_date": TODAY - dt.timedelta(days=6)},
                               PRE, TODAY).ok
    before = store.active_challenge(uid)
    res = svc.start_magnesium(store, uid, day, TODAY)
    assert not res.ok and [p.key for p in res.problems] == ["magnesium_start_not_allowed"]
    _validation_message("magnesium_start_not_allowed")
    assert store.active_challenge(uid) == before
