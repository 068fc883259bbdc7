"""The schema, as an ordered list of sqlite-utils migrations: the database's history.

Applied migrations are recorded in ``_sqlite_migrations``; applying again is a no-op. Every migration
is written out literally and never changes once it has shipped: a database made by it exists
somewhere. A new column or table (a new daily rating in content/signals.toml, say) only ever comes by
a new migration added below the last one; tests/test_store_upgrade.py builds a database at each
earlier migration, fills it, upgrades it and finds every row. Every table with participant data
carries ``user_id`` with ``ON DELETE CASCADE``, so deleting a user removes all of her rows.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("magnesium")


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
    # Keyed on (participant, day) WITHOUT ROWID: one participant's year is stored together, so
    # reading it touches few pages even when thousands of participants log day by day.
    db.execute(
        """
        CREATE TABLE daily_logs (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            day TEXT NOT NULL,                       -- ISO date in her time zone
            challenge_id INTEGER REFERENCES challenges(id) ON DELETE CASCADE,
            phase TEXT NOT NULL CHECK (phase IN ('baseline', 'magnesium')),
            applied INTEGER NOT NULL CHECK (applied IN (0, 1)),
            method TEXT,
            amount REAL CHECK (amount IS NULL OR amount >= 0),
            sleep_quality INTEGER CHECK (sleep_quality IS NULL OR sleep_quality BETWEEN 0 AND 10),
            energy INTEGER CHECK (energy IS NULL OR energy BETWEEN 0 AND 10),
            mood INTEGER CHECK (mood IS NULL OR mood BETWEEN 0 AND 10),
            muscle_tension INTEGER CHECK (muscle_tension IS NULL OR muscle_tension BETWEEN 0 AND 10),
            stress INTEGER CHECK (stress IS NULL OR stress BETWEEN 0 AND 10),
            headache INTEGER CHECK (headache IS NULL OR headache BETWEEN 0 AND 10),
            restless_legs INTEGER CHECK (restless_legs IS NULL OR restless_legs BETWEEN 0 AND 10),
            irritability INTEGER CHECK (irritability IS NULL OR irritability BETWEEN 0 AND 10),
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


@migrations()
def m003_username_skeleton(db: Database) -> None:
    """Each username's confusable skeleton (Unicode TR39), unique: ``аlice`` with a Cyrillic "а" cannot sit
    beside ``alice``. Accounts made before this keep working; when two of them already look alike, the
    older one keeps the skeleton and the newer one gets none (so the index can be built)."""
    from lib.auth import username_skeleton  # at run time: lib.auth itself imports the store

    db.execute("ALTER TABLE users ADD COLUMN username_skeleton TEXT")
    seen: set[str] = set()
    for uid, username, oidc_issuer in db.execute("SELECT id, username, oidc_issuer FROM users ORDER BY id").fetchall():
        if oidc_issuer is not None:
            continue  # a practice login's internal name: nobody types it
        skeleton = username_skeleton(username)
        if skeleton in seen:
            continue
        seen.add(skeleton)
        db.execute("UPDATE users SET username_skeleton = ? WHERE id = ?", (skeleton, uid))
    db.execute("CREATE UNIQUE INDEX users_username_skeleton ON users(username_skeleton)")


@migrations()
def m004_login_devices(db: Database) -> None:
    """Browsers where she logged in before (OWASP's "device cookie"): failed logins from elsewhere do not
    block her there. Kept in the database, so every app server in front of it agrees."""
    db.execute(
        """
        CREATE TABLE login_devices (
            token_hash TEXT NOT NULL,                -- SHA-256 of the device cookie's random value
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_login_at TEXT NOT NULL,             -- a device unused for DEVICE_DAYS no longer counts
            PRIMARY KEY (token_hash, user_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX login_devices_user ON login_devices(user_id)")


@migrations()
def m005_primary_outcome(db: Database) -> None:
    """The one outcome a challenge's headline verdict is about, fixed when it starts: NULL = her overall
    complaint score of the day, else the daily rating column she picked (lib/analysis.py)."""
    db.execute("ALTER TABLE challenges ADD COLUMN primary_outcome TEXT")


@migrations()
def m006_calendar_file(db: Database) -> None:
    """The dates of the last calendar file (.ics) she downloaded for a challenge, as JSON: when her plan's
    dates move (magnesium day 1 chosen), the Challenge page tells her that file is outdated. NULL: none yet."""
    db.execute("ALTER TABLE challenges ADD COLUMN calendar_file TEXT")
