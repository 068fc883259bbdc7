"""Accounts without a browser: usernames, password rules, argon2 parameters, throttling, tokens, reset codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import VerifyMismatchError

from lib import auth, i18n
from tests import store_probe

GOOD = "paars fiets regen zolder"




@pytest.fixture
def store(any_store):
    """These are service tests: they run on every backend (SQLite and tests/fake_store.py)."""
    return any_store


def _sign_up(store, name="anna", password=GOOD, **kw):
    result = auth.sign_up(store, username=name, password=password, consent=True, **kw)
    assert result.ok, result.error
    return result


# -- usernames and passwords -------------------------------------------------------------------------
def test_usernames_are_one_account_whatever_width_case_or_spaces(store):
    assert auth.normalise_username("  Anna ") == auth.normalise_username("ANNA") == "anna"
    assert auth.normalise_username("Ａｎｎａ") == "anna"  # full-width letters (NFKC)
    assert auth.normalise_username("STRASSE") == auth.normalise_username("Straße")
    _sign_up(store, "  Anna ")
    again = auth.sign_up(store, username="ＡＮＮＡ", password=GOOD, consent=True)
    assert again.error == "username_taken"
    assert store_probe.table_counts(store)["users"] == 1


@pytest.mark.parametrize(
    ("password", "code"),
    [("kort", "password_short"), ("password", "weak_common"), ("asdfghjkl;", "weak_keyboard"),
     ("aaaaaaaaaa", "weak_repeat"), ("abcdefgh12345678", "weak_sequence"), ("x" * 300, "password_long")],
)
def test_weak_passwords_are_refused_with_a_reason_in_both_languages(store, password, code):
    result = auth.sign_up(store, username="bea", password=password, consent=True)
    assert result.error == code
    assert store_probe.table_counts(store)["users"] == 0
    for lang in i18n.LANGUAGES:
        assert i18n.t(f"account.err.{code}", lang) != f"account.err.{code}"


def test_every_code_zxcvbn_can_give_has_our_own_message():
    codes = set(auth._ZXCVBN_WARNINGS.values()) | {"guessable", "personal"}
    for code in codes:
        for lang in i18n.LANGUAGES:
            assert f"account.err.weak_{code}" in i18n.strings(lang), (code, lang)


def test_a_password_that_is_her_username_is_refused(store):
    assert auth.sign_up(store, username="margrietje1970", password="margrietje1970", consent=True).error.startswith(
        "weak_"
    )


def test_sign_up_needs_explicit_consent_and_never_makes_a_practitioner(store):
    assert auth.sign_up(store, username="carla", password=GOOD, consent=False).error == "consent_needed"
    result = _sign_up(store, "carla")
    user = store.get_user(result.user_id)
    assert user["role"] == "participant"
    assert user["health_consent_at"] is not None


# -- argon2 -----------------------------------------------------------------------------------------------
def _params(hashed: str) -> dict[str, int]:
    assert hashed.startswith("$argon2id$")
    return {k: int(v) for k, v in (p.split("=") for p in hashed.split("$")[3].split(","))}


def test_passwords_are_hashed_with_argon2id_at_or_above_owasp_minimum(store):
    result = _sign_up(store)
    hashed = store.get_user(result.user_id)["password_hash"]
    params = _params(hashed)
    assert params["m"] >= 19 * 1024 and params["t"] >= 2 and params["p"] >= 1
    assert GOOD not in hashed


def test_an_old_hash_is_replaced_at_login_when_the_parameters_changed(store):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(GOOD)
    uid = store.create_user("dora", password_hash=weak, health_consent=True)
    assert auth.log_in(store, username="dora", password=GOOD).ok
    new = store.get_user(uid)["password_hash"]
    assert new != weak and _params(new)["t"] == auth.ARGON2_TIME_COST and _params(new)["m"] == auth.ARGON2_MEMORY_KIB
    assert auth.log_in(store, username="dora", password=GOOD).ok


def test_no_more_than_the_bound_of_hashes_run_at_once(monkeypatch):
    running, peak, lock = 0, 0, threading.Lock()

    class SlowHasher:
        def hash(self, password):
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.02)
            with lock:
                running -= 1
            return "h"

    monkeypatch.setattr(auth, "_hasher", SlowHasher())
    threads = [threading.Thread(target=auth.hash_password, args=("x",)) for _ in range(4 * auth.MAX_CONCURRENT_HASHES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= peak <= auth.MAX_CONCURRENT_HASHES


# -- throttling -----------------------------------------------------------------------------------------------
def test_wrong_passwords_get_growing_delays_capped_at_fifteen_minutes(store, fake_clock):
    _sign_up(store, "eva")
    codes = [auth.log_in(store, username="eva", password="wrong wrong", address="10.0.0.1").error for _ in range(5)]
    assert codes[:4] == ["bad_login"] * 4 and codes[4] == "throttled"
    # While blocked, even the right password is refused, without being checked.
    blocked = auth.log_in(store, username="eva", password=GOOD, address="10.0.0.2")
    assert blocked.error == "throttled" and blocked.minutes >= 1
    delays = [auth.delay_after(n, auth.USER_FREE_TRIES) for n in range(1, 20)]
    assert delays == sorted(delays) and delays[-1] == dt.timedelta(minutes=15)
    assert all(d <= dt.timedelta(minutes=15) for d in delays)
    # Keep failing: the block never exceeds 15 minutes, so nobody is locked out for long.
    for _ in range(10):
        fake_clock.advance(minutes=16)
        result = auth.log_in(store, username="eva", password="wrong wrong", address="10.0.0.3")
        assert result.error == "throttled" and result.minutes <= 15
    fake_clock.advance(minutes=16)
    assert auth.log_in(store, username="eva", password=GOOD, address="10.0.0.4").ok


def test_throttling_answers_the_same_for_a_username_that_does_not_exist(store, fake_clock):
    _sign_up(store, "fenna")
    real = [auth.log_in(store, username="fenna", password="nope nope").error for _ in range(7)]
    ghost = [auth.log_in(store, username="ghost", password="nope nope").error for _ in range(7)]
    assert real == ghost


def test_many_usernames_from_one_address_are_slowed_too(db_path, fake_clock):
    from lib.store import Store

    store = Store(db_path)  # the table itself is read below
    _sign_up(store, "hanna")
    for i in range(auth.ADDRESS_FREE_TRIES):
        auth.log_in(store, username=f"guess{i}", password="nope nope", address="192.0.2.9")
    assert auth.log_in(store, username="hanna", password=GOOD, address="192.0.2.9").error == "throttled"
    assert auth.log_in(store, username="hanna", password=GOOD, address="192.0.2.10").ok
    # The table holds hashes, never the usernames or addresses themselves.
    with store.read() as conn:
        keys = [r[0] for r in conn.execute("SELECT key FROM login_failures")]
    assert keys and not any("guess" in k or "192.0.2" in k for k in keys)


# -- login tokens ------------------------------------------------------------------------------------------------
def test_the_server_keeps_only_a_hash_of_the_login_token(db_path):
    from lib.store import Store

    store = Store(db_path)  # the table and the file themselves are read below
    result = _sign_up(store, "ilse")
    with store.read() as conn:
        stored = [r[0] for r in conn.execute("SELECT token_hash FROM auth_sessions")]
    assert stored == [hashlib.sha256(result.token.encode()).hexdigest()]
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("test.db*"))
    assert result.token.encode() not in raw
    assert auth.user_for_token(store, result.token)["id"] == result.user_id


def test_log_out_and_password_change_revoke_sessions(store):
    first = _sign_up(store, "joke")
    second = auth.log_in(store, username="joke", password=GOOD)
    third = auth.log_in(store, username="joke", password=GOOD)
    auth.log_out(store, first.token)
    assert auth.user_for_token(store, first.token) is None
    assert auth.user_for_token(store, second.token) is not None
    assert auth.change_password(store, first.user_id, old="not it at all", new="groen bootje wolk tafel").error == (
        "old_password_wrong"
    )
    changed = auth.change_password(store, first.user_id, old=GOOD, new="groen bootje wolk tafel")
    assert changed.ok
    assert auth.user_for_token(store, second.token) is None and auth.user_for_token(store, third.token) is None
    assert auth.user_for_token(store, changed.token)["id"] == first.user_id
    assert auth.log_in(store, username="joke", password=GOOD).error == "bad_login"
    assert auth.log_in(store, username="joke", password="groen bootje wolk tafel").ok


def test_an_expired_session_logs_nobody_in(store, fake_clock):
    result = _sign_up(store, "kim")
    fake_clock.advance(days=auth.SESSION_DAYS - 1)
    assert auth.user_for_token(store, result.token) is not None
    fake_clock.advance(days=2)
    assert auth.user_for_token(store, result.token) is None


# -- reset codes ----------------------------------------------------------------------------------------------
def test_a_reset_code_works_once_within_a_day_and_ends_old_sessions(store, fake_clock):
    old = _sign_up(store, "lies")
    assert auth.issue_reset_code(store, "nobody") is None
    code = auth.issue_reset_code(store, "LIES")
    wrong = auth.use_reset_code(store, username="lies", code="AAAA-BBBB-CCCC", new_password="zon maan ster komeet")
    assert wrong.error == "bad_reset"
    done = auth.use_reset_code(store, username="lies", code=code.lower().replace("-", " "),
                               new_password="zon maan ster komeet")
    assert done.ok and done.user_id == old.user_id
    assert auth.user_for_token(store, old.token) is None
    assert auth.log_in(store, username="lies", password="zon maan ster komeet").ok
    again = auth.use_reset_code(store, username="lies", code=code, new_password="nog een ander wachtwoord hier")
    assert again.error == "bad_reset"
    late = auth.issue_reset_code(store, "lies")
    fake_clock.advance(hours=auth.RESET_CODE_HOURS, minutes=1)
    assert auth.use_reset_code(store, username="lies", code=late, new_password="te laat voor de bus").error == (
        "bad_reset"
    )


def test_the_admin_command_creates_a_practitioner_and_reset_codes(db_path, capsys):
    from lib import admin
    from lib.store import Store

    assert admin.main(["create-practitioner", "Praktijk Jansen"]) == 0
    out = capsys.readouterr().out
    store = Store(db_path)
    user = store.user_by_username("praktijk jansen")
    assert user["role"] == "practitioner" and user["password_hash"] is None
    code = next(w for w in out.split() if w.count("-") == 2 and len(w) == 14)
    assert auth.use_reset_code(store, username="praktijk jansen", code=code, new_password="kruiden thee in de tuin").ok
    assert admin.main(["reset-code", "nobody"]) == 1
    assert admin.main(["reset-code", "Praktijk Jansen"]) == 0
    assert "24" in capsys.readouterr().out


def test_argon2_verifies_only_the_right_password():
    hashed = auth.hash_password(GOOD)
    with pytest.raises(VerifyMismatchError):
        auth._hasher.verify(hashed, GOOD + "!")
    assert auth.verify_password(hashed, GOOD) == (True, None)


def test_a_burst_of_parallel_guesses_gets_no_more_checks_than_the_free_tries(store, monkeypatch):
    _sign_up(store, "mira")
    checked = []
    real = auth.verify_password

    def counting(stored, password):
        checked.append(password)
        time.sleep(0.01)  # make the guesses overlap
        return real(stored, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    start = threading.Barrier(20)
    answers = []

    def guess(i):
        start.wait()
        answers.append(auth.log_in(store, username="mira", password=f"guess number {i}", address=f"198.51.100.{i}"))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) <= auth.USER_FREE_TRIES, "each attempt is counted before its password is checked"
    assert all(a.error in ("bad_login", "throttled") for a in answers)


def test_many_good_logins_from_one_address_never_slow_a_household_down(store, fake_clock):
    _sign_up(store, "nina")
    _sign_up(store, "olga", password="groen bootje wolk tafel")
    for _ in range(auth.ADDRESS_FREE_TRIES + 5):
        assert auth.log_in(store, username="nina", password=GOOD, address="203.0.113.5").ok
    assert auth.log_in(store, username="olga", password="typo typo", address="203.0.113.5").error == "bad_login"
    assert auth.log_in(store, username="olga", password="groen bootje wolk tafel", address="203.0.113.5").ok


def test_a_group_logging_in_at_once_from_one_network_is_never_refused(store, monkeypatch):
    n = auth.ADDRESS_FREE_TRIES + 5
    hashed = auth.hash_password(GOOD)
    for i in range(n):
        store.create_user(f"groep{i}", password_hash=hashed, health_consent=True)
    monkeypatch.setattr(auth, "verify_password", lambda stored, pw: (stored == hashed and pw == GOOD, None))
    start = threading.Barrier(n)
    answers = []

    def log_in(i):
        start.wait()
        answers.append(auth.log_in(store, username=f"groep{i}", password=GOOD, address="192.0.2.50").error)

    threads = [threading.Thread(target=log_in, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [None] * n
