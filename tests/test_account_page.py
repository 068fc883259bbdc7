"""Her account: the Account page in AppTest, the export ZIP and deleting everything of hers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from lib import auth, export, i18n
from lib.ui import login
from tests import store_probe
from tests.conftest import ENTRY
from tests.page_text import page_text

PAGE = "pages/account.py"
GOOD = "paars fiets regen zolder"
MARK = "zeldzaam-merkteken-7781"  # a string that exists only in her rows


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _participant_with_data_everywhere(store, name: str, *, note: str = "") -> int:
    """A participant with at least one row in every table that holds participant data."""
    uid = auth.sign_up(store, username=name, password=GOOD, display_name=f"{name} {MARK if note else ''}",
                       consent=True).user_id
    auth.log_in(store, username=name, password=GOOD)
    auth.remember_device(store, uid, None)  # a browser she logged in on
    auth.issue_reset_code(store, name)
    auth.log_in(store, username=name, password="not her password at all")  # a throttling row for her name
    cid = store.create_challenge(uid, start_date="2026-03-01", with_baseline=False, method="oil_spray",
                                 magnesium_start="2026-03-01", pre_test={"sleep": 3}, pre_score=75.0)
    entry = {"challenge_id": cid, "phase": "magnesium", "applied": 1, "method": "oil_spray", "amount": 6,
             "sleep_quality": 6, "energy": 5, "mood": 7, "muscle_tension": 4, "stress": 5, "headache": 1,
             "restless_legs": 0, "irritability": 3, "relaxation_minutes": 15, "coffee_cups": 2,
             "alcohol_glasses": 0, "note": note}
    store.upsert_daily_log(uid, "2026-03-01", entry)
    with store.write() as conn:
        conn.execute(
            """INSERT INTO quiz_results (user_id, taken_at, question_set_version, answers, signal_score)
               VALUES (?, '2026-02-28T20:00:00+00:00', 'v1', ?, 50)""",
            (uid, json.dumps({"coffee": 3, "note": note})),
        )
    return uid


# -- logged out ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_logged_out_she_sees_log_in_sign_up_with_the_privacy_text_and_reset(app, lang):
    at = app(lang=lang, page=PAGE)
    assert not at.exception
    assert [t.label for t in at.tabs] == [i18n.t(f"account.tab_{n}", lang) for n in ("login", "signup", "reset")]
    assert i18n.t("account.privacy", lang) in page_text(at)
    html = _html(at)
    for form_id in ("mg-login", "mg-signup", "mg-reset"):
        assert f'id="{form_id}"' in html
    assert f'name="ui_lang" value="{lang}"' in html
    assert 'name="consent" value="yes" required' in html
    assert 'type="password"' in html and 'name="lang"' not in html


def test_the_forms_carry_the_parked_quiz_token_and_the_page_to_return_to(db_path):
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["lang"] = "nl"
    at.session_state[login.PENDING_SESSION_KEY] = "tok_" + "x" * 28
    at.run()
    at.switch_page(PAGE)
    at.query_params["next"] = "quiz"
    at.query_params["form"] = "signup"
    at.query_params["auth_error"] = "weak_common"
    at.run()
    html = _html(at)
    assert html.count('name="pending" value="tok_' + "x" * 28 + '"') == 3, "log-in, sign-up and reset all carry it"
    assert html.count('name="next" value="quiz"') == 3
    # The reason is shown with the form again, at the password field (not at the top of the page).
    message = i18n.t("account.err.weak_common", "nl")
    assert f'<small class="mg-error" id="mg-signup-password-error">{message}</small>' in html
    assert message not in page_text(at)


def test_an_unknown_error_code_in_the_address_shows_a_general_message(db_path):
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.run()
    at.switch_page(PAGE)
    at.query_params["auth_error"] = "<script>alert(1)</script>"
    at.run()
    assert i18n.t("account.err.unknown", "nl") in page_text(at)
    assert "<script>" not in page_text(at)


# -- logged in ---------------------------------------------------------------------------------------------
def test_her_name_is_shown_as_plain_text_never_as_markup(app, store):
    name = "<img src=x onerror=alert(1)> [click](javascript:alert(1))"
    uid = auth.sign_up(store, username="xss", password=GOOD, display_name=name, consent=True).user_id
    at = app(lang="en", user_id=uid, page=PAGE)
    assert [t.value for t in at.text] == [name]
    assert "onerror" not in "".join(m.value for m in at.markdown)


def test_language_is_remembered_in_her_profile(app, store):
    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True, lang="nl").user_id
    at = app(lang="nl", user_id=uid, page=PAGE)
    at.radio(key="account_lang").set_value("en").run()
    assert not at.exception
    assert store.get_user(uid)["lang"] == "en"
    assert at.session_state["lang"] == "en"


def test_time_zone_comes_from_her_profile_and_can_be_changed(app, store):
    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True, timezone="Europe/Amsterdam").user_id
    at = app(lang="en", user_id=uid, page=PAGE)
    assert at.selectbox(key="account_tz").value == "Europe/Amsterdam"
    at.selectbox(key="account_tz").set_value("America/Curacao").run()
    assert store.get_user(uid)["timezone"] == "America/Curacao"
    assert at.session_state["tz"] == "America/Curacao"


def test_sharing_with_the_practitioner_is_off_until_she_switches_it_on(app, store):
    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True).user_id
    assert store.get_user(uid)["share_with_practitioner"] == 0
    at = app(lang="en", user_id=uid, page=PAGE)
    assert at.toggle(key="account_share").value is False
    at.toggle(key="account_share").set_value(True).run()
    assert store.get_user(uid)["share_with_practitioner"] == 1
    assert i18n.t("account.share_on", "en") in page_text(at)
    at.toggle(key="account_share").set_value(False).run()
    assert store.get_user(uid)["share_with_practitioner"] == 0


def test_the_password_form_is_there_for_a_password_account_and_the_export_is_built_on_click(app, store):
    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True).user_id
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert 'id="mg-password"' in _html(at) and 'name="old"' in _html(at)
    buttons = at.get("download_button")
    assert len(buttons) == 1
    # A deferred download: the page sends no file with the page, only a link that builds it on click.
    assert not buttons[0].proto.url.startswith("data:")


def test_logging_out_clears_everything_of_hers_from_the_session(app, store):
    result = auth.sign_up(store, username="anna", password=GOOD, consent=True)
    at = app(lang="en", user_id=result.user_id, page=PAGE)
    at.session_state["tz"] = "Europe/Amsterdam"
    at.session_state["some_draft"] = "her unsaved note"
    at.run()
    at.button(key="account_logout").click().run()
    assert not at.exception
    assert "user_id" not in at.session_state and "some_draft" not in at.session_state
    assert "tz" not in at.session_state
    assert at.session_state["lang"] == "en", "the device's language stays"
    assert 'id="mg-login"' in _html(at)


def test_no_password_ever_passes_through_a_streamlit_widget(app, store):
    """Passwords are typed only into the plain HTML forms, which post straight to the routes: a Streamlit
    password widget would keep what she typed in the session's state."""
    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True).user_id
    for at in (app(lang="en", page=PAGE), app(lang="en", user_id=uid, page=PAGE)):
        assert [w for w in at.text_input if w.proto.type == w.proto.PASSWORD] == []
        assert 'type="password"' in _html(at)
        assert not any("argon2" in str(at.session_state[k]) for k in ("user_id", "lang") if k in at.session_state)


def test_deleting_needs_the_typed_word_and_then_removes_every_row_of_hers(app, store, db_path):
    anna = _participant_with_data_everywhere(store, "anna", note=MARK)
    bea = _participant_with_data_everywhere(store, "bea")
    counts_before = store_probe.user_row_counts(store, anna)
    assert all(n >= 1 for n in counts_before.values()), counts_before
    assert set(counts_before) >= {"users", "auth_sessions", "reset_codes", "quiz_results", "challenges",
                                  "assessments", "daily_logs"}
    bea_before = store_probe.user_row_counts(store, bea)

    at = app(lang="nl", user_id=anna, page=PAGE)
    at.text_input[0].input("wissen")
    _submit_delete(at)
    assert i18n.t("account.delete_mismatch", "nl", word=i18n.t("account.delete_word", "nl")) in page_text(at)
    assert store_probe.user_row_counts(store, anna) == counts_before, "a wrong word deletes nothing"

    at.text_input[0].input(" " + i18n.t("account.delete_word", "nl").lower())
    _submit_delete(at)
    assert not at.exception
    assert set(store_probe.user_row_counts(store, anna).values()) == {0}
    with store.read() as conn:
        failures = conn.execute("SELECT count(*) FROM login_failures WHERE key = ?",
                                (auth.throttle_keys("anna", None)[0][0],)).fetchone()[0]
    assert failures == 0, "not even her throttling row"
    assert store_probe.user_row_counts(store, bea) == bea_before, "the other participant keeps everything"
    assert "user_id" not in at.session_state
    assert i18n.t("account.deleted", "nl") in page_text(at)


def _submit_delete(at) -> None:
    button = next(b for b in at.button if b.label == i18n.t("account.delete_button", at.session_state["lang"]))
    button.click().run()


def test_deleted_data_does_not_linger_in_the_database_files(store, db_path):
    anna = _participant_with_data_everywhere(store, "anna", note=MARK)
    _participant_with_data_everywhere(store, "bea")

    def raw() -> bytes:
        return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))

    assert MARK.encode() in raw()
    store.delete_user(anna)
    assert MARK.encode() not in raw(), "secure_delete and the checkpoint leave no trace of her words"
    assert store.integrity_check() == "ok"
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


# -- the export ----------------------------------------------------------------------------------------------
def test_the_export_zip_holds_all_of_her_data_as_json_and_a_csv_per_table(store):
    anna = _participant_with_data_everywhere(store, "anna", note="Héél moe, 😴, \"quoted\", comma")
    _participant_with_data_everywhere(store, "bea")
    blob = export.build_zip(lambda: store, anna, "en")
    zf = zipfile.ZipFile(io.BytesIO(blob))
    names = set(zf.namelist())
    data = json.loads(zf.read("data.json"))["tables"]
    assert {"README.txt", "data.json"} <= names
    assert {f"{t}.csv" for t in data} <= names
    for table, counted in store_probe.user_row_counts(store, anna).items():
        assert len(data[table]) == counted, table
    assert data["users"][0]["username"] == "anna"
    assert all(r["user_id"] == anna for t, rows in data.items() if t != "users" for r in rows)
    text = zf.read("data.json").decode()
    assert "argon2" not in text and "password_hash" not in text and "token_hash" not in text
    assert "code_hash" not in text
    rows = list(csv.DictReader(io.StringIO(zf.read("daily_logs.csv").decode("utf-8-sig"))))
    assert rows[0]["note"] == "Héél moe, 😴, \"quoted\", comma"
    assert rows[0]["sleep_quality"] == "6"
    assert "downloaded" in zf.read("README.txt").decode()
    assert export.file_name("nl").startswith("magnesium-challenge-mijn-gegevens-")


# -- who is logged in: the cookie, read at the top of every run ------------------------------------------------
def _fresh(monkeypatch, jar: dict) -> AppTest:
    monkeypatch.setattr(login, "cookies", lambda: dict(jar))
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.run()
    return at


def test_a_new_session_with_her_login_cookie_is_her_and_speaks_her_language(store, db_path, monkeypatch):
    result = auth.sign_up(store, username="anna", password=GOOD, display_name="Anna", consent=True, lang="en",
                          timezone="Europe/Lisbon")
    jar = {"mg_session": result.token}
    at = _fresh(monkeypatch, jar)
    assert at.session_state["user_id"] == result.user_id
    assert at.session_state["lang"] == "en" and at.session_state["tz"] == "Europe/Lisbon"
    # After she logs out (here, or in another tab) the same cookie opens nothing any more.
    auth.log_out(store, result.token)
    at = _fresh(monkeypatch, jar)
    assert "user_id" not in at.session_state and "tz" not in at.session_state


def test_a_revoked_or_made_up_cookie_logs_nobody_in(store, db_path, monkeypatch):
    result = auth.sign_up(store, username="anna", password=GOOD, consent=True)
    auth.change_password(store, result.user_id, old=GOOD, new="groen bootje wolk tafel")
    for token in (result.token, "made-up-token", "x" * 500):
        at = _fresh(monkeypatch, {"mg_session": token})
        assert "user_id" not in at.session_state, token[:20]


def test_after_a_redirect_a_visitor_keeps_the_language_she_was_reading_in(db_path, monkeypatch):
    at = _fresh(monkeypatch, {"mg_lang": "en"})
    assert at.session_state["lang"] == "en"
    assert at.title[0].value == i18n.t("home.title", "en")
    assert _fresh(monkeypatch, {"mg_lang": "xx"}).session_state["lang"] == "nl"


def test_the_device_time_zone_is_offered_when_it_differs_from_her_profile(store, db_path):
    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True, timezone="Europe/Amsterdam").user_id
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["user_id"] = uid
    at.context = {"timezone": "America/Curacao"}
    at.run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="account_tz").value == "Europe/Amsterdam", "never changed behind her back"
    at.button(key="account_tz_device").click().run()
    assert store.get_user(uid)["timezone"] == "America/Curacao"
    assert at.selectbox(key="account_tz").value == "America/Curacao"


# -- OpenID Connect (st.login), keyed on issuer and subject ------------------------------------------------------
def _oidc_app(user: dict) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.user = user
    at.run()
    at.switch_page(PAGE).run()
    return at


def test_a_practice_login_becomes_an_account_only_with_consent_keyed_on_issuer_and_subject(store, db_path):
    who = {"is_logged_in": True, "iss": "https://login.example", "sub": "u-123", "name": "Anna P",
           "email": "anna@example.org"}
    at = _oidc_app(who)
    assert i18n.t("account.oidc_create_intro", "nl") in page_text(at)
    assert i18n.t("account.privacy", "nl") in page_text(at)
    at.button[0].click().run()  # the form's button without ticking consent
    assert i18n.t("account.err.consent_needed", "nl") in page_text(at)
    assert store_probe.table_counts(store)["users"] == 0
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    user = store.user_by_oidc("https://login.example", "u-123")
    assert user is not None and user["display_name"] == "Anna P" and user["password_hash"] is None
    assert "anna@example.org" not in json.dumps(user), "no e-mail address is kept"

    again = _oidc_app(who)
    assert again.session_state["user_id"] == user["id"]
    assert [t.value for t in again.text] == ["Anna P"]
    # The same e-mail at another subject (or another issuer) is somebody else.
    other = _oidc_app({**who, "sub": "u-456"})
    assert "user_id" not in other.session_state
    assert "user_id" not in _oidc_app({**who, "iss": "https://evil.example"}).session_state


def test_a_practice_login_without_a_name_is_not_shown_as_an_internal_id(store, db_path):
    who = {"is_logged_in": True, "iss": "https://login.example", "sub": "u-789"}
    auth.create_oidc_user(store, issuer=who["iss"], subject=who["sub"], display_name="", lang="en", timezone=None,
                          consent=True)
    at = _oidc_app(who)
    assert i18n.t("account.practice_account", "en") in page_text(at), "her profile's language"
    assert auth.OIDC_USERNAME_PREFIX not in page_text(at)


def test_a_note_that_looks_like_a_formula_is_inert_in_the_csv_and_exact_in_the_json(store):
    formula = '=HYPERLINK("http://evil.example","klik")'
    anna = _participant_with_data_everywhere(store, "anna", note=formula)
    zf = zipfile.ZipFile(io.BytesIO(export.build_zip(lambda: store, anna, "nl")))
    # Dutch spreadsheets split on ";" (the README in the ZIP says so).
    rows = list(csv.DictReader(io.StringIO(zf.read("daily_logs.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["note"] == "'" + formula
    assert json.loads(zf.read("data.json"))["tables"]["daily_logs"][0]["note"] == formula
    assert "README.txt" in zf.namelist() and "gedownload" in zf.read("README.txt").decode()


def test_the_address_cannot_plant_text_or_links_in_the_throttling_message(db_path):
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(PAGE)
    at.query_params["auth_error"] = "throttled"
    at.query_params["minutes"] = "[call us](https://evil.example)"
    at.run()
    assert [e.body for e in at.error] == [i18n.t("account.err.throttled", "en", minutes="15")]


def test_an_account_made_on_the_command_line_asks_for_consent_before_anything_is_kept(app, store):
    uid, _code = auth.create_practitioner(store, "praktijk")
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert i18n.t("account.no_consent_yet", "nl") in page_text(at)
    next(b for b in at.button if b.label == i18n.t("account.give_consent", "nl")).click().run()
    assert store.get_user(uid)["health_consent_at"] is not None
    assert i18n.t("account.no_consent_yet", "nl") not in page_text(at)


def test_the_time_zone_picker_offers_her_device_first_then_the_common_zones(store, db_path):
    """About 500 zones, but hers on top: the device's zone, then the zones most participants live in, each
    with its offset; without a saved zone, the device's is chosen."""
    from lib import timezones

    uid = auth.sign_up(store, username="anna", password=GOOD, consent=True, timezone=None).user_id
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.session_state["user_id"] = uid
    at.context = {"timezone": "America/Paramaribo"}
    at.run()
    at.switch_page(PAGE).run()
    picker = at.selectbox(key="account_tz")
    assert picker.value == "America/Paramaribo"
    assert picker.options[0].startswith("America/Paramaribo (UTC-03:00)")
    assert "dit apparaat" in picker.options[0]
    assert [o.split(" (")[0] for o in picker.options[1:4]] == ["Europe/Amsterdam", "Europe/Brussels", "Europe/Berlin"]
    assert len(picker.options) > 400 and len(set(picker.options)) == len(picker.options)
    summer = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    assert timezones.label("Europe/Amsterdam", summer) == "Europe/Amsterdam (UTC+02:00)"


def test_the_language_in_the_address_survives_a_reload(monkeypatch):
    """A reload is a new session: ``?lang=en``, which the switch keeps in the address, brings English back."""
    monkeypatch.setattr(login, "cookies", lambda: {})
    at = AppTest.from_file(ENTRY, default_timeout=20)
    at.run()
    assert at.title[0].value == i18n.t("home.title", "nl") and "lang" not in at.query_params  # a clean address
    # (The switch writing ?lang=en into the address is seen in the browser: tests/browser/test_one_look_browser.py.)
    reload = AppTest.from_file(ENTRY, default_timeout=20)
    reload.query_params["lang"] = "en"
    reload.run()
    assert reload.session_state["lang"] == "en"
    assert reload.title[0].value == i18n.t("home.title", "en")
    odd = AppTest.from_file(ENTRY, default_timeout=20)
    odd.query_params["lang"] = "xx"
    odd.run()
    assert odd.title[0].value == i18n.t("home.title", "nl")
