"""Accounts: usernames, passwords, login tokens, throttling and reset codes, as plain Python.

Nothing here knows about Streamlit or HTTP; the routes (lib/web/auth_web.py) and the pages call these
functions with a store. Every failure is returned as a short code (``"weak_common"``, ``"throttled"``)
that the pages turn into a message in her language through ``account.err.<code>``.

Why these choices:
- argon2id with memory 19 MiB, 3 passes, 1 lane: above OWASP's minimum (19 MiB, 2 passes, 1 lane) at a
  fraction of the library default's 64 MiB, so a burst of logins fits in memory; at most
  ``MAX_CONCURRENT_HASHES`` hashes run at once and the others wait their turn.
- The login cookie holds a random token; the server keeps only its SHA-256, with an expiry and a
  revocation time, so logging out or changing the password really ends a session.
- Wrong passwords are slowed per username and per client address with growing delays, capped at
  15 minutes, and the messages never say whether a username exists. An attempt on a username is
  counted before its password is checked, so parallel guesses get no more checks than the free tries;
  so is an attempt from a client address (20 free: a household or a practice's network shares one),
  and a success gives the address its try back, so only failures add up there.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import icu
import zxcvbn
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lib import clock, logs, tokens
from lib.store import AlreadyExists

log = logs.get("auth")

# -- parameters ----------------------------------------------------------------------------------
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1
MAX_CONCURRENT_HASHES = 4  # 4 x 19 MiB at most, whatever the burst

SESSION_DAYS = 30
DEVICE_DAYS = 180  # a browser where she logged in counts as hers for this long after her last login there
RESET_CODE_HOURS = 24

USERNAME_MIN, USERNAME_MAX = 3, 64
DISPLAY_NAME_MAX = 80
PASSWORD_MIN, PASSWORD_MAX = 8, 256
MIN_ZXCVBN_SCORE = 3
OIDC_USERNAME_PREFIX = "oidc:"

# Throttling: free tries, then a delay that doubles per further failure, capped.
USER_FREE_TRIES = 5
ADDRESS_FREE_TRIES = 20  # several people may share one address (a household, an office)
SIGNUP_FREE_TRIES = 20  # sign-ups per client address before they are slowed (each one says "taken" or not)
FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(hours=24)

_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)
_hash_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)
# A real hash of a random password: checking against it costs the same time as a real check, so a
# login for a username that does not exist takes as long as one with a wrong password.
_DUMMY_HASH: str | None = None


# -- usernames and passwords ------------------------------------------------------------------------
def normalise_username(raw: str | None) -> str:
    """NFKC, case-folded, trimmed: "  Anna " and "ANNA" are the same account."""
    return unicodedata.normalize("NFKC", raw or "").casefold().strip()


def username_problem(username: str) -> str | None:
    """An error code for a normalised username, or None when it is acceptable."""
    if len(username) < USERNAME_MIN:
        return "username_short"
    if len(username) > USERNAME_MAX:
        return "username_long"
    if any(unicodedata.category(ch).startswith("C") for ch in username):
        return "username_chars"
    if username.startswith(OIDC_USERNAME_PREFIX):
        return "username_chars"
    return None


def username_skeleton(username: str) -> str:
    """Her username's confusable skeleton (Unicode TR39, computed by ICU's spoof checker): two usernames
    that look alike, such as ``alice`` and ``аlice`` with a Cyrillic "а", or ``rn`` and ``m``, have the
    same skeleton. A new username whose skeleton is taken is refused."""
    return icu.SpoofChecker().getSkeleton(0, username)  # a checker per call: cheap, and no shared state


def display_name_problem(name: str) -> str | None:
    if len(name) > DISPLAY_NAME_MAX:
        return "display_name_long"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "display_name_chars"
    return None


# zxcvbn explains in English only; its warnings map to our own codes (account.err.weak_<code>).
_ZXCVBN_WARNINGS = {
    "Straight rows of keys are easy to guess.": "keyboard",
    "Short keyboard patterns are easy to guess.": "keyboard",
    'Repeats like "aaa" are easy to guess.': "repeat",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "repeat",
    'Sequences like "abc" or "6543" are easy to guess.': "sequence",
    "Recent years are easy to guess.": "dates",
    "Dates are often easy to guess.": "dates",
    "This is a top-10 common password.": "common",
    "This is a top-100 common password.": "common",
    "This is a very common password.": "common",
    "This is similar to a commonly used password.": "common",
    "A word by itself is easy to guess.": "word",
    "Names and surnames by themselves are easy to guess.": "names",
    "Common names and surnames are easy to guess.": "names",
}


PERSONAL_MIN = 4  # a username, a name or a word of one this long may not appear in her password


def personal_words(user_inputs: tuple[str, ...]) -> list[str]:
    """Her username and display name, and each word of them, case-folded, that has PERSONAL_MIN
    characters or more: what her password may not contain."""
    words: list[str] = []
    for raw in user_inputs:
        text = unicodedata.normalize("NFKC", raw or "").casefold().strip()
        for word in [text, *re.split(r"[\W_]+", text)]:
            if len(word) >= PERSONAL_MIN and word not in words:
                words.append(word)
    return words


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """An error code when the password is too short, too long, contains her username or name, or is too
    easy to guess; else None. Her username and name also go to zxcvbn, whatever the outcome."""
    if len(password) < PASSWORD_MIN:
        return "password_short"
    if len(password) > PASSWORD_MAX:
        return "password_long"
    words = personal_words(user_inputs)
    folded = unicodedata.normalize("NFKC", password).casefold()
    if any(word in folded for word in words):
        return "weak_personal"
    # zxcvbn slows down on very long input; the first 100 characters decide anyway.
    inputs = [u for u in user_inputs if u] + words
    result = zxcvbn.zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] >= MIN_ZXCVBN_SCORE:
        return None
    warning = (result.get("feedback") or {}).get("warning") or ""
    if any(u and u.casefold() in folded for u in user_inputs if len(u or "") >= 3):
        return "weak_personal"
    return "weak_" + _ZXCVBN_WARNINGS.get(warning, "guessable")


_slot_held = threading.local()


@contextmanager
def _hash_slot() -> Iterator[None]:
    """One of the ``MAX_CONCURRENT_HASHES`` slots; re-entrant within a thread (a login holds its slot
    from reserving its attempt on the address to the end of the password check)."""
    if getattr(_slot_held, "depth", 0):
        _slot_held.depth += 1
        try:
            yield
        finally:
            _slot_held.depth -= 1
        return
    with _hash_slots:
        _slot_held.depth = 1
        try:
            yield
        finally:
            _slot_held.depth = 0


def hash_password(password: str) -> str:
    with _hash_slot():
        return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one used other parameters and should be replaced)."""
    global _DUMMY_HASH
    with _hash_slot():
        if not stored_hash:
            if _DUMMY_HASH is None:
                _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
            with suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            return False, None
        try:
            _hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, None
        needs = _hasher.check_needs_rehash(stored_hash)
        return True, (_hasher.hash(password) if needs else None)


# -- tokens and codes --------------------------------------------------------------------------------
new_token, token_hash = tokens.new_token, tokens.token_hash  # lib/tokens.py


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or typed from paper


def new_reset_code() -> str:
    """Twelve characters (60 bits) in three groups, easy to read out: ``K7QM-2XPA-9RDT``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_reset_code(code: str | None) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]", "", code or "").upper()
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}" if len(cleaned) == 12 else cleaned


PENDING_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DEVICE_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # new_token(): 32 random bytes, URL-safe base64


# -- throttling --------------------------------------------------------------------------------------
def throttle_keys(username: str, address: str | None) -> list[tuple[str, int]]:
    """(stored key, free tries) for a login attempt; keys are hashed so the table holds no names."""
    keys = [(token_hash("user:" + username), USER_FREE_TRIES)]
    if address:
        keys.append((token_hash("addr:" + address), ADDRESS_FREE_TRIES))
    return keys


def delay_after(failures: int, free_tries: int) -> dt.timedelta:
    """How long to wait after ``failures`` failed tries: nothing at first, then 30 s doubling to 15 min."""
    if failures < free_tries:
        return dt.timedelta(0)
    return min(MAX_DELAY, FIRST_DELAY * (2 ** (failures - free_tries)))


def _minutes_until(end: dt.datetime) -> int:
    """Whole minutes left until ``end``, rounded up, at least 1."""
    return max(1, -(-int((end - clock.now_utc()).total_seconds()) // 60))


def _blocked_minutes(store, keys: list[tuple[str, int]]) -> int:
    """Minutes left while any key is blocked (rounded up), else 0."""
    now = clock.now_utc()
    ends = []
    for key, _free in keys:
        row = store.login_failure(key)
        if row and row["blocked_until"]:
            ends.append(dt.datetime.fromisoformat(row["blocked_until"]))
    ends = [end for end in ends if end > now]
    return _minutes_until(max(ends)) if ends else 0


def _reserve(store, keys: list[tuple[str, int]]) -> int:
    """Count this attempt on her username *before* the password is checked (so parallel guesses get no
    more than the free tries), after checking that no key is blocked; minutes to wait, else 0.

    The address keys are only checked here and counted on a failure (``_failed``): many participants
    logging in at the same moment from one practice's network must not block each other."""
    (user_key, user_free), others = keys[0], keys[1:]
    blocked = store.reserve_login_attempt(
        [(user_key, lambda n: delay_after(n, user_free))], clock.now_utc(), FORGET_AFTER,
        check_only=tuple(k for k, _free in others),
    )
    return _minutes_until(blocked) if blocked else 0


def _reserve_address(store, keys: list[tuple[str, int]]) -> int:
    """Count this attempt on the address keys before the password is checked; minutes to wait, else 0."""
    others = keys[1:]
    if not others:
        return 0
    blocked = store.reserve_login_attempt(
        [(key, lambda n, free=free: delay_after(n, free)) for key, free in others], clock.now_utc(), FORGET_AFTER)
    return _minutes_until(blocked) if blocked else 0


def signup_throttled(store, address: str | None) -> int:
    """Count a sign-up from this address, before it is told whether the username is free; minutes to wait
    while the address is blocked, else 0. SIGNUP_FREE_TRIES a day are free (a practice may sign up a
    group on one network), then the delays grow as for logins."""
    if not address:
        return 0
    key = token_hash("signup:" + address)
    blocked = store.reserve_login_attempt([(key, lambda n: delay_after(n, SIGNUP_FREE_TRIES))], clock.now_utc(),
                                          FORGET_AFTER)
    return _minutes_until(blocked) if blocked else 0


# -- known devices (OWASP's device cookie) --------------------------------------------------------------
def _device_since() -> str:
    return (clock.now_to_second() - dt.timedelta(days=DEVICE_DAYS)).isoformat()


def device_keys(store, user: dict | None, device: str | None) -> list[tuple[str, int]] | None:
    """The throttle key of this browser for her, when its device cookie shows she logged in here in the
    last DEVICE_DAYS; else None (and the username and address keys apply).

    A blocked username stays blocked for strangers (delays grow to 15 minutes, and anyone can keep them
    going), but her own browser is judged on its own failures only: the counts live in the database
    (``login_failures``, ``login_devices``), so every app server agrees."""
    if user is None or not device or not DEVICE_TOKEN_RE.match(device):
        return None
    if not store.known_login_device(user["id"], token_hash(device), _device_since()):
        return None
    return [(token_hash(f"device:{user['id']}:{device}"), USER_FREE_TRIES)]


def remember_device(store, user_id: int, device: str | None) -> str:
    """She logged in on this browser: remember it for her; the device cookie's value to (re)set.

    One value per browser: a tablet a household shares is a known device for each who logged in on it."""
    token = device if device and DEVICE_TOKEN_RE.match(device) else new_token()
    now = clock.iso_now()
    store.remember_login_device(user_id, token_hash(token), now, _device_since())
    return token


def _succeeded(store, keys: list[tuple[str, int]]) -> None:
    store.login_succeeded(keys[0][0], [])


# -- the account operations ------------------------------------------------------------------------------
@dataclass
class Result:
    """What an account operation gives back: ``error`` (a code) or a user id and a new cookie token."""

    error: str | None = None
    user_id: int | None = None
    token: str | None = None
    minutes: int = 0  # for "throttled": how long to wait
    errors: tuple[str, ...] = ()  # every problem of a sign-up form (``error`` is the first)

    @property
    def ok(self) -> bool:
        return self.error is None


def start_session(store, user_id: int) -> str:
    """A new login token for her; only its hash is stored, valid for SESSION_DAYS."""
    token = new_token()
    now = clock.now_to_second()
    store.create_auth_session(user_id, token_hash(token), now.isoformat(),
                              (now + dt.timedelta(days=SESSION_DAYS)).isoformat())
    return token


def user_for_token(store, token: str | None) -> dict | None:
    """The user a cookie token belongs to while it is neither expired nor revoked."""
    if not token or len(token) > 200:
        return None
    return store.user_for_session(token_hash(token), clock.iso_now())


def known_timezone(name: str | None) -> str | None:
    """``name`` when it is an IANA time zone this machine knows, else None (the default zone then applies)."""
    if not name or len(name) > 64:
        return None
    import zoneinfo

    return name if name in zoneinfo.available_timezones() else None


def new_password_problem(password: str, *, username: str, display_name: str = "") -> str | None:
    """The sign-up's password rule for this username and name: the form's live check (the
    ``/session/password-check`` route) and the sign-up itself call this one function, so they agree."""
    return password_problem(password, (normalise_username(username), (display_name or "").strip()))


def sign_up_problems(*, username: str, password: str, display_name: str = "", consent: bool = False) -> list[str]:
    """Every field's problem at once (username, name, consent, password), in the form's order, so each
    can be shown at its own field; empty when the form is fine."""
    checks = (
        username_problem(normalise_username(username)),
        display_name_problem((display_name or "").strip()),
        None if consent else "consent_needed",
        new_password_problem(password, username=username, display_name=display_name),
    )
    return [c for c in checks if c]


def sign_up(store, *, username: str, password: str, display_name: str = "", lang: str = "nl",
            timezone: str | None = None, consent: bool = False, address: str | None = None) -> Result:
    """Create a participant (never a practitioner) and log her in.

    Whether a username is taken is an answer worth guessing at, so every sign-up that gets that far is
    counted per client address first (``signup_throttled``)."""
    timezone = known_timezone(timezone)  # the browser sends it; anything else is not stored
    name = normalise_username(username)
    display_name = (display_name or "").strip()
    problems = sign_up_problems(username=username, password=password, display_name=display_name, consent=consent)
    if problems:
        return Result(error=problems[0], errors=tuple(problems))
    minutes = signup_throttled(store, address)
    if minutes:
        return Result(error="throttled", minutes=minutes)
    if store.user_by_username(name) is not None:
        return Result(error="username_taken")
    skeleton = username_skeleton(name)
    if store.user_by_skeleton(skeleton) is not None:
        return Result(error="username_lookalike")
    hashed = hash_password(password)
    try:
        uid = store.create_user(name, display_name=display_name or name, password_hash=hashed, role="participant",
                                lang=lang, timezone=timezone, health_consent=True, skeleton=skeleton)
    except AlreadyExists:
        return Result(error="username_taken")  # taken by a sign-up that finished in between
    return Result(user_id=uid, token=start_session(store, uid))


def log_in(store, *, username: str, password: str, address: str | None = None,
           device: str | None = None) -> Result:
    """Check the password (throttled); on success a new session token. One message for every failure.

    ``device`` is the browser's device cookie: when she logged in on this browser before, only failures
    on this browser slow it down (``device_keys``), so nobody elsewhere can lock her out."""
    name = normalise_username(username)
    user = store.user_by_username(name) if name else None
    keys = device_keys(store, user, device) or throttle_keys(name, address)
    minutes = _reserve(store, keys)
    if minutes:
        log.warning("login throttled for %s more minute(s)", minutes)
        return Result(error="throttled", minutes=minutes)
    # The attempt is counted on the client address too *before* its password is checked, inside the
    # hashing slot: a burst of parallel guesses from one address then gets no more checks than its
    # free tries (counting after the hash let 46 of 80 through). Holding the slot while reserving means
    # at most MAX_CONCURRENT_HASHES reservations are outstanding at once, and a success takes its
    # reservation back, so a group logging in together from one network is never refused.
    with _hash_slot():
        minutes = _reserve_address(store, keys)
        if minutes:
            return Result(error="throttled", minutes=minutes)
        ok, new_hash = verify_password(user["password_hash"] if user else None, password or "")
    if not ok:
        minutes = _blocked_minutes(store, keys)
        # Never the typed username: it may be her password typed in the wrong field.
        log.warning("login failed: %s", "now throttled" if minutes else "wrong username or password")
        return Result(error="throttled", minutes=minutes) if minutes else Result(error="bad_login")
    if new_hash:
        store.set_password_hash(user["id"], new_hash, revoke_sessions=False)
    store.login_succeeded(keys[0][0], keys[1:])  # forget her username's count; give the address its try back
    return Result(user_id=user["id"], token=start_session(store, user["id"]))


def log_out(store, token: str | None) -> None:
    if token:
        store.revoke_auth_session(token_hash(token))


def change_password(store, user_id: int, *, old: str, new: str) -> Result:
    """Asks for the old password; ends every session of hers and starts a fresh one for this device."""
    user = store.get_user(user_id)
    if user is None:
        return Result(error="bad_login")
    keys = throttle_keys("#id:" + str(user_id), None)
    minutes = _reserve(store, keys)
    if minutes:
        return Result(error="throttled", minutes=minutes)
    ok, _ = verify_password(user["password_hash"], old or "")
    if not ok:
        return Result(error="old_password_wrong")
    _succeeded(store, keys)
    problem = password_problem(new, (user["username"], user["display_name"]))
    if problem:
        return Result(error=problem)
    store.set_password_hash(user_id, hash_password(new), revoke_sessions=True)
    return Result(user_id=user_id, token=start_session(store, user_id))


def issue_reset_code(store, username: str) -> str | None:
    """A one-time code for her, valid RESET_CODE_HOURS; None when there is no such user."""
    user = store.user_by_username(normalise_username(username))
    if user is None:
        return None
    code = new_reset_code()
    now = clock.now_to_second()
    store.create_reset_code(user["id"], token_hash(code), now.isoformat(),
                            (now + dt.timedelta(hours=RESET_CODE_HOURS)).isoformat())
    log.info("reset code issued: user=%s", user["id"])
    return code


def use_reset_code(store, *, username: str, code: str, new_password: str, address: str | None = None) -> Result:
    """Set a new password with a practitioner's code (throttled like a login); logs her in.

    The attempt is counted before anything else is looked at, and her new password is compared with her
    name only once the code has proved that she is the one it was issued to: a made-up code answers
    "bad_reset" whatever the password, so the form cannot be used to guess her display name."""
    name = normalise_username(username)
    keys = throttle_keys(name, address)
    minutes = _reserve(store, keys)
    if minutes:
        return Result(error="throttled", minutes=minutes)
    now = clock.iso_now()
    code_hash = token_hash(normalise_reset_code(code))
    user = store.user_by_username(name) if name else None
    with _hash_slot():  # the address is counted before anything else too, as for a login (see log_in)
        minutes = _reserve_address(store, keys)
        if minutes:
            return Result(error="throttled", minutes=minutes)
        if user is None or not store.reset_code_valid(user["id"], code_hash, now):
            minutes = _blocked_minutes(store, keys)
            return Result(error="throttled", minutes=minutes) if minutes else Result(error="bad_reset")
        problem = password_problem(new_password, (name, user["display_name"]))
        if problem:
            store.login_succeeded(keys[0][0], keys[1:])  # her code is right: her own typing, not a guess
            return Result(error=problem)
        hashed = hash_password(new_password)
    if not store.consume_reset_code(user["id"], code_hash, now, hashed):  # used up meanwhile (another tab)
        return Result(error="bad_reset")
    store.login_succeeded(keys[0][0], keys[1:])
    return Result(user_id=user["id"], token=start_session(store, user["id"]))


def create_oidc_user(store, *, issuer: str, subject: str, display_name: str, lang: str,
                     timezone: str | None, consent: bool) -> Result:
    """An account keyed on the provider's issuer and subject (never on e-mail), after her consent."""
    if not consent:
        return Result(error="consent_needed")
    timezone = known_timezone(timezone)
    display_name = (display_name or "").strip()[:DISPLAY_NAME_MAX]
    existing = store.user_by_oidc(issuer, subject)
    if existing:
        return Result(user_id=existing["id"])
    name = OIDC_USERNAME_PREFIX + token_hash(issuer + "\n" + subject)[:20]
    uid = store.create_user(name, display_name=display_name, oidc_issuer=issuer, oidc_subject=subject,
                            lang=lang, timezone=timezone, health_consent=True)
    log.info("practice login became an account: user=%s", uid)
    return Result(user_id=uid)


def delete_account(store, user: dict) -> None:
    """Remove her and every row of hers, her login throttling entries included."""
    store.delete_user(user["id"], tuple(k for k, _ in throttle_keys(user["username"], None)))
    log.info("account deleted with every row of hers: user=%s", user["id"])


def create_practitioner(store, name: str, display_name: str = "") -> tuple[int, str]:
    """A practitioner account without a password, and a reset code with which she sets one."""
    username = normalise_username(name)
    problem = username_problem(username)
    if problem:
        raise ValueError(f"invalid username: {problem}")
    if store.user_by_username(username) is not None:
        raise ValueError("that username is taken")
    skeleton = username_skeleton(username)
    if store.user_by_skeleton(skeleton) is not None:
        raise ValueError("that username looks like one that is taken")
    uid = store.create_user(username, display_name=display_name or name.strip(), role="practitioner",
                            skeleton=skeleton)
    log.info("practitioner account created: user=%s", uid)
    code = issue_reset_code(store, username)
    assert code is not None
    return uid, code
