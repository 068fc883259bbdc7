"""The schema, as an ordered list of sqlite-utils migrations.

Applied migrations are recorded in ``_sqlite_migrations``; applying again is a no-op. Never edit a
migration that has shipped: add a new one below it. Every table with participant data carries
``user_id`` with ``ON DELETE CASCADE``, so deleting a user removes all of her rows.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("magnesium")

# The eight daily ratings (0-10), in the order the daily log shows them. Their meaning and
# direction live in content/signals.toml; the store only needs the column names.
RATING_COLUMNS = (
    "sleep_quality",
    "energy",
    "mood",
    "muscle_tension",
    "stress",
    "headache",
    "restless_legs",
    "irritability",
)


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,           -- NFKC-normalised, case-folded, trimmed
            display_name TEXT NOT NULL DEFAULT '',
            password_hash TEXT,                      -- argon2id; NULL for OpenID Connect accounts
            oidc_issuer TEXT,
            oidc_subject TEXT,
            role TEXT NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'practitioner')),
            lang TEXT NOT NULL DEFAULT 'nl',
            timezone TEXT,
            health_consent_at TEXT,                  -- when she agreed to store health data
            share_with_practitioner INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (oidc_issuer, oidc_subject)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE auth_sessions (
            token_hash TEXT PRIMARY KEY,             -- SHA-256 of the cookie's random token
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX auth_sessions_user ON auth_sessions(user_id)")
    db.execute(
        """
        CREATE TABLE login_failures (
            key TEXT PRIMARY KEY,                    -- hashed username or client address
            failures INTEGER NOT NULL DEFAULT 0,
            last_failure_at TEXT NOT NULL,
            blocked_until TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE reset_codes (
            code_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE pending_quiz (
            token_hash TEXT PRIMARY KEY,             -- single-use token carried through sign-up
            answers TEXT NOT NULL,                   -- JSON
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE quiz_results (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            taken_at TEXT NOT NULL,
            question_set_version TEXT NOT NULL,
            answers TEXT NOT NULL,                   -- JSON
            signal_score REAL,                       -- 0-100, NULL when no signal was answered
            signal_band TEXT,
            mds INTEGER,
            contributors TEXT NOT NULL DEFAULT '[]', -- JSON, as computed
            safety_flags TEXT NOT NULL DEFAULT '[]'  -- JSON
        )
        """
    )
    db.execute("CREATE INDEX quiz_results_user ON quiz_results(user_id, taken_at)")
    db.execute(
        """
        CREATE TABLE challenges (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            start_date TEXT NOT NULL,                -- first day of the challenge (baseline or magnesium)
            with_baseline INTEGER NOT NULL DEFAULT 0,
            magnesium_start TEXT,                    -- day 1 of 14; NULL while in the baseline week
            method TEXT NOT NULL,
            planned_amount REAL,
            amount_unit TEXT,
            goal TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'completed', 'ended_early', 'ended_no_posttest')),
            ended_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX challenges_user ON challenges(user_id, start_date)")
    # At most one active challenge per participant, enforced by the database itself.
    db.execute("CREATE UNIQUE INDEX challenges_one_active ON challenges(user_id) WHERE status = 'active'")
    db.execute(
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            challenge_id INTEGER NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('pre', 'post')),
            taken_at TEXT NOT NULL,
            answers TEXT NOT NULL,                   -- JSON: signal id -> frequency 0-4
            score REAL,
            UNIQUE (challenge_id, kind)
        )
        """
    )
    db.execute("CREATE INDEX assessments_user ON assessments(user_id)")
    ratings = ",\n".join(
        f"            {c} INTEGER CHECK ({c} IS NULL OR {c} BETWEEN 0 AND 10)" for c in RATING_COLUMNS
    )
    # Keyed on (participant, day) WITHOUT ROWID: one participant's year is stored together, so
    # reading it touches few pages even when thousands of participants log day by day.
    db.execute(
        f"""
        CREATE TABLE daily_logs (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            day TEXT NOT NULL,                       -- ISO date in her time zone
            challenge_id INTEGER REFERENCES challenges(id) ON DELETE CASCADE,
            phase TEXT NOT NULL CHECK (phase IN ('baseline', 'magnesium')),
            applied INTEGER NOT NULL CHECK (applied IN (0, 1)),
            method TEXT,
            amount REAL CHECK (amount IS NULL OR amount >= 0),
{ratings},
            relaxation_minutes INTEGER CHECK (relaxation_minutes IS NULL OR relaxation_minutes >= 0),
            coffee_cups INTEGER CHECK (coffee_cups IS NULL OR coffee_cups >= 0),
            alcohol_glasses INTEGER CHECK (alcohol_glasses IS NULL OR alcohol_glasses >= 0),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, day)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX daily_logs_challenge ON daily_logs(challenge_id, day)")


# Every table that refers to users(id): the rebuild below must leave each of their rows in place.
USER_REFERENCING_TABLES = ("auth_sessions", "reset_codes", "quiz_results", "challenges", "assessments", "daily_logs")


@migrations()
def m002_users_never_reuse_ids(db: Database) -> None:
    """``users.id`` becomes ``INTEGER PRIMARY KEY AUTOINCREMENT``: a deleted participant's id is never
    given to the next sign-up, so nothing that still names the old id (a stale browser tab, a log line)
    can ever reach someone else's data.

    SQLite cannot add AUTOINCREMENT in place, so the table is rebuilt with its documented 12-step
    procedure ("Making Other Kinds Of Table Schema Changes", sqlite.org/lang_altertable.html). The
    store runs every migration on a connection with ``foreign_keys`` OFF (a pragma that cannot change
    inside a transaction), because dropping ``users`` with foreign keys on would silently
    cascade-delete every row of every participant; the store runs ``PRAGMA foreign_key_check`` before
    it commits (lib/store/base.py).
    """
    conn = db.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0, "foreign keys must be off for this rebuild"
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()[0]
    new_sql = sql.replace("id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,", 1)
    if new_sql == sql:
        raise RuntimeError("unexpected users table definition; not rebuilding it")
    new_sql = new_sql.replace("CREATE TABLE users", "CREATE TABLE users_new", 1)
    indexes = [r[0] for r in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL")]
    conn.execute(new_sql)
    columns = ", ".join(f'"{r[1]}"' for r in conn.execute("PRAGMA table_info(users)"))
    conn.execute(f"INSERT INTO users_new ({columns}) SELECT {columns} FROM users")
    conn.execute("DROP TABLE users")
    conn.execute("ALTER TABLE users_new RENAME TO users")
    for index_sql in indexes:
        conn.execute(index_sql)
