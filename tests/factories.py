"""Test and bench participants: a demo-shaped challenge (lib/demo.py) written through the store's own
methods for a REAL participant. Tests, browser tests and the bench use these; the app never does."""

from __future__ import annotations

import datetime as dt
import math

from lib.demo import demo_participant
from lib.signals import signals


def store_participant(store, user_id: int, *, end: dt.date, lang: str = "nl", seed: int = 7,
                      finished: bool = True) -> int:
    """Write a demo-shaped challenge for a REAL participant through the store's own methods."""
    d = demo_participant(lang, end=end, seed=seed)
    ch = d["challenge"]
    pre = d["assessments"]["pre"]
    cid = store.create_challenge(
        user_id, start_date=ch["start_date"], with_baseline=True, method=ch["method"], planned_amount=20,
        amount_unit="minutes",
        magnesium_start=ch["magnesium_start"], pre_test=pre["answers"], pre_score=pre["score"],
    )
    for row in d["logs"]:
        entry = {k: v for k, v in row.items() if k not in ("user_id", "day")}
        entry["challenge_id"] = cid
        store.upsert_daily_log(user_id, row["day"], entry)
    if finished:
        post = d["assessments"]["post"]
        store.save_assessment(user_id, cid, "post", post["answers"], post["score"], close_challenge_as="completed")
    return cid


def store_history(store, user_id: int, *, end: dt.date, days: int = 365, lang: str = "nl") -> list[int]:
    """Back-to-back challenges (7 baseline + 14 magnesium days) ending at ``end``: about ``days`` logged days.

    The last challenge stays active; used to measure the page for a participant with a year of logs.
    """
    per = 21
    count = max(1, math.ceil(days / (per - 3)))  # each demo challenge has three missed days
    ids = []
    for i in range(count):
        ch_end = end - dt.timedelta(days=per * (count - 1 - i))
        ids.append(store_participant(store, user_id, end=ch_end, lang=lang, seed=i + 1, finished=i < count - 1))
    return ids


def pre_test(value: int = 2) -> dict[str, int]:
    """A pre-test with every signal of the content answered ``value``."""
    return {s.id: value for s in signals()}
