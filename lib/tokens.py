"""Random tokens and what the server keeps of them: login cookies, reset codes, parked-quiz tokens and
device cookies are stored only as SHA-256 hashes (the tokens are random, so no salt or slow hash is needed)."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the server stores for a cookie token or a reset code (SHA-256: the token is random)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
