"""What tests look up beside the store's own methods (the app never needs these)."""

from __future__ import annotations


def challenge(store, user_id: int, challenge_id: int) -> dict | None:
    """One of her challenges by id (None when it is not hers), through the store's public reads."""
    return next((c for c in store.challenges(user_id) if c["id"] == challenge_id), None)
