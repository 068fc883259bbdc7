"""Users: the rows every other table hangs on."""

from __future__ import annotations

import sqlite3

from lib import clock


class UsersMixin:
    def create_user(
        self,
        username: str,
        *,
        display_name: str = "",
        password_hash: str | None = None,
        oidc_issuer: str | None = None,
        oidc_subject: str | None = None,
        role: str = "participant",
        lang: str = "nl",
        timezone: str | None = None,
        health_consent: bool = False,
    ) -> int:
        """Insert a user and return her id; ``username`` must already be normalised."""
        now = clock.iso_now()
        with self.write() as conn:
            cur = conn.execute(
                """INSERT INTO users (username, display_name, password_hash, oidc_issuer, oidc_subject,
                                      role, lang, timezone, health_consent_at, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    username,
                    display_name,
                    password_hash,
                    oidc_issuer,
                    oidc_subject,
                    role,
                    lang,
                    timezone,
                    now if health_consent else None,
                    now,
                ),
            )
            return int(cur.lastrowid)

    def get_user(self, user_id: int) -> dict | None:
        with self.read() as conn:
            row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return dict(row) if row else None

    def user_by_username(self, username: str) -> dict | None:
        with self.read() as conn:
            row = conn.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        return dict(row) if row else None

    def set_user_lang(self, user_id: int, lang: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE users SET lang = ? WHERE id = ?", (lang, user_id))


IntegrityError = sqlite3.IntegrityError
