"""What the Progress page reads, without Streamlit: a small fingerprint first, her rows only when it is new."""

from __future__ import annotations

import datetime as dt

from lib import progress_view
from lib.store import StoreInterface


def state(store: StoreInterface, uid: int) -> tuple[list[dict], tuple]:
    """Her challenges and a fingerprint of her rows (the first element: how many days she logged)."""
    return store.progress_state(uid)


def view(store: StoreInterface, uid: int, scope: str, lang: str, today: dt.date) -> progress_view.View:
    challenges, logs, assessments = store.progress_data(uid)
    return progress_view.build_view(challenges, logs, assessments, scope, lang, today)
