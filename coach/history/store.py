"""`HistoryStore`: every attempt and round, kept in an SQLite file in the user's data folder.

Layout (under `coach.settings.data_dir()`, moved by `COACH_DATA_DIR`):
    history.sqlite3    attempts and rounds (schema: coach.history.migrations)
    recordings/        a copy of every recorded answer, named by time and scenario

The recording is the one thing that cannot be made again, so `save_recording` copies it into
`recordings/` (written to a temporary name, flushed to disk, then renamed) and inserts the
attempt row, status "recorded", before any analysis starts. If the analysis then crashes or
the process is killed, the attempt is still there and `coach history reanalyze ID` finishes
it. Analysis results arrive later through `record_feedback` or `record_failure`.

Each call opens its own short-lived connection, so one store can be shared by the app's
threads, and the CLI can read while the app writes (the database runs in WAL mode).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from coach.errors import REJECTED_INPUT_CODES, CoachError
from coach.history.errors import (
    AttemptNotFound,
    HistoryError,
    HistoryUnreadable,
    RecordingNotFound,
    RoundNotFound,
)
from coach.history.migrations import LATEST_VERSION, migrate, schema_version
from coach.history.records import (
    ATTEMPT_KINDS,
    Attempt,
    FeedbackRecord,
    Metrics,
    RoundRecord,
    utc_now,
)
from coach.history.unwritable import is_write_failure, write_failed
from coach.settings import data_dir, recordings_dir, writable_folder

DATABASE_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 10.0


def _inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT through `cursor` just wrote."""
    row_id = cursor.lastrowid
    assert row_id is not None  # set by every INSERT that succeeded
    return row_id


class HistoryStore:
    """The practice history. Paths default to the user's data folder at construction time.

    Opening migrates an older database to the current schema (after copying it to
    `history-vN.backup.sqlite3`). Attributes: `path` (the database file), `recordings_dir`,
    `migrated_from` (the schema version found on opening; 0 for a new database).
    """

    def __init__(self, path: str | Path | None = None, *,
                 recordings: str | Path | None = None) -> None:
        self.path = Path(path) if path else data_dir() / DATABASE_NAME
        self.recordings_dir = Path(recordings) if recordings else recordings_dir()
        writable_folder(self.path.parent)
        writable_folder(self.recordings_dir)
        self.migrated_from = self._open_and_migrate()

    # --- connection ---------------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise HistoryUnreadable(f"Cannot open the history database {self.path} ({error}).") \
                from None
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            yield db
        except sqlite3.OperationalError as error:
            if is_write_failure(error):
                raise write_failed(self.path.parent, error) from None
            if "locked" in str(error) or "busy" in str(error):
                raise HistoryError(f"The history database {self.path} is busy ({error}).",
                                   hint="Another coach is writing to it; try again.") from None
            raise
        except sqlite3.DatabaseError as error:
            if type(error) is not sqlite3.DatabaseError:  # IntegrityError and the like: bugs
                raise
            raise HistoryUnreadable(
                f"The history database {self.path} cannot be read ({error}).",
                hint="Move it away to start a new history; recordings/ is not affected.") from None
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # a full disk may have rolled it back already
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _open_and_migrate(self) -> int:
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")
            before = schema_version(db)
            if 0 < before < LATEST_VERSION:
                self._backup(db, before)
            return migrate(db)[0]

    def _backup(self, db: sqlite3.Connection, version: int) -> Path:
        """A copy of an older database before migrating it: history-v1.backup.sqlite3."""
        target = self.path.with_name(f"{self.path.stem}-v{version}.backup{self.path.suffix}")
        copy = sqlite3.connect(target)
        try:
            db.backup(copy)
        finally:
            copy.close()
        return target

    # --- attempts ----------------------------------------------------------------------------
    def save_recording(self, source_path: str | Path, scenario_id: str,
                       round_id: int | None = None, *, round_step: int | None = None,
                       kind: str = "answer", question: str = "",
                       targets: Sequence[str] = ()) -> Attempt:
        """Copy the recording into the data folder, then add the attempt (status "recorded").

        Both are done before this returns; nothing is analysed here. The copy is flushed to
        disk before the row exists, so a row never points at a half-written file.
        """
        source = Path(source_path)
        if not source.is_file():
            raise RecordingNotFound(f"No recording at {source}.")
        if not scenario_id:
            raise ValueError("scenario_id is required")
        if kind not in ATTEMPT_KINDS:
            raise ValueError(f"kind must be one of {ATTEMPT_KINDS}, got {kind!r}")
        recorded_at = utc_now()
        target = self._copy_in(source, scenario_id)
        try:
            with self._transaction() as db:
                cursor = db.execute(
                    """INSERT INTO attempts (scenario_id, recorded_at, recording_file, status,
                           round_id, round_step, kind, question, targets_json)
                       VALUES (?, ?, ?, 'recorded', ?, ?, ?, ?, ?)""",
                    (scenario_id, recorded_at, target.name, round_id, round_step, kind, question,
                     json.dumps(list(targets))))
                attempt_id = _inserted_id(cursor)
        except sqlite3.IntegrityError:
            target.unlink(missing_ok=True)
            raise RoundNotFound(f"No round with id {round_id}.") from None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return self.get(attempt_id)

    def _copy_in(self, source: Path, scenario_id: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        suffix = source.suffix.lower() or ".wav"
        target = self.recordings_dir / f"{stamp}-{scenario_id}-{secrets.token_hex(3)}{suffix}"
        partial = target.with_name(target.name + ".part")
        try:
            self.recordings_dir.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as reader, partial.open("wb") as writer:
                shutil.copyfileobj(reader, writer)
                writer.flush()
                os.fsync(writer.fileno())
            os.replace(partial, target)
        except OSError as error:
            with contextlib.suppress(OSError):  # a read-only folder cannot remove it either
                partial.unlink(missing_ok=True)
            if is_write_failure(error):
                raise write_failed(self.recordings_dir, error, source.stat().st_size) from None
            raise
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return target

    def record_feedback(self, attempt_id: int, feedback) -> Attempt:
        """Keep an analysis result (a `Feedback`, or its `to_dict()`): status "analyzed"."""
        data = feedback if isinstance(feedback, dict) else feedback.to_dict()
        record = FeedbackRecord.from_dict(data)
        metrics = record.metrics
        with self._transaction() as db:
            self._require(db, attempt_id)
            db.execute(
                """UPDATE attempts SET status = 'analyzed', analyzed_at = ?, transcript = ?,
                       score = ?, wpm = ?, fillers_per_minute = ?, filler_total = ?,
                       coverage_ratio = ?, missed_terms_json = ?, grammar_checked = ?,
                       grammar_issues = ?, duration_s = ?, answer_s = ?, over_time_s = ?,
                       time_limit_s = ?, feedback_json = ?, error_code = '', error_message = ''
                   WHERE id = ?""",
                (utc_now(), record.feedback.transcript.text, metrics.score, metrics.wpm,
                 metrics.fillers_per_minute, metrics.filler_total, metrics.coverage_ratio,
                 json.dumps(list(metrics.missed_terms)), int(metrics.grammar_issues is not None),
                 metrics.grammar_issues, metrics.duration_s, metrics.answer_s,
                 metrics.over_time_s, metrics.time_limit_s,
                 json.dumps(data, ensure_ascii=False), attempt_id))
        return self.get(attempt_id)

    def discard(self, attempt_id: int) -> None:
        """Remove an attempt and its kept recording: for a file that was never a usable
        recording (not audio, empty, too short or too long), which no re-analysis can use."""
        attempt = self.get(attempt_id)
        with self._transaction() as db:
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
        Path(attempt.recording_path).unlink(missing_ok=True)

    def record_failure(self, attempt_id: int, error: BaseException) -> Attempt:
        """Keep why the analysis failed: status "failed". The recording stays for a re-analysis.

        Earlier figures are cleared, so a failed re-analysis does not leave stale ones.
        """
        code = error.code if isinstance(error, CoachError) else type(error).__name__
        message = str(error) or type(error).__name__
        with self._transaction() as db:
            self._require(db, attempt_id)
            db.execute(
                """UPDATE attempts SET status = 'failed', analyzed_at = ?, error_code = ?,
                       error_message = ?, transcript = '', score = NULL, wpm = NULL,
                       fillers_per_minute = NULL, filler_total = NULL, coverage_ratio = NULL,
                       missed_terms_json = '[]', grammar_checked = NULL, grammar_issues = NULL,
                       duration_s = NULL, answer_s = NULL, over_time_s = NULL,
                       time_limit_s = NULL, feedback_json = NULL
                   WHERE id = ?""", (utc_now(), code, message, attempt_id))
        return self.get(attempt_id)

    @staticmethod
    def _require(db: sqlite3.Connection, attempt_id: int) -> None:
        if db.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone() is None:
            raise AttemptNotFound(f"No attempt with id {attempt_id}.",
                                  hint="Run 'coach history' to list them.")

    def get(self, attempt_id: int) -> Attempt:
        with self._connect() as db:
            row = db.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise AttemptNotFound(f"No attempt with id {attempt_id}.",
                                  hint="Run 'coach history' to list them.")
        return self._attempt(row)

    def attempts(self, scenario_id: str | None = None, round_id: int | None = None,
                 limit: int | None = None, *, kind: str | None = None) -> list[Attempt]:
        """Attempts oldest first; with `limit`, the most recent `limit` of them.

        Files that were never usable recordings are left out: `discard` removes them now, and
        older versions kept them as failed attempts (error codes in REJECTED_INPUT_CODES).
        """
        marks = ", ".join("?" * len(REJECTED_INPUT_CODES))
        where = [f"NOT (status = 'failed' AND error_code IN ({marks}))"]
        values: list = list(REJECTED_INPUT_CODES)
        for column, value in (("scenario_id", scenario_id), ("round_id", round_id),
                              ("kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                values.append(value)
        sql = "SELECT * FROM attempts WHERE " + " AND ".join(where) + " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            values.append(int(limit))
        with self._connect() as db:
            rows = db.execute(sql, values).fetchall()
        return [self._attempt(row) for row in reversed(rows)]

    def recording(self, attempt: Attempt) -> Path:
        """The kept recording of an attempt; RecordingNotFound if it was deleted."""
        path = Path(attempt.recording_path)
        if not path.is_file():
            raise RecordingNotFound(f"The recording of attempt {attempt.id} is missing: {path}.")
        return path

    def _attempt(self, row: sqlite3.Row) -> Attempt:
        feedback = json.loads(row["feedback_json"]) if row["feedback_json"] else None
        metrics = Metrics.from_row(row, feedback) if row["status"] == "analyzed" else None
        return Attempt(
            id=row["id"], scenario_id=row["scenario_id"], recorded_at=row["recorded_at"],
            recording_path=str(self.recordings_dir / row["recording_file"]),
            # An "analyzed" row without figures cannot be shown: offer it for re-analysis.
            status="recorded" if row["status"] == "analyzed" and not metrics else row["status"],
            round_id=row["round_id"], round_step=row["round_step"], kind=row["kind"],
            question=row["question"], targets=tuple(json.loads(row["targets_json"] or "[]")),
            analyzed_at=row["analyzed_at"], metrics=metrics, transcript=row["transcript"] or "",
            feedback=feedback, error_code=row["error_code"] or "",
            error_message=row["error_message"] or "")

    # --- rounds ------------------------------------------------------------------------------
    def start_round(self, modules: Sequence[str], scenario_ids: Sequence[str], *,
                    follow_ups: int = 0, strict: bool = False) -> RoundRecord:
        record = RoundRecord(0, utc_now(), tuple(modules), tuple(scenario_ids), follow_ups,
                             strict)  # validates before anything is written
        with self._transaction() as db:
            cursor = db.execute(
                """INSERT INTO rounds (started_at, status, modules_json, scenario_ids_json,
                       follow_ups, strict) VALUES (?, 'open', ?, ?, ?, ?)""",
                (record.started_at, json.dumps(list(modules)), json.dumps(list(scenario_ids)),
                 int(follow_ups), int(strict)))
            round_id = _inserted_id(cursor)
        return self.get_round(round_id)

    def abandon_open_rounds(self) -> tuple[int, ...]:
        """Mark every round still open as "abandoned" (a new round is starting); their ids."""
        with self._transaction() as db:
            ids = tuple(row[0] for row in db.execute(
                "SELECT id FROM rounds WHERE status = 'open' ORDER BY id").fetchall())
            db.execute("UPDATE rounds SET status = 'abandoned', finished_at = ? "
                       "WHERE status = 'open'", (utc_now(),))
        return ids

    def finish_round(self, round_id: int) -> RoundRecord:
        with self._transaction() as db:
            cursor = db.execute("UPDATE rounds SET status = 'finished', finished_at = ? "
                                "WHERE id = ?", (utc_now(), round_id))
            if cursor.rowcount == 0:
                raise RoundNotFound(f"No round with id {round_id}.")
        return self.get_round(round_id)

    def get_round(self, round_id: int) -> RoundRecord:
        with self._connect() as db:
            row = db.execute("SELECT * FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if row is None:
            raise RoundNotFound(f"No round with id {round_id}.",
                                hint="Run 'coach history' to list them.")
        return self._round(row)

    def rounds(self, limit: int | None = None) -> list[RoundRecord]:
        """Rounds oldest first; with `limit`, the most recent `limit` of them."""
        sql, values = "SELECT * FROM rounds ORDER BY id DESC", []
        if limit is not None:
            sql += " LIMIT ?"
            values.append(int(limit))
        with self._connect() as db:
            rows = db.execute(sql, values).fetchall()
        return [self._round(row) for row in reversed(rows)]

    def previous_round(self, round_id: int) -> RoundRecord | None:
        """The last finished round before this one, the one a round report compares with."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM rounds WHERE id < ? AND status = 'finished' "
                             "ORDER BY id DESC LIMIT 1", (round_id,)).fetchone()
        return self._round(row) if row else None

    @staticmethod
    def _round(row: sqlite3.Row) -> RoundRecord:
        return RoundRecord(
            id=row["id"], started_at=row["started_at"], finished_at=row["finished_at"],
            status=row["status"], modules=tuple(json.loads(row["modules_json"])),
            scenario_ids=tuple(json.loads(row["scenario_ids_json"])),
            follow_ups=row["follow_ups"], strict=bool(row["strict"]))
