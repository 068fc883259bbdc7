"""A second store: in memory, dict-backed, no SQL. It implements ``lib.store.StoreInterface``.

The service tests run on it as well as on SQLite (see the ``store`` fixtures of those modules): the
services then cannot lean on anything but the interface, so a later backend (PostgreSQL is planned)
needs no change to a service or a page. One lock makes each method one unit of work, as a
transaction does in a database.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import json
import secrets
import threading
from collections.abc import Callable, Iterable

from lib import clock
from lib.store.errors import AlreadyExists, InvalidRow
from lib.store.interface import log_fields

SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "code_hash"})
PENDING_TTL = dt.timedelta(hours=1)
CHALLENGE_FIELDS = {"magnesium_start", "method", "planned_amount", "amount_unit", "goal", "status", "ended_at",
                    "calendar_file"}


def _float(value):
    return None if value is None else float(value)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class MemoryStore:
    """Every table a dict; rows are copied in and out, so nobody changes a stored row by accident."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.users: dict[int, dict] = {}
        self.auth_sessions: dict[str, dict] = {}
        self.login_failures: dict[str, dict] = {}
        self.reset_codes: dict[str, dict] = {}
        self.pending_quiz: dict[str, dict] = {}
        self.quiz_results: dict[int, dict] = {}
        self.challenges_: dict[int, dict] = {}
        self.assessments_: dict[int, dict] = {}
        self.daily_logs_: dict[tuple[int, str], dict] = {}
        self.login_devices: dict[tuple[str, int], dict] = {}
        self._ids = itertools.count(1)

    def _next_id(self) -> int:
        return next(self._ids)

    def damaged(self) -> str | None:
        return None

    def _tables(self) -> dict[str, dict]:
        return {"users": self.users, "auth_sessions": self.auth_sessions, "login_failures": self.login_failures,
                "reset_codes": self.reset_codes, "pending_quiz": self.pending_quiz,
                "quiz_results": self.quiz_results, "challenges": self.challenges_,
                "assessments": self.assessments_, "daily_logs": self.daily_logs_,
                "login_devices": self.login_devices}

    def table_counts(self) -> dict[str, int]:
        """Rows per table (what the SQLite store's test helper of the same name gives)."""
        with self._lock:
            return {name: len(rows) for name, rows in self._tables().items()}

    # -- users and her settings ------------------------------------------------------------------
    def create_user(self, username: str, *, display_name: str = "", password_hash: str | None = None,
                    oidc_issuer: str | None = None, oidc_subject: str | None = None, role: str = "participant",
                    lang: str = "nl", timezone: str | None = None, health_consent: bool = False,
                    skeleton: str | None = None) -> int:
        now = clock.iso_now()
        if role not in ("participant", "practitioner"):
            raise InvalidRow(f"role {role!r}")
        with self._lock:
            for u in self.users.values():
                if u["username"] == username:
                    raise AlreadyExists("username")
                if skeleton is not None and u["username_skeleton"] == skeleton:
                    raise AlreadyExists("username skeleton")
                if oidc_issuer is not None and oidc_subject is not None and (
                        u["oidc_issuer"], u["oidc_subject"]) == (oidc_issuer, oidc_subject):
                    raise AlreadyExists("oidc identity")
            uid = self._next_id()
            self.users[uid] = {
                "id": uid, "username": username, "display_name": display_name, "password_hash": password_hash,
                "oidc_issuer": oidc_issuer, "oidc_subject": oidc_subject, "role": role, "lang": lang,
                "timezone": timezone, "health_consent_at": now if health_consent else None,
                "share_with_practitioner": 0, "created_at": now, "username_skeleton": skeleton,
            }
            return uid

    def get_user(self, user_id: int) -> dict | None:
        with self._lock:
            return copy.deepcopy(self.users.get(user_id))

    def user_by_username(self, username: str) -> dict | None:
        with self._lock:
            return copy.deepcopy(next((u for u in self.users.values() if u["username"] == username), None))

    def user_by_oidc(self, issuer: str, subject: str) -> dict | None:
        with self._lock:
            return copy.deepcopy(next((u for u in self.users.values()
                                       if (u["oidc_issuer"], u["oidc_subject"]) == (issuer, subject)), None))

    def user_by_skeleton(self, skeleton: str) -> dict | None:
        with self._lock:
            return copy.deepcopy(next((u for u in self.users.values() if u["username_skeleton"] == skeleton), None))

    def _set(self, user_id: int, **values) -> None:
        with self._lock:
            if user_id in self.users:
                self.users[user_id].update(values)

    def set_user_lang(self, user_id: int, lang: str) -> None:
        self._set(user_id, lang=lang)

    def set_user_timezone(self, user_id: int, timezone: str) -> None:
        self._set(user_id, timezone=timezone)

    def set_share_with_practitioner(self, user_id: int, share: bool) -> None:
        self._set(user_id, share_with_practitioner=int(share))

    def set_health_consent(self, user_id: int) -> None:
        with self._lock:
            user = self.users.get(user_id)
            if user is not None and user["health_consent_at"] is None:
                user["health_consent_at"] = clock.iso_now()

    def set_password_hash(self, user_id: int, password_hash: str, *, revoke_sessions: bool) -> None:
        with self._lock:
            self._set(user_id, password_hash=password_hash)
            if revoke_sessions:
                self._revoke_all(user_id, clock.iso_now())

    def _revoke_all(self, user_id: int, now: str) -> None:
        for s in self.auth_sessions.values():
            if s["user_id"] == user_id and s["revoked_at"] is None:
                s["revoked_at"] = now

    # -- login sessions, throttling, reset codes -------------------------------------------------
    def create_auth_session(self, user_id: int, token_hash: str, created_at: str, expires_at: str) -> None:
        with self._lock:
            if user_id not in self.users:
                raise InvalidRow("no such user")
            for key, s in list(self.auth_sessions.items()):
                if s["user_id"] == user_id and (s["expires_at"] < created_at or (
                        s["revoked_at"] is not None and s["revoked_at"] < created_at[:10])):
                    del self.auth_sessions[key]
            if token_hash in self.auth_sessions:
                raise AlreadyExists("token")
            self.auth_sessions[token_hash] = {"token_hash": token_hash, "user_id": user_id, "created_at": created_at,
                                              "expires_at": expires_at, "revoked_at": None}

    def user_for_session(self, token_hash: str, now: str) -> dict | None:
        with self._lock:
            s = self.auth_sessions.get(token_hash)
            if s is None or s["revoked_at"] is not None or not s["expires_at"] > now:
                return None
            return copy.deepcopy(self.users.get(s["user_id"]))

    def revoke_auth_session(self, token_hash: str) -> None:
        with self._lock:
            s = self.auth_sessions.get(token_hash)
            if s is not None and s["revoked_at"] is None:
                s["revoked_at"] = clock.iso_now()

    def login_failure(self, key: str) -> dict | None:
        with self._lock:
            return copy.deepcopy(self.login_failures.get(key))

    def reserve_login_attempt(self, keys: list[tuple[str, Callable[[int], dt.timedelta]]], now: dt.datetime,
                              forget_after: dt.timedelta, check_only: tuple[str, ...] = ()) -> dt.datetime | None:
        with self._lock:
            rows = {key: self.login_failures.get(key) for key in [k for k, _d in keys] + list(check_only)}
            ends = [dt.datetime.fromisoformat(r["blocked_until"]) for r in rows.values() if r and r["blocked_until"]]
            ends = [end for end in ends if end > now]
            if ends:
                return max(ends)
            for key, delay in keys:
                row = rows[key]
                failures = 1
                if row is not None and dt.datetime.fromisoformat(row["last_failure_at"]) > now - forget_after:
                    failures = row["failures"] + 1
                wait = delay(failures)
                self.login_failures[key] = {
                    "key": key, "failures": failures, "last_failure_at": now.isoformat(),
                    "blocked_until": (now + wait).isoformat() if wait > dt.timedelta(0) else None,
                }
            quiet = (now - forget_after).isoformat()
            for key in [k for k, r in self.login_failures.items() if r["last_failure_at"] < quiet]:
                del self.login_failures[key]
            return None

    def login_succeeded(self, forget_key: str, undo_keys: list[tuple[str, int]]) -> None:
        with self._lock:
            self.login_failures.pop(forget_key, None)
            for key, free in undo_keys:
                row = self.login_failures.get(key)
                if row is not None:
                    if row["failures"] - 1 < free:
                        row["blocked_until"] = None
                    row["failures"] = max(row["failures"] - 1, 0)

    def create_reset_code(self, user_id: int, code_hash: str, created_at: str, expires_at: str) -> None:
        with self._lock:
            if code_hash in self.reset_codes:
                raise AlreadyExists("code")
            self.reset_codes[code_hash] = {"code_hash": code_hash, "user_id": user_id, "created_at": created_at,
                                           "expires_at": expires_at, "used_at": None}

    def reset_code_valid(self, user_id: int, code_hash: str, now: str) -> bool:
        with self._lock:
            code = self.reset_codes.get(code_hash)
            return (code is not None and code["user_id"] == user_id and code["used_at"] is None
                    and code["expires_at"] > now)

    def remember_login_device(self, user_id: int, token_hash: str, now: str, forget_before: str) -> None:
        with self._lock:
            for key in [k for k, d in self.login_devices.items()
                        if d["user_id"] == user_id and d["last_login_at"] < forget_before]:
                del self.login_devices[key]
            device = self.login_devices.get((token_hash, user_id))
            if device is not None:
                device["last_login_at"] = now
            else:
                self.login_devices[(token_hash, user_id)] = {"token_hash": token_hash, "user_id": user_id,
                                                             "created_at": now, "last_login_at": now}

    def known_login_device(self, user_id: int, token_hash: str, since: str) -> bool:
        with self._lock:
            device = self.login_devices.get((token_hash, user_id))
            return device is not None and device["last_login_at"] >= since

    def consume_reset_code(self, user_id: int, code_hash: str, now: str, new_password_hash: str) -> bool:
        with self._lock:
            code = self.reset_codes.get(code_hash)
            if (code is None or code["user_id"] != user_id or code["used_at"] is not None
                    or not code["expires_at"] > now):
                return False
            code["used_at"] = now
            self.users[user_id]["password_hash"] = new_password_hash
            self._revoke_all(user_id, now)
            return True

    # -- her whole account -----------------------------------------------------------------------
    def _user_tables(self) -> dict[str, dict]:
        return {name: rows for name, rows in sorted(self._tables().items())
                if name not in ("users", "login_failures", "pending_quiz")}

    def export_user_data(self, user_id: int) -> dict[str, list[dict]]:
        with self._lock:
            out = {"users": [{k: v for k, v in u.items() if k not in SECRET_COLUMNS}
                             for u in self.users.values() if u["id"] == user_id]}
            for name, rows in self._user_tables().items():
                out[name] = [{k: v for k, v in r.items() if k not in SECRET_COLUMNS}
                             for r in rows.values() if r["user_id"] == user_id]
            return copy.deepcopy(out)

    def user_row_counts(self, user_id: int) -> dict[str, int]:
        with self._lock:
            counts = {"users": int(user_id in self.users)}
            for name, rows in self._user_tables().items():
                counts[name] = sum(1 for r in rows.values() if r["user_id"] == user_id)
            return counts

    def delete_user(self, user_id: int, throttle_keys: tuple[str, ...] = ()) -> None:
        with self._lock:
            for rows in self._user_tables().values():
                for key in [k for k, r in rows.items() if r["user_id"] == user_id]:
                    del rows[key]
            for key in throttle_keys:
                self.login_failures.pop(key, None)
            self.users.pop(user_id, None)

    # -- parked and saved quizzes ------------------------------------------------------------------
    def park_pending_quiz(self, answers: dict) -> str:
        token = secrets.token_urlsafe(24)
        now = clock.now_utc().replace(microsecond=0)
        with self._lock:
            for key in [k for k, r in self.pending_quiz.items() if r["expires_at"] < now.isoformat()]:
                del self.pending_quiz[key]
            self.pending_quiz[_hash(token)] = {"token_hash": _hash(token), "answers": json.dumps(answers),
                                               "created_at": now.isoformat(),
                                               "expires_at": (now + PENDING_TTL).isoformat()}
        return token

    def claim_pending_quiz(self, token: str) -> dict | None:
        if not token:
            return None
        now = clock.now_utc().replace(microsecond=0).isoformat()
        with self._lock:
            row = self.pending_quiz.pop(_hash(token), None)
        if row is None or row["expires_at"] < now:
            return None
        return json.loads(row["answers"])

    def pending_quiz_parked_at(self, token: str) -> str | None:
        if not token:
            return None
        now = clock.now_utc().replace(microsecond=0).isoformat()
        with self._lock:
            row = self.pending_quiz.get(_hash(token))
            return row["created_at"] if row is not None and row["expires_at"] >= now else None

    def discard_pending_quiz(self, token: str) -> None:
        if not token:
            return
        with self._lock:
            self.pending_quiz.pop(_hash(token), None)

    def save_quiz_result(self, user_id: int, result) -> int:
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        with self._lock:
            if user_id not in self.users:
                raise InvalidRow("no such user")
            qid = self._next_id()
            self.quiz_results[qid] = {
                "id": qid, "user_id": int(user_id), "taken_at": clock.now_utc().replace(microsecond=0).isoformat(),
                "question_set_version": str(data["version"]), "answers": json.dumps(data["answers"]),
                "signal_score": _float(data.get("signal_score")), "signal_band": data.get("signal_band"),
                "mds": data.get("mds"), "contributors": json.dumps(data.get("contributors") or []),
                "safety_flags": json.dumps(data.get("safety_flags") or []),
            }
            return qid

    @staticmethod
    def _decode_quiz(row: dict) -> dict:
        answers = json.loads(row["answers"])
        return {
            "id": row["id"], "taken_at": row["taken_at"], "question_set_version": row["question_set_version"],
            "answers": answers,
            "signals": {k: int(v) for k, v in (answers.get("signals") or {}).items() if v is not None},
            "signal_score": row["signal_score"], "signal_band": row["signal_band"], "mds": row["mds"],
            "contributors": json.loads(row["contributors"]), "safety_flags": json.loads(row["safety_flags"]),
        }

    def quiz_history(self, user_id: int, limit: int = 50) -> list[dict]:
        with self._lock:
            rows = [r for r in self.quiz_results.values() if r["user_id"] == int(user_id)]
        rows.sort(key=lambda r: (r["taken_at"], r["id"]), reverse=True)
        return [self._decode_quiz(r) for r in rows[: int(limit)]]

    def latest_quiz_result(self, user_id: int) -> dict | None:
        history = self.quiz_history(user_id, 1)
        return history[0] if history else None

    # -- challenges and their tests --------------------------------------------------------------
    def create_challenge(self, user_id: int, *, start_date: str, with_baseline: bool, method: str,
                         planned_amount: float | None = None, amount_unit: str | None = None, goal: str = "",
                         magnesium_start: str | None = None, pre_test: dict | None = None,
                         pre_score: float | None = None, primary_outcome: str | None = None) -> int:
        now = clock.iso_now()
        with self._lock:
            if user_id not in self.users:
                raise InvalidRow("no such user")
            if any(c["user_id"] == user_id and c["status"] == "active" for c in self.challenges_.values()):
                raise AlreadyExists("an active challenge")
            cid = self._next_id()
            self.challenges_[cid] = {
                "id": cid, "user_id": user_id, "created_at": now, "start_date": start_date,
                "with_baseline": int(with_baseline), "magnesium_start": magnesium_start, "method": method,
                "planned_amount": _float(planned_amount), "amount_unit": amount_unit, "goal": goal,
                "status": "active", "ended_at": None, "primary_outcome": primary_outcome, "calendar_file": None,
            }
            if pre_test is not None:
                self._put_assessment(user_id, cid, "pre", now, pre_test, pre_score)
            return cid

    def _put_assessment(self, user_id, cid, kind, now, answers, score) -> None:
        existing = next((a for a in self.assessments_.values() if a["challenge_id"] == cid and a["kind"] == kind),
                        None)
        if existing is not None:
            existing.update(taken_at=now, answers=json.dumps(answers), score=_float(score))
            return
        aid = self._next_id()
        self.assessments_[aid] = {"id": aid, "user_id": user_id, "challenge_id": cid, "kind": kind, "taken_at": now,
                                  "answers": json.dumps(answers), "score": _float(score)}

    def _hers(self, user_id: int, challenge_id: int) -> dict | None:
        c = self.challenges_.get(challenge_id)
        return c if c is not None and c["user_id"] == user_id else None

    def active_challenge(self, user_id: int) -> dict | None:
        with self._lock:
            return copy.deepcopy(next((c for c in self.challenges_.values()
                                       if c["user_id"] == user_id and c["status"] == "active"), None))

    def challenges(self, user_id: int) -> list[dict]:
        with self._lock:
            rows = [copy.deepcopy(c) for c in self.challenges_.values() if c["user_id"] == user_id]
        return sorted(rows, key=lambda c: (c["start_date"], c["id"]), reverse=True)

    def set_magnesium_start(self, user_id: int, challenge_id: int, day: str) -> bool:
        with self._lock:
            c = self._hers(user_id, challenge_id)
            if c is None or c["status"] != "active":
                return False
            c["magnesium_start"] = day
            for row in self.daily_logs_.values():
                if row["user_id"] == user_id and row["challenge_id"] == challenge_id:
                    row["phase"] = "magnesium" if row["day"] >= day else "baseline"
            return True

    def set_calendar_file(self, user_id: int, challenge_id: int, dates: str) -> bool:
        with self._lock:
            c = self._hers(user_id, challenge_id)
            if c is None:
                return False
            c["calendar_file"] = dates
            return True

    def close_challenge(self, user_id: int, challenge_id: int, status: str) -> bool:
        with self._lock:
            c = self._hers(user_id, challenge_id)
            if c is None or c["status"] != "active":
                return False
            c.update(status=status, ended_at=clock.iso_now())
            return True

    def save_assessment(self, user_id: int, challenge_id: int, kind: str, answers: dict, score: float | None,
                        *, close_challenge_as: str | None = None) -> None:
        now = clock.iso_now()
        with self._lock:
            c = self._hers(user_id, challenge_id)
            if c is None:
                raise PermissionError("not her challenge")
            if kind not in ("pre", "post"):
                raise InvalidRow(f"kind {kind!r}")
            self._put_assessment(user_id, challenge_id, kind, now, answers, score)
            if close_challenge_as:
                c.update(status=close_challenge_as, ended_at=now)

    def assessments(self, user_id: int, challenge_id: int) -> dict[str, dict]:
        with self._lock:
            rows = [copy.deepcopy(a) for a in self.assessments_.values()
                    if a["user_id"] == user_id and a["challenge_id"] == challenge_id]
        for a in rows:
            a["answers"] = json.loads(a["answers"])
        return {a["kind"]: a for a in rows}

    # -- the daily log ---------------------------------------------------------------------------
    @staticmethod
    def _check_entry(entry: dict) -> None:
        if entry.get("phase") not in ("baseline", "magnesium") or entry.get("applied") not in (0, 1, True, False):
            raise InvalidRow("phase or applied")
        for field in log_fields():
            value = entry.get(field)
            if field in ("challenge_id", "phase", "applied", "method", "note") or value is None:
                continue
            if field == "amount" or field in LOG_COUNTS:
                if value < 0:
                    raise InvalidRow(field)
            elif not 0 <= value <= 10:
                raise InvalidRow(field)

    def _write_log(self, user_id: int, day: str, entry: dict, now: str) -> None:
        self._check_entry(entry)
        row = {"user_id": user_id, "day": day}
        for field in log_fields():
            row[field] = entry.get(field)
        row["applied"] = int(row["applied"])
        row["amount"] = _float(row["amount"])
        row["note"] = entry.get("note") or ""
        old = self.daily_logs_.get((user_id, day))
        row["created_at"] = old["created_at"] if old else now
        row["updated_at"] = now
        self.daily_logs_[(user_id, day)] = row

    def upsert_daily_log(self, user_id: int, day: str, entry: dict) -> None:
        with self._lock:
            if user_id not in self.users:
                raise InvalidRow("no such user")
            self._write_log(user_id, day, entry, clock.iso_now())

    def save_daily_log(self, user_id: int, day: str, entry: dict, *,
                       replace: bool = False) -> tuple[bool, dict | None]:
        with self._lock:
            existing = copy.deepcopy(self.daily_logs_.get((user_id, day)))
            if existing is not None and not replace:
                return False, existing
            if entry.get("challenge_id") is not None and self._hers(user_id, entry["challenge_id"]) is None:
                raise PermissionError("not her challenge")
            self._write_log(user_id, day, entry, clock.iso_now())
            return True, existing

    def _logs(self, user_id: int) -> list[dict]:
        return sorted((r for r in self.daily_logs_.values() if r["user_id"] == user_id), key=lambda r: r["day"])

    def log_days(self, user_id: int, *, challenge_id: int | None = None) -> list[str]:
        with self._lock:
            return [r["day"] for r in self._logs(user_id) if challenge_id is None or r["challenge_id"] == challenge_id]

    def daily_log(self, user_id: int, day: str) -> dict | None:
        with self._lock:
            return copy.deepcopy(self.daily_logs_.get((user_id, day)))

    def daily_logs(self, user_id: int, *, challenge_id: int | None = None, start: str | None = None,
                   end: str | None = None) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(r) for r in self._logs(user_id)
                    if (challenge_id is None or r["challenge_id"] == challenge_id)
                    and (start is None or r["day"] >= start) and (end is None or r["day"] <= end)]

    def logged_days(self, user_id: int, days: Iterable[str]) -> set[str]:
        wanted = set(days)
        with self._lock:
            return {r["day"] for r in self._logs(user_id) if r["day"] in wanted}

    # -- Progress ----------------------------------------------------------------------------------
    def progress_state(self, user_id: int) -> tuple[list[dict], tuple]:
        with self._lock:
            challenges = self.challenges(user_id)
            logs = tuple(tuple(sorted(r.items())) for r in self._logs(user_id))
            tests = tuple(sorted((a["challenge_id"], a["kind"], a["taken_at"]) for a in self.assessments_.values()
                                 if a["user_id"] == user_id))
        chs = tuple((c["id"], c["status"], c["magnesium_start"], c["start_date"], c["with_baseline"])
                    for c in challenges)
        return challenges, (len(logs), logs, chs, tests)

    def progress_data(self, user_id: int) -> tuple[list[dict], list[dict], dict[int, dict[str, dict]]]:
        with self._lock:
            challenges = self.challenges(user_id)
            logs = [copy.deepcopy(r) for r in self._logs(user_id)]
            tests: dict[int, dict[str, dict]] = {}
            for a in self.assessments_.values():
                if a["user_id"] == user_id:
                    row = copy.deepcopy(a)
                    row["answers"] = json.loads(row["answers"])
                    tests.setdefault(int(row["challenge_id"]), {})[row["kind"]] = row
        return challenges, logs, tests


LOG_COUNTS = ("relaxation_minutes", "coffee_cups", "alcohol_glasses")
