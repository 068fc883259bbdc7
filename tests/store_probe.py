"""What tests look up beside the store's own methods (the app never needs these)."""

from __future__ import annotations

from lib.store import Store


def challenge(store, user_id: int, challenge_id: int) -> dict | None:
    """One of her challenges by id (None when it is not hers), through the store's public reads."""
    return next((c for c in store.challenges(user_id) if c["id"] == challenge_id), None)


def table_counts(store) -> dict[str, int]:
    """Rows per table. The in-memory store (tests/fake_store.py) counts its own."""
    if not isinstance(store, Store):
        return store.table_counts()
    with store.read() as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def user_row_counts(store, user_id: int) -> dict[str, int]:
    """Her rows per table (the users row included): what a deletion must bring to zero."""
    if not isinstance(store, Store):
        return store.user_row_counts(user_id)
    with store.read() as conn:
        counts = {"users": conn.execute("SELECT count(*) FROM users WHERE id = ?", (user_id,)).fetchone()[0]}
        for name in store._user_tables(conn):
            counts[name] = conn.execute(f'SELECT count(*) FROM "{name}" WHERE user_id = ?', (user_id,)).fetchone()[0]
    return counts
