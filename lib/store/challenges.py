"""Challenges, their pre/post assessments and the daily logs.

Every method takes the participant's ``user_id`` first and filters on it, so one participant can
never read or change another's rows, whatever ids a page passes along.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

from lib import clock
from lib.store.interface import log_fields


@functools.cache
def upsert_log_sql(fields: tuple[str, ...]) -> str:
    """One day's insert-or-replace for these fields (the ratings come from content/signals.toml)."""
    return (
        f"INSERT INTO daily_logs (user_id, day, {', '.join(fields)}, created_at, updated_at) "
        f"VALUES (?, ?, {', '.join('?' for _ in fields)}, ?, ?) "
        "ON CONFLICT (user_id, day) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in fields)
        + ", updated_at = excluded.updated_at"
    )


def _log_values(entry: dict) -> tuple[tuple[str, ...], list]:
    fields = log_fields()
    values = [entry.get(f) for f in fields]
    values[fields.index("note")] = entry.get("note") or ""
    return fields, values


def _row(row) -> dict | None:
    return dict(row) if row is not None else None


class ChallengesMixin:
    # -- challenges ------------------------------------------------------------------------------
    def create_challenge(
        self,
        user_id: int,
        *,
        start_date: str,
        with_baseline: bool,
        method: str,
        planned_amount: float | None = None,
        amount_unit: str | None = None,
        goal: str = "",
        magnesium_start: str | None = None,
        pre_test: dict | None = None,
        pre_score: float | None = None,
        primary_outcome: str | None = None,
    ) -> int:
        """A new active challenge, with its pre-test in the same transaction."""
        now = clock.iso_now()
        with self.write() as conn:
            cur = conn.execute(
                """INSERT INTO challenges (user_id, created_at, start_date, with_baseline, magnesium_start,
                                           method, planned_amount, amount_unit, goal, primary_outcome)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (user_id, now, start_date, int(with_baseline), magnesium_start, method, planned_amount,
                 amount_unit, goal, primary_outcome),
            )
            cid = int(cur.lastrowid)
            if pre_test is not None:
                conn.execute(
                    """INSERT INTO assessments (user_id, challenge_id, kind, taken_at, answers, score)
                       VALUES (?, ?, 'pre', ?, ?, ?)""",
                    (user_id, cid, now, json.dumps(pre_test), pre_score),
                )
            return cid

    def active_challenge(self, user_id: int) -> dict | None:
        with self.read() as conn:
            return _row(
                conn.execute(
                    "SELECT * FROM challenges WHERE user_id = ? AND status = 'active'", (user_id,)
                ).fetchone()
            )

    def challenges(self, user_id: int) -> list[dict]:
        """All of her challenges, newest first."""
        with self.read() as conn:
            rows = conn.execute(
                "SELECT * FROM challenges WHERE user_id = ? ORDER BY start_date DESC, id DESC", (user_id,)
            ).fetchall()
        return [dict(r) for r in rows]

    # -- assessments (pre-test and post-test) ----------------------------------------------------
    def save_assessment(
        self, user_id: int, challenge_id: int, kind: str, answers: dict, score: float | None,
        *, close_challenge_as: str | None = None,
    ) -> None:
        """Store the pre- or post-test; optionally close the challenge in the same transaction."""
        now = clock.iso_now()
        with self.write() as conn:
            owner = conn.execute(
                "SELECT 1 FROM challenges WHERE id = ? AND user_id = ?", (challenge_id, user_id)
            ).fetchone()
            if owner is None:
                raise PermissionError("not her challenge")
            conn.execute(
                """INSERT INTO assessments (user_id, challenge_id, kind, taken_at, answers, score)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (challenge_id, kind) DO UPDATE SET
                       taken_at = excluded.taken_at, answers = excluded.answers, score = excluded.score""",
                (user_id, challenge_id, kind, now, json.dumps(answers), score),
            )
            if close_challenge_as:
                conn.execute(
                    "UPDATE challenges SET status = ?, ended_at = ? WHERE id = ? AND user_id = ?",
                    (close_challenge_as, now, challenge_id, user_id),
                )

    def assessments(self, user_id: int, challenge_id: int) -> dict[str, dict]:
        """``{"pre": {...}, "post": {...}}`` with answers decoded; missing kinds are absent."""
        with self.read() as conn:
            rows = conn.execute(
                "SELECT * FROM assessments WHERE user_id = ? AND challenge_id = ?", (user_id, challenge_id)
            ).fetchall()
        out = {}
        for r in rows:
            d = dict(r)
            d["answers"] = json.loads(d["answers"])
            out[d["kind"]] = d
        return out

    # -- daily logs ------------------------------------------------------------------------------
    def upsert_daily_log(self, user_id: int, day: str, entry: dict) -> None:
        """Write one day's entry in one transaction, keyed on (participant, day).

        ``entry`` holds the ``log_fields()`` (missing ones are stored as NULL); the caller validates and
        asks before replacing an existing day.
        """
        now = clock.iso_now()
        fields, values = _log_values(entry)
        with self.write() as conn:
            conn.execute(upsert_log_sql(fields), (user_id, day, *values, now, now))

    def save_daily_log(self, user_id: int, day: str, entry: dict, *, replace: bool = False) -> tuple[bool, dict | None]:
        """Write one day's entry unless the day already has one and ``replace`` is not given.

        Returns ``(saved, existing)``: ``existing`` is the entry that was there (None for a new day).
        Reading and writing happen in one ``BEGIN IMMEDIATE`` transaction, so an entry saved by
        another session in between can never be overwritten without her having seen it.
        """
        now = clock.iso_now()
        fields, values = _log_values(entry)
        with self.write() as conn:
            existing = _row(
                conn.execute("SELECT * FROM daily_logs WHERE user_id = ? AND day = ?", (user_id, day)).fetchone()
            )
            if existing is not None and not replace:
                return False, existing
            if entry.get("challenge_id") is not None:
                owner = conn.execute(
                    "SELECT 1 FROM challenges WHERE id = ? AND user_id = ?", (entry["challenge_id"], user_id)
                ).fetchone()
                if owner is None:
                    raise PermissionError("not her challenge")
            conn.execute(upsert_log_sql(fields), (user_id, day, *values, now, now))
            return True, existing

    def set_magnesium_start(self, user_id: int, challenge_id: int, day: str) -> bool:
        """Fix magnesium day 1 and re-label her logged days' phases to match, in one transaction."""
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE challenges SET magnesium_start = ? WHERE id = ? AND user_id = ? AND status = 'active'",
                (day, challenge_id, user_id),
            )
            if cur.rowcount != 1:
                return False
            conn.execute(
                """UPDATE daily_logs SET phase = CASE WHEN day >= ? THEN 'magnesium' ELSE 'baseline' END
                   WHERE user_id = ? AND challenge_id = ?""",
                (day, user_id, challenge_id),
            )
            return True

    def set_calendar_file(self, user_id: int, challenge_id: int, dates: str) -> bool:
        """Remember the dates of the calendar file she just downloaded for one of her challenges (JSON)."""
        with self.write() as conn:
            cur = conn.execute("UPDATE challenges SET calendar_file = ? WHERE id = ? AND user_id = ?",
                               (dates, challenge_id, user_id))
            return cur.rowcount == 1

    def close_challenge(self, user_id: int, challenge_id: int, status: str) -> bool:
        """End one of her active challenges (early, or without post-test); False when nothing changed."""
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE challenges SET status = ?, ended_at = ? WHERE id = ? AND user_id = ? AND status = 'active'",
                (status, clock.iso_now(), challenge_id, user_id),
            )
            return cur.rowcount == 1

    def log_days(self, user_id: int, *, challenge_id: int | None = None) -> list[str]:
        """Her logged days (ISO dates, oldest first), optionally of one challenge only."""
        sql = "SELECT day FROM daily_logs WHERE user_id = ?"
        params: list = [user_id]
        if challenge_id is not None:
            sql += " AND challenge_id = ?"
            params.append(challenge_id)
        with self.read() as conn:
            return [r[0] for r in conn.execute(sql + " ORDER BY day", params)]

    def daily_log(self, user_id: int, day: str) -> dict | None:
        with self.read() as conn:
            return _row(
                conn.execute("SELECT * FROM daily_logs WHERE user_id = ? AND day = ?", (user_id, day)).fetchone()
            )

    def daily_logs(
        self, user_id: int, *, challenge_id: int | None = None, start: str | None = None, end: str | None = None
    ) -> list[dict]:
        """Her logged days in date order, optionally one challenge's or a date range's."""
        sql = "SELECT * FROM daily_logs WHERE user_id = ?"
        params: list = [user_id]
        if challenge_id is not None:
            sql += " AND challenge_id = ?"
            params.append(challenge_id)
        if start is not None:
            sql += " AND day >= ?"
            params.append(start)
        if end is not None:
            sql += " AND day <= ?"
            params.append(end)
        sql += " ORDER BY day"
        with self.read() as conn:
            return [dict(r) for r in conn.execute(sql, params)]

    def logged_days(self, user_id: int, days: Iterable[str]) -> set[str]:
        days = list(days)
        if not days:
            return set()
        marks = ", ".join("?" for _ in days)
        with self.read() as conn:
            rows = conn.execute(
                f"SELECT day FROM daily_logs WHERE user_id = ? AND day IN ({marks})", (user_id, *days)
            ).fetchall()
        return {r[0] for r in rows}
