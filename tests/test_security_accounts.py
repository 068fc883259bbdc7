"""Smaller account weaknesses an attacker could use, each closed: enumeration through sign-up and the reset
form, a participant kept locked out by a stranger, passwords made of her own name, and look-alike usernames."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from lib import auth, i18n
from lib.store import AlreadyExists, Store
from lib.web import auth_web
from tests import store_probe
from tests.test_auth_web import _app, _post, _query, _set_cookies, _signup

GOOD = "paars fiets regen zolder"
ORIGIN = "http://testserver"




def _client(db_path):
    c = TestClient(_app(), base_url=ORIGIN, follow_redirects=False)
    c.get("/")  # the CSRF cookie
    return c


@pytest.fixture
def client(db_path):
    with _client(db_path) as c:
        yield c


@pytest.fixture
def store(any_store):
    """The account rules are services: they run on every backend (SQLite and tests/fake_store.py)."""
    return any_store


def _login(client, username, password):
    return _post(client, auth_web.LOGIN, {"username": username, "password": password})


# -- weak passwords ---------------------------------------------------------------------------------------
def test_a_password_containing_her_username_or_a_word_of_her_name_is_refused_whatever_zxcvbn_says(store):
    # zxcvbn scores this 3 of 4 ("safely unguessable"): it used to be accepted for user fiona.
    assert auth.sign_up(store, username="fiona", password="fiona2024fiona", consent=True).error == "weak_personal"
    assert auth.sign_up(store, username="fiona", password="2024FIONA!zomer", consent=True).error == "weak_personal"
    named = auth.sign_up(store, username="fdv", password="zon maan VRIES komeet", display_name="Fiona de Vries",
                         consent=True)
    assert named.error == "weak_personal"
    assert store_probe.table_counts(store)["users"] == 0
    # Shorter than four characters is not a word of hers: "eva" may stand in a long phrase.
    assert auth.sign_up(store, username="eva", password="eva zon maan ster komeet", consent=True).ok
    # The same rule on a password change and a reset.
    uid = auth.sign_up(store, username="greetje", password=GOOD, display_name="Greetje", consent=True).user_id
    assert auth.change_password(store, uid, old=GOOD, new="Greetje-2024-zomer").error == "weak_personal"
    code = auth.issue_reset_code(store, "greetje")
    assert auth.use_reset_code(store, username="greetje", code=code,
                               new_password="mijn naam is greetje").error == "weak_personal"
    for lang in i18n.LANGUAGES:
        assert i18n.t("account.err.weak_personal", lang) != "account.err.weak_personal"


def test_zxcvbn_always_hears_her_username_and_name(monkeypatch):
    seen = []
    real = auth.zxcvbn.zxcvbn
    monkeypatch.setattr(auth.zxcvbn, "zxcvbn",
                        lambda pw, user_inputs=(): seen.append(user_inputs) or real(pw, user_inputs))
    assert auth.password_problem("zon maan ster komeet", ("hanneke", "Hanneke Jansen")) is None
    assert {"hanneke", "Hanneke Jansen", "jansen"} <= set(seen[-1])


# -- enumeration ------------------------------------------------------------------------------------------
def test_sign_up_from_one_address_is_slowed_so_taken_usernames_cannot_be_listed(client, db_path):
    assert _signup(client, username="anna").headers["location"] == "/"
    client.cookies.delete(auth_web.SESSION_COOKIE)
    answers = [_query(_signup(client, username="anna")).get("auth_error") for _ in range(auth.SIGNUP_FREE_TRIES - 1)]
    assert set(answers) == {"username_taken"}
    # The next one, whatever the name, waits: no answer about whether it is taken.
    for name in ("anna", "bea"):
        refused = _query(_signup(client, username=name))
        assert refused["auth_error"] == "throttled" and 1 <= int(refused["minutes"]) <= 15
    assert Store(db_path).user_by_username("bea") is None
    # Another address is not affected.
    other = _post(client, auth_web.SIGNUP, {"username": "bea", "password": GOOD, "password2": GOOD, "consent": "yes"},
                  headers={"x-forwarded-for": "198.51.100.7"})
    assert _query(other).get("auth_error") == "throttled", "an untrusted forwarded address changes nothing"


def test_sign_up_throttle_is_per_address_and_forgets_after_a_quiet_day(store, fake_clock):
    for i in range(auth.SIGNUP_FREE_TRIES):
        assert auth.sign_up(store, username=f"lid{i:02d}", password=GOOD, consent=True, address="192.0.2.1").ok
    assert auth.sign_up(store, username="lid99", password=GOOD, consent=True, address="192.0.2.1").error == "throttled"
    assert auth.sign_up(store, username="lid99", password=GOOD, consent=True, address="192.0.2.2").ok
    fake_clock.advance(hours=25)
    assert auth.sign_up(store, username="lid98", password=GOOD, consent=True, address="192.0.2.1").ok
    # Her own typing errors (a weak password, no consent) are not counted.
    for _ in range(auth.SIGNUP_FREE_TRIES + 5):
        assert auth.sign_up(store, username="zwak", password="password", consent=True,
                            address="192.0.2.3").error == "weak_common"
    assert auth.sign_up(store, username="sterk", password=GOOD, consent=True, address="192.0.2.3").ok


def test_a_made_up_reset_code_says_the_same_whatever_the_password_so_her_name_stays_hidden(store, fake_clock):
    auth.sign_up(store, username="ineke", password=GOOD, display_name="Wilhelmina", consent=True)
    guesses = ["Wilhelmina1990!", "Margaretha1990!", "kort"]
    answers = [auth.use_reset_code(store, username="ineke", code="AAAA-BBBB-CCCC", new_password=p).error
               for p in guesses]
    assert answers == ["bad_reset"] * 3, "the display name must not be guessable through the reset form"


def test_every_reset_attempt_is_counted_before_any_other_check(store, fake_clock):
    auth.sign_up(store, username="joke", password=GOOD, display_name="Joke", consent=True)
    answers = [auth.use_reset_code(store, username="joke", code="AAAA-BBBB-CCCC", new_password=pw).error
               for pw in ["joke joke joke", "kort", "Joke2024!", "password", "nog een zin hier"]]
    assert answers[-1] == "throttled" and "throttled" not in answers[:-1]
    assert auth.use_reset_code(store, username="joke", code="AAAA-BBBB-CCCC", new_password="x").error == "throttled"
    # With her real code a weak password is her own typing: it does not use up her tries.
    fake_clock.advance(hours=1)
    code = auth.issue_reset_code(store, "joke")
    for _ in range(auth.USER_FREE_TRIES + 2):
        assert auth.use_reset_code(store, username="joke", code=code, new_password="joke1234").error == "weak_personal"
    assert auth.use_reset_code(store, username="joke", code=code, new_password="zon maan ster komeet").ok


# -- lock-out: OWASP's device cookie ----------------------------------------------------------------------------
def test_a_stranger_who_keeps_a_username_blocked_does_not_lock_her_out_of_her_own_browser(client, db_path):
    _signup(client, username="anna")
    device = client.cookies.get(auth_web.DEVICE_COOKIE)
    assert device, "signing up marks this browser as hers"
    cookie = _set_cookies(_login(client, "anna", GOOD))[auth_web.DEVICE_COOKIE]
    assert "httponly" in cookie and "samesite=lax" in cookie and f"max-age={auth.DEVICE_DAYS * 86400}" in cookie
    client.cookies.delete(auth_web.SESSION_COOKIE)
    with _client(db_path) as stranger:
        answers = [_query(_login(stranger, "anna", f"guess {i} guess")).get("auth_error") for i in range(8)]
        assert answers[-1] == "throttled"
        assert _query(_login(stranger, "anna", GOOD)).get("auth_error") == "throttled", "strangers stay blocked"
    # Her own browser is judged on its own failures only.
    mine = _login(client, "anna", GOOD)
    assert mine.headers["location"] == "/" and auth_web.SESSION_COOKIE in _set_cookies(mine)
    # Another app server on the same database agrees (the state is in the database, not in memory).
    with TestClient(_app(), base_url=ORIGIN, follow_redirects=False, cookies=dict(client.cookies)) as second:
        assert _login(second, "anna", GOOD).headers["location"] == "/"


def test_her_browser_is_slowed_by_its_own_failures_and_a_device_of_someone_else_does_not_help(store, fake_clock):
    anna = auth.sign_up(store, username="anna", password=GOOD, consent=True).user_id
    bea = auth.sign_up(store, username="bea", password=GOOD, consent=True).user_id
    tablet = auth.remember_device(store, anna, None)
    assert auth.remember_device(store, bea, tablet) == tablet, "one value per browser, shared by a household"
    laptop = auth.remember_device(store, bea, None)
    for i in range(auth.USER_FREE_TRIES + 3):
        auth.log_in(store, username="anna", password=f"stranger {i} x", address="203.0.113.5")
    assert auth.log_in(store, username="anna", password=GOOD, address="203.0.113.5").error == "throttled"
    assert auth.log_in(store, username="anna", password=GOOD, device=laptop).error == "throttled", "bea's laptop"
    assert auth.log_in(store, username="anna", password=GOOD, device="made-up-device-value").error == "throttled"
    assert auth.log_in(store, username="anna", password=GOOD, device=tablet).ok
    # Wrong passwords on her tablet slow her tablet down, as anywhere.
    codes = [auth.log_in(store, username="anna", password="wrong wrong", device=tablet).error
             for _ in range(auth.USER_FREE_TRIES)]
    assert codes[-1] == "throttled"
    # A device unused for DEVICE_DAYS is a stranger again.
    fake_clock.advance(days=auth.DEVICE_DAYS + 1)
    assert not auth.device_keys(store, store.get_user(anna), tablet)


def test_her_devices_go_with_her_account(store):
    uid = auth.sign_up(store, username="weg", password=GOOD, consent=True).user_id
    auth.remember_device(store, uid, None)
    assert store_probe.user_row_counts(store, uid)["login_devices"] == 1
    assert "token_hash" not in store.export_user_data(uid)["login_devices"][0]
    store.delete_user(uid)
    assert store_probe.table_counts(store)["login_devices"] == 0


# -- look-alike usernames --------------------------------------------------------------------------------------
@pytest.mark.parametrize("lookalike", ["\u0430lice", "alıce", "\u0430l\u0456\u0441\u0435", "a1ice", "ａlice"])
def test_a_username_that_looks_like_an_existing_one_is_refused(store, lookalike):
    assert auth.sign_up(store, username="alice", password=GOOD, consent=True).ok
    result = auth.sign_up(store, username=lookalike, password=GOOD, consent=True)
    assert result.error in ("username_lookalike", "username_taken")
    assert store_probe.table_counts(store)["users"] == 1
    for lang in i18n.LANGUAGES:
        assert i18n.t("account.err.username_lookalike", lang) != "account.err.username_lookalike"


def test_the_skeleton_is_unicode_tr39_and_the_database_refuses_a_second_one(store):
    assert auth.username_skeleton("\u0430lice") == auth.username_skeleton("alice")  # Cyrillic а
    assert auth.username_skeleton("rn") == auth.username_skeleton("m")
    assert auth.username_skeleton("anna") != auth.username_skeleton("anne")
    store.create_user("alice", skeleton=auth.username_skeleton("alice"))
    with pytest.raises(AlreadyExists):
        store.create_user("\u0430lice", skeleton=auth.username_skeleton("\u0430lice"))
    with pytest.raises(ValueError):
        auth.create_practitioner(store, "\u0430lice")


def test_the_migration_gives_existing_accounts_their_skeleton_and_keeps_old_look_alikes_working(tmp_path):
    import sqlite_utils

    from lib.store.schema import migrations

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m003_username_skeleton")  # a database from before this change
    for name in ("alice", "\u0430lice", "bob"):
        db.execute("INSERT INTO users (username, created_at) VALUES (?, '2026-01-01')", (name,))
    db.conn.commit()
    db.close()
    store = Store(path)
    users = {u: store.user_by_username(u) for u in ("alice", "\u0430lice", "bob")}
    assert users["alice"]["username_skeleton"] == "alice"
    assert users["\u0430lice"]["username_skeleton"] is None, "the newer look-alike keeps her account"
    assert users["bob"]["username_skeleton"] == "bob"
    assert auth.sign_up(store, username="a1ice", password=GOOD, consent=True).error == "username_lookalike"
