"""Users, login sessions, login throttling, reset codes, and her whole account's export and removal.

Tokens and codes arrive here already hashed (lib/auth.py): the database never holds a usable secret.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable

from lib import clock
from lib.store.base import immediate_transaction, neutral_errors

# Columns that hold secrets (hashes of passwords, tokens, codes): never exported.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "code_hash"})


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
        skeleton: str | None = None,
    ) -> int:
        """Insert a user and return her id; ``username`` must already be normalised, ``skeleton`` is its
        confusable skeleton (unique: a look-alike of an existing username fails with AlreadyExists)."""
        now = clock.iso_now()
        with self.write() as conn:
            cur = conn.execute(
                """INSERT INTO users (username, display_name, password_hash, oidc_issuer, oidc_subject,
                                      role, lang, timezone, health_consent_at, created_at, username_skeleton)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                    skeleton,
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

    def user_by_oidc(self, issuer: str, subject: str) -> dict | None:
        with self.read() as conn:
            row = conn.execute(
                "SELECT * FROM users WHERE oidc_issuer = ? AND oidc_subject = ?", (issuer, subject)
            ).fetchone()
        return dict(row) if row else None

    def set_user_timezone(self, user_id: int, timezone: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE users SET timezone = ? WHERE id = ?", (timezone, user_id))

    def set_share_with_practitioner(self, user_id: int, share: bool) -> None:
        with self.write() as conn:
            conn.execute("UPDATE users SET share_with_practitioner = ? WHERE id = ?", (int(share), user_id))

    def set_health_consent(self, user_id: int) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE users SET health_consent_at = coalesce(health_consent_at, ?) WHERE id = ?",
                (clock.iso_now(), user_id),
            )

    def set_password_hash(self, user_id: int, password_hash: str, *, revoke_sessions: bool) -> None:
        """A new hash; with ``revoke_sessions`` every login of hers ends in the same transaction."""
        with self.write() as conn:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))
            if revoke_sessions:
                conn.execute(
                    "UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                    (clock.iso_now(), user_id),
                )

    # -- login sessions (the cookie's token, stored hashed) --------------------------------------
    def create_auth_session(self, user_id: int, token_hash: str, created_at: str, expires_at: str) -> None:
        with self.write() as conn:
            # Old sessions are nobody's business: drop hers that ended more than a day ago.
            conn.execute(
                "DELETE FROM auth_sessions WHERE user_id = ? AND (expires_at < ? OR revoked_at < ?)",
                (user_id, created_at, created_at[:10]),
            )
            conn.execute(
                "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (token_hash, user_id, created_at, expires_at),
            )

    def user_for_session(self, token_hash: str, now: str) -> dict | None:
        """Her user row while the session is live (not expired, not revoked), else None."""
        with self.read() as conn:
            row = conn.execute(
                """SELECT users.* FROM auth_sessions JOIN users ON users.id = auth_sessions.user_id
                   WHERE auth_sessions.token_hash = ? AND auth_sessions.revoked_at IS NULL
                     AND auth_sessions.expires_at > ?""",
                (token_hash, now),
            ).fetchone()
        return dict(row) if row else None

    def revoke_auth_session(self, token_hash: str) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE auth_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                (clock.iso_now(), token_hash),
            )

    # -- login throttling ------------------------------------------------------------------------
    def login_failure(self, key: str) -> dict | None:
        with self.read() as conn:
            row = conn.execute("SELECT * FROM login_failures WHERE key = ?", (key,)).fetchone()
        return dict(row) if row else None

    def reserve_login_attempt(
        self,
        keys: list[tuple[str, Callable[[int], dt.timedelta]]],
        now: dt.datetime,
        forget_after: dt.timedelta,
        check_only: tuple[str, ...] = (),
    ) -> dt.datetime | None:
        """Count one attempt on every key *before* the password is checked, in one write transaction.

        When any key (or any of ``check_only``) is still blocked, nothing is counted and the end of the
        longest block is returned.
        Otherwise each key's count goes up (a quiet ``forget_after`` resets it), its block is set from
        ``delay(count)``, and None is returned. Counting first means a burst of parallel guesses cannot
        all slip through before the first failure is written: only the free tries get checked.
        A success undoes the count with ``login_succeeded``.
        """
        with self.write() as conn:
            rows = {
                key: conn.execute(
                    "SELECT failures, last_failure_at, blocked_until FROM login_failures WHERE key = ?", (key,)
                ).fetchone()
                for key in [k for k, _delay in keys] + list(check_only)
            }
            ends = [
                dt.datetime.fromisoformat(r["blocked_until"]) for r in rows.values() if r and r["blocked_until"]
            ]
            ends = [end for end in ends if end > now]
            if ends:
                return max(ends)
            for key, delay in keys:
                row = rows[key]
                failures = 1
                if row is not None and dt.datetime.fromisoformat(row["last_failure_at"]) > now - forget_after:
                    failures = row["failures"] + 1
                wait = delay(failures)
                blocked = (now + wait).isoformat() if wait > dt.timedelta(0) else None
                conn.execute(
                    """INSERT INTO login_failures (key, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?)
                       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
                           last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until""",
                    (key, failures, now.isoformat(), blocked),
                )
            # Keep the table small: entries quiet for longer than forget_after mean nothing any more.
            conn.execute("DELETE FROM login_failures WHERE last_failure_at < ?", ((now - forget_after).isoformat(),))
            return None

    def login_succeeded(self, forget_key: str, undo_keys: list[tuple[str, int]]) -> None:
        """After a right password: forget ``forget_key`` (her username) and take the reserved attempt back
        from each of ``undo_keys`` (key, free tries), lifting a block that attempt alone had caused."""
        with self.write() as conn:
            conn.execute("DELETE FROM login_failures WHERE key = ?", (forget_key,))
            for key, free in undo_keys:
                conn.execute(
                    """UPDATE login_failures SET failures = max(failures - 1, 0),
                           blocked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE blocked_until END
                       WHERE key = ?""",
                    (free, key),
                )

    # -- reset codes -------------------------------------------------------------------------------
    def create_reset_code(self, user_id: int, code_hash: str, created_at: str, expires_at: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO reset_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (code_hash, user_id, created_at, expires_at),
            )

    def consume_reset_code(self, user_id: int, code_hash: str, now: str, new_password_hash: str) -> bool:
        """Use her code once: set the new password and end all her sessions; False when not valid."""
        with self.write() as conn:
            cur = conn.execute(
                """UPDATE reset_codes SET used_at = ? WHERE code_hash = ? AND user_id = ?
                   AND used_at IS NULL AND expires_at > ?""",
                (now, code_hash, user_id, now),
            )
            if cur.rowcount != 1:
                return False
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (new_password_hash, user_id))
            conn.execute(
                "UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", (now, user_id)
            )
            return True

    # -- her whole account -------------------------------------------------------------------------
    def _user_tables(self, conn: sqlite3.Connection) -> list[str]:
        """Every table with a ``user_id`` column: found from the schema, so later tables are included."""
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return [n for n in names if any(c[1] == "user_id" for c in conn.execute(f'PRAGMA table_info("{n}")'))]

    def export_user_data(self, user_id: int) -> dict[str, list[dict]]:
        """Everything stored about her, table by table, without secrets (password and token hashes)."""
        out: dict[str, list[dict]] = {}
        with self.read() as conn:
            conn.execute("BEGIN")  # one consistent snapshot
            rows = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchall()
            out["users"] = [{k: v for k, v in dict(r).items() if k not in SECRET_COLUMNS} for r in rows]
            for name in self._user_tables(conn):
                rows = conn.execute(f'SELECT * FROM "{name}" WHERE user_id = ?', (user_id,)).fetchall()
                out[name] = [{k: v for k, v in dict(r).items() if k not in SECRET_COLUMNS} for r in rows]
            conn.execute("COMMIT")
        return out

    def delete_user(self, user_id: int, throttle_keys: tuple[str, ...] = ()) -> None:
        """Remove her and every row of hers, overwriting the freed bytes, then checkpoint the WAL.

        ``secure_delete`` makes SQLite zero deleted content in the pages it rewrites; the checkpoint
        copies those pages into the main file and truncates the write-ahead log, so her data does not
        linger in either file.
        """
        with neutral_errors(), self._write_turn():  # queued with this process's other writers
            conn = self._connect()
            try:
                conn.execute("PRAGMA secure_delete = ON")
                with immediate_transaction(conn):
                    # Explicitly, child tables first, so a table whose foreign key forgot the cascade is
                    # still emptied of her rows.
                    tables = self._user_tables(conn)
                    order = sorted(tables, key=lambda n: n in ("challenges",))
                    for name in order:
                        conn.execute(f'DELETE FROM "{name}" WHERE user_id = ?', (user_id,))
                    for key in throttle_keys:
                        conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
                    conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
                # A reader in the middle of its snapshot can hold the checkpoint back: try a few times.
                for attempt in range(5):
                    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    if not busy:
                        break
                    time.sleep(0.05 * (attempt + 1))
            finally:
                conn.close()

