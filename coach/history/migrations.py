"""Versioned schema of the history database: `PRAGMA user_version` plus ordered migrations.

`MIGRATIONS[n]` takes a database from version n to n + 1. `migrate()` applies the missing
ones in order, each in its own transaction that also sets `user_version`, so a crash or an
error leaves the database at the last complete version, never half-way. Migrations are
append-only: once released, a migration is never edited, because old databases still need
exactly that step. Each one keeps every row; new columns get defaults or are filled from data
already stored (version 3 reads its figures back out of the kept feedback JSON).

History of the schema:
  1. attempts: scenario, time, recording file, status, transcript, headline figures, feedback
     JSON, error.
  2. rounds (mock interviews) and each attempt's place in one (round, step, kind, question,
     targeted key terms).
  3. more figures per attempt (durations, time limit, over-time, filler count, missed terms,
     whether grammar was checked), the analysis time, and an index for per-scenario history.
  4. a round can be "abandoned" (left unfinished when a new one started): the rounds table is
     rebuilt with the wider status check (SQLite cannot alter a CHECK), every row kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence

from coach.history.errors import HistoryTooNew

Migration = Callable[[sqlite3.Connection], None]


def _v1_attempts(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scenario_id TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recording_file TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'recorded'
                CHECK (status IN ('recorded', 'analyzed', 'failed')),
            transcript TEXT NOT NULL DEFAULT '',
            wpm REAL,
            fillers_per_minute REAL,
            coverage_ratio REAL,
            grammar_issues INTEGER,
            score REAL,
            feedback_json TEXT,
            error_code TEXT NOT NULL DEFAULT '',
            error_message TEXT NOT NULL DEFAULT ''
        )""")


def _v2_rounds(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished')),
            modules_json TEXT NOT NULL DEFAULT '[]',
            scenario_ids_json TEXT NOT NULL DEFAULT '[]',
            follow_ups INTEGER NOT NULL DEFAULT 0,
            strict INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("ALTER TABLE attempts ADD COLUMN round_id INTEGER REFERENCES rounds(id)")
    db.execute("ALTER TABLE attempts ADD COLUMN round_step INTEGER")
    db.execute("ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer'")
    db.execute("ALTER TABLE attempts ADD COLUMN question TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE attempts ADD COLUMN targets_json TEXT NOT NULL DEFAULT '[]'")
    db.execute("CREATE INDEX attempts_by_round ON attempts (round_id, round_step)")


def _v3_more_figures(db: sqlite3.Connection) -> None:
    for column in ("analyzed_at TEXT", "duration_s REAL", "answer_s REAL", "over_time_s REAL",
                   "time_limit_s INTEGER", "filler_total INTEGER",
                   "missed_terms_json TEXT NOT NULL DEFAULT '[]'", "grammar_checked INTEGER"):
        db.execute(f"ALTER TABLE attempts ADD COLUMN {column}")
    db.execute("CREATE INDEX attempts_by_scenario ON attempts (scenario_id, id)")
    # Fill the new figures of attempts analysed before this version from their kept feedback.
    rows = db.execute("SELECT id, feedback_json FROM attempts WHERE feedback_json IS NOT NULL")
    for attempt_id, text in rows.fetchall():
        try:
            data = json.loads(text)
            timing, coverage, grammar = data["timing"], data["coverage"], data["grammar"]
            values = (timing.get("duration_s"), timing.get("answer_s"), timing.get("over_time_s"),
                      timing.get("limit_s"), data["fillers"].get("total"),
                      json.dumps(coverage.get("missing", [])), int(bool(grammar.get("checked"))))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # unreadable feedback: the row stays, its new figures stay empty
        db.execute("""UPDATE attempts SET duration_s = ?, answer_s = ?, over_time_s = ?,
                      time_limit_s = ?, filler_total = ?, missed_terms_json = ?,
                      grammar_checked = ? WHERE id = ?""", (*values, attempt_id))


def _v4_abandoned_rounds(db: sqlite3.Connection) -> None:
    # SQLite's table rebuild (https://sqlite.org/lang_altertable.html#otheralter): `migrate`
    # runs with foreign keys off, so attempts keep pointing at "rounds" by name.
    db.execute("""
        CREATE TABLE rounds_v4 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'finished', 'abandoned')),
            modules_json TEXT NOT NULL DEFAULT '[]',
            scenario_ids_json TEXT NOT NULL DEFAULT '[]',
            follow_ups INTEGER NOT NULL DEFAULT 0,
            strict INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("""INSERT INTO rounds_v4 (id, started_at, finished_at, status, modules_json,
                      scenario_ids_json, follow_ups, strict)
                  SELECT id, started_at, finished_at, status, modules_json, scenario_ids_json,
                      follow_ups, strict FROM rounds""")
    db.execute("DROP TABLE rounds")
    db.execute("ALTER TABLE rounds_v4 RENAME TO rounds")
    if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise sqlite3.IntegrityError("rounds rebuilt with attempts pointing nowhere")


MIGRATIONS: tuple[Migration, ...] = (_v1_attempts, _v2_rounds, _v3_more_figures,
                                     _v4_abandoned_rounds)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS
            ) -> tuple[int, int]:
    """Bring the database to the latest version; returns (version before, version after).

    `db` must be in autocommit mode (`isolation_level=None`): each step runs in its own
    explicit transaction. Raises HistoryTooNew for a database from a newer coach.
    """
    before = schema_version(db)
    db.execute("PRAGMA foreign_keys = OFF")  # a table rebuild needs them off (set outside BEGIN)
    if before > len(migrations):
        raise HistoryTooNew(
            f"The history database is at schema version {before}, newer than this coach "
            f"understands ({len(migrations)}).",
            hint="Update coach, or point COACH_DATA_DIR at another folder.")
    while True:
        # Re-read the version inside the write lock: another process may have migrated first.
        db.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(db)
            if version >= len(migrations):
                db.execute("COMMIT")
                break
            migrations[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    db.execute("PRAGMA foreign_keys = ON")
    return before, schema_version(db)
