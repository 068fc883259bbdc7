"""Anonymous quiz answers parked for a sign-up or login (the redirect starts a new session)."""

from __future__ import annotations

import datetime as dt
import json
import secrets

from lib import clock
from lib.tokens import token_hash

PENDING_TTL = dt.timedelta(hours=1)


class PendingMixin:
    def park_pending_quiz(self, answers: dict) -> str:
        """Store the answers under a new random token (only its hash is kept); return the token."""
        token = secrets.token_urlsafe(24)
        now = clock.now_to_second()
        with self.write() as conn:
            # Expired parkings are nobody's: clear them whenever a new one comes in.
            conn.execute("DELETE FROM pending_quiz WHERE expires_at < ?", (now.isoformat(),))
            conn.execute(
                "INSERT INTO pending_quiz (token_hash, answers, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (token_hash(token), json.dumps(answers), now.isoformat(), (now + PENDING_TTL).isoformat()),
            )
        return token

    def claim_pending_quiz(self, token: str) -> dict | None:
        """The parked answers, once: the row is deleted; None when unknown, used or expired."""
        if not token:
            return None
        now = clock.iso_now()
        with self.write() as conn:
            row = conn.execute(
                "DELETE FROM pending_quiz WHERE token_hash = ? RETURNING answers, expires_at", (token_hash(token),)
            ).fetchone()
        if row is None or row["expires_at"] < now:
            return None
        return json.loads(row["answers"])

    def pending_quiz_parked_at(self, token: str) -> str | None:
        """When the answers under this token were parked (ISO, UTC), while they wait; else None.
        Nothing is claimed: the participant is asked first whether the quiz is hers."""
        if not token:
            return None
        now = clock.iso_now()
        with self.read() as conn:
            row = conn.execute(
                "SELECT created_at FROM pending_quiz WHERE token_hash = ? AND expires_at >= ?", (token_hash(token), now)
            ).fetchone()
        return row["created_at"] if row else None

    def discard_pending_quiz(self, token: str) -> None:
        """Drop the parked answers under this token (she said the quiz is not hers, or logged out)."""
        if not token:
            return
        with self.write() as conn:
            conn.execute("DELETE FROM pending_quiz WHERE token_hash = ?", (token_hash(token),))
