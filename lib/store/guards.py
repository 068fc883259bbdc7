"""What keeps strangers out without locking her out: look-alike usernames, reset codes checked before
use, and the browsers where she logged in before (OWASP's device cookie).

Secrets arrive hashed (lib/auth.py): the device cookie's value is stored only as its SHA-256.
"""

from __future__ import annotations


class GuardsMixin:
    # -- look-alike usernames ----------------------------------------------------------------------
    def user_by_skeleton(self, skeleton: str) -> dict | None:
        """The account whose username has this confusable skeleton (Unicode TR39), if any."""
        with self.read() as conn:
            row = conn.execute("SELECT * FROM users WHERE username_skeleton = ?", (skeleton,)).fetchone()
        return dict(row) if row else None

    # -- reset codes -------------------------------------------------------------------------------
    def reset_code_valid(self, user_id: int, code_hash: str, now: str) -> bool:
        """Whether this is her unused, unexpired code (nothing is used up: ``consume_reset_code`` does that)."""
        with self.read() as conn:
            row = conn.execute(
                """SELECT 1 FROM reset_codes WHERE code_hash = ? AND user_id = ? AND used_at IS NULL
                   AND expires_at > ?""",
                (code_hash, user_id, now),
            ).fetchone()
        return row is not None

    # -- known devices -------------------------------------------------------------------------------
    def remember_login_device(self, user_id: int, token_hash: str, now: str, forget_before: str) -> None:
        """She logged in on this browser now; devices of hers unused since ``forget_before`` are dropped."""
        with self.write() as conn:
            conn.execute("DELETE FROM login_devices WHERE user_id = ? AND last_login_at < ?", (user_id, forget_before))
            conn.execute(
                """INSERT INTO login_devices (token_hash, user_id, created_at, last_login_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (token_hash, user_id) DO UPDATE SET last_login_at = excluded.last_login_at""",
                (token_hash, user_id, now, now),
            )

    def known_login_device(self, user_id: int, token_hash: str, since: str) -> bool:
        """Whether she logged in on the browser holding this device cookie since ``since``."""
        with self.read() as conn:
            row = conn.execute(
                "SELECT 1 FROM login_devices WHERE token_hash = ? AND user_id = ? AND last_login_at >= ?",
                (token_hash, user_id, since),
            ).fetchone()
        return row is not None
