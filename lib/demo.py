"""A generated example participant for "see an example": built in memory, never stored as an account.

Seeded, so the example looks the same every time: a baseline week, fourteen magnesium days with two
missed days, sleep and muscle tension that drift the right way, headache that does not move, and
a pre-test and post-test.
"""

from __future__ import annotations

import datetime as dt
import random

from lib import signals as signals_mod

DEMO_USER_ID = -1  # never a real id: the store hands out positive ids

# Start level and drift per magnesium day, in rating points (positive drift = value goes up).
_PROFILE = {
    "sleep_quality": (4.5, 0.22),
    "energy": (5.0, 0.12),
    "mood": (5.5, 0.08),
    "muscle_tension": (7.0, -0.2),
    "stress": (6.5, -0.1),
    "headache": (3.0, 0.0),
    "restless_legs": (4.0, -0.12),
    "irritability": (5.0, -0.05),
}
_NOTES = {
    "nl": {3: "Drukke dag op het werk", 9: "Voetbad voor het slapen, heerlijk", 15: "Slecht geslapen door de buren"},
    "en": {3: "Busy day at work", 9: "Foot bath before bed, lovely", 15: "Slept badly because of the neighbours"},
}


def demo_participant(lang: str = "nl", *, end: dt.date | None = None, seed: int = 7) -> dict:
    """``{"challenge", "assessments", "logs"}`` shaped like the store's rows; ids are negative."""
    rng = random.Random(seed)
    end = end or dt.date(2026, 3, 21)
    mg_start = end - dt.timedelta(days=13)
    start = mg_start - dt.timedelta(days=7)
    challenge = {
        "id": -1, "user_id": DEMO_USER_ID, "start_date": start.isoformat(), "with_baseline": 1,
        "magnesium_start": mg_start.isoformat(), "method": "foot_bath", "planned_amount": 20,
        "amount_unit": "minutes", "goal": "", "status": "completed", "ended_at": end.isoformat(),
        "created_at": start.isoformat(),
    }
    missed = {start + dt.timedelta(days=4), mg_start + dt.timedelta(days=5), mg_start + dt.timedelta(days=10)}
    logs = []
    notes = _NOTES.get(lang, _NOTES["nl"])
    for i in range((end - start).days + 1):
        day = start + dt.timedelta(days=i)
        if day in missed:
            continue
        in_mg = day >= mg_start
        n = (day - mg_start).days + 1 if in_mg else 0
        applied = int(in_mg and rng.random() > 0.1)
        row = {"user_id": DEMO_USER_ID, "day": day.isoformat(), "challenge_id": -1,
               "phase": "magnesium" if in_mg else "baseline", "applied": applied,
               "method": "foot_bath" if applied else None, "amount": 20 if applied else None}
        for col in signals_mod.rating_columns():
            level, drift = _PROFILE[col]
            value = level + drift * n + rng.gauss(0, 0.8)
            row[col] = max(0, min(10, round(value)))
        row["relaxation_minutes"] = rng.choice([0, 0, 10, 15, 20, 30])
        row["coffee_cups"] = rng.choice([1, 2, 2, 3, 4])
        row["alcohol_glasses"] = rng.choice([0, 0, 0, 1, 2])
        row["note"] = notes.get(i, "")
        logs.append(row)
    ids = [s.id for s in signals_mod.signals()]
    pre = {sid: v for sid, v in zip(ids, [3, 3, 4, 1, 2, 2, 3, 2], strict=True)}
    post = {sid: v for sid, v in zip(ids, [2, 2, 2, 1, 1, 2, 2, 2], strict=True)}
    assessments = {
        "pre": {"kind": "pre", "answers": pre, "score": signals_mod.signal_score(pre)[0],
                "taken_at": start.isoformat()},
        "post": {"kind": "post", "answers": post, "score": signals_mod.signal_score(post)[0],
                 "taken_at": end.isoformat()},
    }
    return {"challenge": challenge, "assessments": assessments, "logs": logs}
