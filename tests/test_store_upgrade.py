"""Migrations are history: a database made at any earlier migration upgrades to the last one with every row.

For each migration, a database is built with the migrations up to and including it, filled with
real-looking rows (participants, a year of daily logs, saved quizzes, challenges with their tests, login
sessions, reset codes, throttling entries, a parked quiz), then opened by the app's store, which
applies the rest. Every row must be found afterwards with the values it was written with.

The rows are written with plain SQL, only into the columns each table has at that migration, so this
test keeps working when later migrations add tables or columns. A later migration that adds a required
column without a default must say what old rows get: add the value below and the test will check it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3

import pytest
import sqlite_utils

from lib import signals
from lib.store import Store
from lib.store.schema import migrations

NAMES = [m.name for m in migrations._migrations]
FIRST_DAY = dt.date(2025, 3, 1)
YEAR = 365
RATINGS_AT_M001 = ("sleep_quality", "energy", "mood", "muscle_tension", "stress", "headache", "restless_legs",
                   "irritability")


def _stamp(day: dt.date, hour: int = 20) -> str:
    return dt.datetime.combine(day, dt.time(hour, 31, 7), tzinfo=dt.UTC).isoformat()


def real_looking_rows() -> dict[str, list[dict]]:
    """Rows for today's tables, keyed by table; ids are given so every row can be found again."""
    rng = random.Random(14)
    hash_ = "$argon2id$v=19$m=19456,t=3,p=1$c2FsdHNhbHRzYWx0$" + "h" * 43
    users = [
        {"id": 1, "username": "anna", "display_name": "Anna de Vries", "password_hash": hash_, "role": "participant",
         "lang": "nl", "timezone": "Europe/Amsterdam", "health_consent_at": _stamp(FIRST_DAY, 9),
         "share_with_practitioner": 1, "created_at": _stamp(FIRST_DAY, 9)},
        {"id": 2, "username": "bea", "display_name": "Bea", "password_hash": hash_, "role": "participant",
         "lang": "en", "timezone": "America/New_York", "health_consent_at": _stamp(FIRST_DAY, 10),
         "share_with_practitioner": 0, "created_at": _stamp(FIRST_DAY, 10)},
        {"id": 3, "username": "oidc:4f1c2a9b8e7d6c5b4a39", "display_name": "Carla", "password_hash": None,
         "oidc_issuer": "https://accounts.example.com", "oidc_subject": "10769150350006150715113082367",
         "role": "participant", "lang": "nl", "timezone": None, "health_consent_at": _stamp(FIRST_DAY, 11),
         "share_with_practitioner": 0, "created_at": _stamp(FIRST_DAY, 11)},
        {"id": 4, "username": "praktijk", "display_name": "De praktijk", "password_hash": hash_,
         "role": "practitioner", "lang": "nl", "timezone": "Europe/Amsterdam", "health_consent_at": None,
         "share_with_practitioner": 0, "created_at": _stamp(FIRST_DAY, 8)},
    ]
    challenges, assessments, logs, quizzes = [], [], [], []
    cid = 0
    for uid in (1, 2, 3):
        # Back-to-back challenges over a year: 7 baseline days, 14 magnesium days; the last one still runs.
        start = FIRST_DAY + dt.timedelta(days=uid)
        while start + dt.timedelta(days=21) <= FIRST_DAY + dt.timedelta(days=YEAR):
            cid += 1
            mg_start = start + dt.timedelta(days=7)
            last = start + dt.timedelta(days=20) + dt.timedelta(days=21) > FIRST_DAY + dt.timedelta(days=YEAR)
            challenges.append({
                "id": cid, "user_id": uid, "created_at": _stamp(start, 19), "start_date": start.isoformat(),
                "with_baseline": 1, "magnesium_start": mg_start.isoformat(),
                "method": rng.choice(["oil_spray", "foot_bath", "bath_flakes", "lotion"]),
                "planned_amount": rng.choice([10.0, 20.0, 250.0]), "amount_unit": rng.choice(["sprays", "grams"]),
                "goal": rng.choice(["Beter slapen", "Minder kramp in mijn kuiten", ""]),
                "status": "active" if last else rng.choice(["completed", "completed", "ended_early"]),
                "ended_at": None if last else _stamp(start + dt.timedelta(days=20), 21),
            })
            for kind, day in (("pre", start), ("post", start + dt.timedelta(days=20))):
                if kind == "post" and last:
                    continue
                answers = {s: rng.randint(0, 4) for s in ("muscles", "fatigue", "sleep", "headache", "restless_legs",
                                                           "irritability", "always_on", "low_mood")}
                assessments.append({
                    "id": len(assessments) + 1, "user_id": uid, "challenge_id": cid, "kind": kind,
                    "taken_at": _stamp(day, 19), "answers": json.dumps(answers),
                    "score": round(100 * sum(answers.values()) / 32, 1),
                })
            for i in range(21):
                day = start + dt.timedelta(days=i)
                if rng.random() < 0.12:
                    continue  # a missed day
                mg = day >= mg_start
                applied = int(mg and rng.random() < 0.9)
                row = {"user_id": uid, "day": day.isoformat(), "challenge_id": cid,
                       "phase": "magnesium" if mg else "baseline", "applied": applied,
                       "method": "oil_spray" if applied else None, "amount": 10.0 if applied else None,
                       "relaxation_minutes": rng.choice([None, 0, 10, 20]), "coffee_cups": rng.randint(0, 4),
                       "alcohol_glasses": rng.choice([0, 0, 1, 2]),
                       "note": rng.choice(["", "", "Drukke dag", "Goed geslapen 😴", "Hoofdpijn na het werk"]),
                       "created_at": _stamp(day), "updated_at": _stamp(day, 21)}
                row.update({r: rng.choice([None, *range(11)]) for r in RATINGS_AT_M001})
                logs.append(row)
            start = start + dt.timedelta(days=21)
        for q in range(3):
            taken = FIRST_DAY + dt.timedelta(days=100 * q + uid)
            answers = {"questions": {"coffee": "3_plus", "alcohol": "none", "safety_kidney": "no"},
                       "signals": {"sleep": 3, "muscles": 4, "fatigue": 2}}
            quizzes.append({
                "id": len(quizzes) + 1, "user_id": uid, "taken_at": _stamp(taken, 12),
                "question_set_version": "quiz-2026-11", "answers": json.dumps(answers), "signal_score": 75.0,
                "signal_band": "many", "mds": 2,
                "contributors": json.dumps([{"id": "coffee", "kind": "possible", "weight": 2, "strength": 1.0}]),
                "safety_flags": json.dumps([]),
            })
    return {
        "users": users,
        "auth_sessions": [
            {"token_hash": f"{n:064x}", "user_id": uid, "created_at": _stamp(FIRST_DAY + dt.timedelta(days=300)),
             "expires_at": _stamp(FIRST_DAY + dt.timedelta(days=330)), "revoked_at": None if n % 2 else
             _stamp(FIRST_DAY + dt.timedelta(days=301))}
            for n, uid in enumerate((1, 1, 2, 4), start=1)
        ],
        "login_failures": [{"key": f"{9999 + n:064x}", "failures": n, "last_failure_at": _stamp(FIRST_DAY, 7),
                            "blocked_until": None} for n in range(3)],
        "reset_codes": [{"code_hash": f"{7777:064x}", "user_id": 2, "created_at": _stamp(FIRST_DAY, 8),
                         "expires_at": _stamp(FIRST_DAY + dt.timedelta(days=1), 8), "used_at": None}],
        "pending_quiz": [{"token_hash": f"{5555:064x}",
                          "answers": json.dumps({"questions": {}, "signals": {"sleep": 2}}),
                          "created_at": _stamp(FIRST_DAY, 13), "expires_at": _stamp(FIRST_DAY, 14)}],
        "quiz_results": quizzes,
        "challenges": challenges,
        "assessments": assessments,
        "daily_logs": logs,
    }


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _build_at(path, name: str) -> None:
    """A database with the migrations up to and including ``name``, as the app of that time made it."""
    later = NAMES[NAMES.index(name) + 1:]
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=later[0] if later else None)
    assert [m.name for m in migrations.applied(db)] == NAMES[: NAMES.index(name) + 1]
    db.close()


def _fill(path, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Insert the rows (only the columns each table has now); return what was written."""
    written: dict[str, list[dict]] = {}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        for table, table_rows in rows.items():
            have = set(_columns(conn, table))
            assert have, f"{table} exists at every migration"
            written[table] = []
            for row in table_rows:
                kept = {k: v for k, v in row.items() if k in have}
                names = ", ".join(kept)
                marks = ", ".join("?" for _ in kept)
                conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(kept.values()))
                written[table].append(kept)
    conn.close()
    return written


@pytest.mark.parametrize("name", NAMES)
def test_a_database_made_at_an_earlier_migration_upgrades_with_every_row(tmp_path, name):
    path = tmp_path / f"at-{name}.db"
    _build_at(path, name)
    written = _fill(path, real_looking_rows())
    assert len(written["daily_logs"]) > 3 * 300, "a year of logs for each of three participants"

    store = Store(path)  # the app opens it: every later migration is applied
    db = sqlite_utils.Database(path)
    assert [m.name for m in migrations.applied(db)] == NAMES
    assert store.integrity_check() == "ok"

    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    for table, table_rows in written.items():
        now = set(_columns(conn, table))
        assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == len(table_rows), table
        for row in table_rows:
            kept = {k: v for k, v in row.items() if k in now}
            where = " AND ".join(f"{k} IS ?" for k in kept)
            found = conn.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', tuple(kept.values())).fetchone()[0]
            assert found == 1, f"{table}: {kept} lost or changed by the upgrade"
    conn.close()

    # And the app reads them as before: her year, her challenges, her quizzes.
    anna_logs = [r for r in written["daily_logs"] if r["user_id"] == 1]
    assert [r["day"] for r in store.daily_logs(1)] == sorted(r["day"] for r in anna_logs)
    assert len(store.challenges(1)) == len([c for c in written["challenges"] if c["user_id"] == 1])
    assert store.active_challenge(1) is not None
    assert len(store.quiz_history(1)) == 3
    assert store.user_by_oidc("https://accounts.example.com", "10769150350006150715113082367")["id"] == 3


def test_every_daily_rating_of_the_content_has_its_column():
    """A rating added to content/signals.toml needs a new migration that adds its column."""
    conn = sqlite3.connect(":memory:")
    migrations.apply(sqlite_utils.Database(conn))
    columns = set(_columns(conn, "daily_logs"))
    missing = [r for r in signals.rating_columns() if r not in columns]
    assert not missing, f"add a migration for the daily_logs column(s) {missing}"


def test_the_first_migration_does_not_follow_the_content(monkeypatch):
    """m001 is history: a rating added to the content later does not change what it builds."""
    monkeypatch.setattr(signals, "rating_columns", lambda: (*RATINGS_AT_M001, "cramps"))
    conn = sqlite3.connect(":memory:")
    migrations.apply(sqlite_utils.Database(conn), stop_before=NAMES[1] if len(NAMES) > 1 else None)
    logs = _columns(conn, "daily_logs")
    assert "cramps" not in logs
    assert [c for c in logs if c in RATINGS_AT_M001] == list(RATINGS_AT_M001)
