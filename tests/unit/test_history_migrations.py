"""Schema migrations on real SQLite files: an old database opens in this version without loss."""

from __future__ import annotations

import json
import sqlite3

import pytest
from history_factory import FILLER_TEXT, make_feedback

from coach.history import HistoryStore
from coach.history.errors import HistoryTooNew
from coach.history.migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version

# The first released schema, written out by hand (not taken from the migrations module), so
# this test keeps checking what real version-1 files contain even if the code changes.
V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recording_file TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'analyzed', 'failed')),
    transcript TEXT NOT NULL DEFAULT '',
    wpm REAL, fillers_per_minute REAL, coverage_ratio REAL, grammar_issues INTEGER, score REAL,
    feedback_json TEXT,
    error_code TEXT NOT NULL DEFAULT '', error_message TEXT NOT NULL DEFAULT ''
);
PRAGMA user_version = 1;
"""


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


@pytest.fixture
def v1_database(tmp_path):
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir()
    feedback = make_feedback(text=FILLER_TEXT, grammar_issues=1).to_dict()
    with sqlite3.connect(path) as db:
        db.executescript(V1_SCHEMA)
        db.execute("""INSERT INTO attempts (scenario_id, recorded_at, recording_file, status,
                          transcript, wpm, fillers_per_minute, coverage_ratio, grammar_issues,
                          score, feedback_json)
                      VALUES ('oom-silent-restart', '2025-01-02T09:00:00+00:00', 'one.wav',
                              'analyzed', ?, ?, ?, ?, 1, ?, ?)""",
                   (feedback["transcript"], feedback["timing"]["wpm"],
                    feedback["fillers"]["per_minute"], feedback["coverage"]["ratio"],
                    feedback["score"]["total"], json.dumps(feedback)))
        db.execute("""INSERT INTO attempts (scenario_id, recorded_at, recording_file, status,
                          error_code, error_message)
                      VALUES ('retry-loop-review', '2025-01-03T09:00:00+00:00', 'two.wav',
                              'failed', 'no_speech', 'No speech was heard.')""")
        db.execute("""INSERT INTO attempts (scenario_id, recorded_at, recording_file)
                      VALUES ('oom-silent-restart', '2025-01-04T09:00:00+00:00', 'three.wav')""")
    db.close()
    return path, feedback


def test_a_new_database_gets_every_migration():
    store = HistoryStore()
    with sqlite3.connect(store.path) as db:
        assert schema_version(db) == LATEST_VERSION == len(MIGRATIONS)
        assert {"attempts", "rounds"} <= {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert store.migrated_from == 0


def test_version_1_database_opens_without_loss(v1_database):
    path, feedback = v1_database
    store = HistoryStore(path, recordings=path.parent / "recordings")
    assert store.migrated_from == 1
    with sqlite3.connect(path) as db:
        assert schema_version(db) == LATEST_VERSION
        assert {"round_id", "round_step", "kind", "question", "targets_json", "analyzed_at",
                "duration_s", "answer_s", "over_time_s", "time_limit_s", "filler_total",
                "missed_terms_json", "grammar_checked"} <= columns(db, "attempts")
        assert {"id", "started_at", "status", "modules_json", "scenario_ids_json",
                "follow_ups", "strict"} <= columns(db, "rounds")

    analysed, failed, pending = store.attempts()
    assert [a.id for a in (analysed, failed, pending)] == [1, 2, 3]
    assert analysed.status == "analyzed" and analysed.kind == "answer"
    assert analysed.recorded_at == "2025-01-02T09:00:00+00:00"
    assert analysed.transcript == feedback["transcript"]
    assert analysed.feedback == feedback
    # figures kept in version 1 columns survive; the new ones are filled from the feedback
    assert analysed.metrics.score == feedback["score"]["total"]
    assert analysed.metrics.grammar_issues == 1
    assert analysed.metrics.filler_total == feedback["fillers"]["total"] > 0
    assert analysed.metrics.missed_terms == tuple(feedback["coverage"]["missing"])
    assert analysed.metrics.time_limit_s == 30
    assert analysed.metrics.answer_s == feedback["timing"]["answer_s"]
    assert (failed.status, failed.error_code) == ("failed", "no_speech")
    assert pending.status == "recorded" and pending.recording_path.endswith("three.wav")

    backup = path.with_name("history-v1.backup.sqlite3")
    with sqlite3.connect(backup) as db:
        assert schema_version(db) == 1
        assert db.execute("SELECT count(*) FROM attempts").fetchone()[0] == 3

    # and the migrated database works like a new one
    round_ = store.start_round(["system-debug"], ["oom-silent-restart"])
    assert store.get_round(round_.id).status == "open"
    assert HistoryStore(path, recordings=path.parent / "recordings").migrated_from == LATEST_VERSION


def test_a_database_from_a_newer_coach_is_refused(tmp_path):
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(HistoryTooNew) as caught:
        HistoryStore(path)
    assert caught.value.code == "history_too_new" and "newer" in str(caught.value)


def test_a_failing_migration_leaves_the_last_complete_version(tmp_path):
    def create_things(db):
        db.execute("CREATE TABLE things (id INTEGER)")

    def broken(db):
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("disk on fire")

    db = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    with pytest.raises(RuntimeError):
        migrate(db, [create_things, broken])
    assert schema_version(db) == 1
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"things"}
    assert migrate(db, [create_things, lambda d: d.execute("CREATE TABLE ok (id INTEGER)")]) \
        == (1, 2)
    db.close()
