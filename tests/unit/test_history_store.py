"""HistoryStore on real SQLite files: recordings kept first, results later, typed errors."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from history_factory import FILLER_TEXT, make_feedback

from coach.errors import AudioTooLong, DataFolderUnusable, NoSpeechDetected, UnreadableAudio
from coach.history import HistoryStore
from coach.history.errors import (
    AttemptNotFound,
    HistoryUnreadable,
    RecordingNotFound,
    RoundNotFound,
)
from coach.history.migrations import LATEST_VERSION, schema_version
from coach.settings import data_dir


@pytest.fixture
def recording(tmp_path) -> Path:
    path = tmp_path / "answer.wav"
    path.write_bytes(b"RIFF" + bytes(range(256)) * 40)
    return path


@pytest.fixture
def store() -> HistoryStore:
    return HistoryStore()


def test_store_lives_in_the_data_dir_from_the_environment(store):
    assert store.path == data_dir() / "history.sqlite3"
    assert store.recordings_dir == data_dir() / "recordings"
    assert "coach-data" in str(store.path)  # the autouse fixture's temporary folder
    with sqlite3.connect(store.path) as db:
        assert schema_version(db) == LATEST_VERSION


def test_save_recording_copies_the_file_and_adds_a_recorded_row(store, recording):
    attempt = store.save_recording(recording, "oom-silent-restart")
    kept = Path(attempt.recording_path)
    assert attempt.status == "recorded" and attempt.metrics is None
    assert kept.parent == store.recordings_dir and kept != recording
    assert "oom-silent-restart" in kept.name and kept.suffix == ".wav"
    assert kept.read_bytes() == recording.read_bytes()
    assert recording.exists()  # the source is copied, not moved
    assert not list(store.recordings_dir.glob("*.part"))
    assert store.get(attempt.id) == attempt
    assert attempt.recorded_at.endswith("+00:00")


def test_missing_source_is_a_typed_error_and_adds_nothing(store, tmp_path):
    with pytest.raises(RecordingNotFound) as caught:
        store.save_recording(tmp_path / "nope.wav", "oom-silent-restart")
    assert caught.value.code == "recording_not_found"
    assert store.attempts() == []


def test_unknown_round_leaves_neither_row_nor_file(store, recording):
    with pytest.raises(RoundNotFound):
        store.save_recording(recording, "oom-silent-restart", round_id=42)
    assert store.attempts() == []
    assert list(store.recordings_dir.iterdir()) == []


def test_record_feedback_keeps_figures_and_the_whole_feedback(store, recording):
    attempt = store.save_recording(recording, "oom-silent-restart")
    feedback = make_feedback(text=FILLER_TEXT, grammar_issues=2)
    kept = store.record_feedback(attempt.id, feedback)
    assert kept.status == "analyzed" and kept.analyzed_at
    m = kept.metrics
    assert m.score == round(feedback.score.total)
    assert m.wpm == round(feedback.timing.wpm)
    assert m.fillers_per_minute == round(feedback.fillers.per_minute, 1)
    assert m.filler_total == feedback.fillers.total
    assert m.coverage_ratio == pytest.approx(feedback.coverage.ratio)  # counted again: exact
    assert m.missed_terms == feedback.coverage.missing == ("dmesg", "memory.max")
    assert m.grammar_issues == 2
    assert m.time_limit_s == 30
    assert kept.transcript == feedback.transcript.text
    assert kept.feedback == feedback.to_dict()
    assert store.get(attempt.id) == kept


def test_grammar_not_checked_is_none_not_zero(store, recording):
    attempt = store.save_recording(recording, "oom-silent-restart")
    kept = store.record_feedback(attempt.id, make_feedback(grammar_issues=None))
    assert kept.metrics.grammar_issues is None
    kept = store.record_feedback(attempt.id, make_feedback(grammar_issues=0))
    assert kept.metrics.grammar_issues == 0


def test_failure_keeps_the_recording_and_a_later_success_clears_it(store, recording):
    attempt = store.save_recording(recording, "oom-silent-restart")
    failed = store.record_failure(attempt.id, NoSpeechDetected("No speech was heard."))
    assert failed.status == "failed" and failed.metrics is None
    assert (failed.error_code, failed.error_message) == ("no_speech", "No speech was heard.")
    assert Path(failed.recording_path).is_file()
    done = store.record_feedback(attempt.id, make_feedback())
    assert done.status == "analyzed" and done.error_code == "" and done.error_message == ""
    again = store.record_failure(attempt.id, RuntimeError("boom"))
    assert again.error_code == "RuntimeError" and again.metrics is None and again.feedback is None


@pytest.mark.parametrize("call", [
    lambda s: s.get(99),
    lambda s: s.record_feedback(99, make_feedback()),
    lambda s: s.record_failure(99, RuntimeError("x")),
])
def test_unknown_attempt_is_a_typed_error(store, call):
    with pytest.raises(AttemptNotFound) as caught:
        call(store)
    assert caught.value.code == "attempt_not_found" and "99" in str(caught.value)


def test_attempts_filter_and_limit_keep_chronological_order(store, recording):
    round_ = store.start_round(["system-debug"], ["oom-silent-restart"], follow_ups=1)
    ids = [store.save_recording(recording, s).id for s in ("a-one", "b-two", "a-one")]
    in_round = store.save_recording(recording, "a-one", round_.id, round_step=1,
                                    kind="follow-up", question="Why?", targets=["dmesg"])
    assert [a.id for a in store.attempts()] == [*ids, in_round.id]
    assert [a.id for a in store.attempts(scenario_id="a-one")] == [ids[0], ids[2], in_round.id]
    assert [a.id for a in store.attempts(limit=2)] == [ids[2], in_round.id]
    assert [a.id for a in store.attempts(round_id=round_.id)] == [in_round.id]
    assert [a.id for a in store.attempts(kind="answer")] == ids
    follow = store.get(in_round.id)
    assert (follow.kind, follow.question, follow.targets, follow.round_step) == \
        ("follow-up", "Why?", ("dmesg",), 1)


def test_rounds_open_finish_and_previous(store):
    first = store.start_round(["system-debug", "rca"], ["a", "b"], follow_ups=2, strict=True)
    assert (first.status, first.follow_ups, first.strict) == ("open", 2, True)
    assert first.modules == ("system-debug", "rca") and first.scenario_ids == ("a", "b")
    second = store.start_round(["rca"], ["b"])
    assert store.previous_round(second.id) is None  # the first is not finished
    done = store.finish_round(first.id)
    assert done.status == "finished" and done.finished_at
    assert store.previous_round(second.id) == done
    assert [r.id for r in store.rounds()] == [first.id, second.id]
    with pytest.raises(RoundNotFound):
        store.get_round(77)
    with pytest.raises(RoundNotFound):
        store.finish_round(77)


def test_moved_data_folder_still_finds_its_recordings(store, recording, tmp_path, monkeypatch):
    attempt = store.save_recording(recording, "oom-silent-restart")
    moved = tmp_path / "moved"
    shutil.move(str(data_dir()), moved)
    monkeypatch.setenv("COACH_DATA_DIR", str(moved))
    reopened = HistoryStore()
    kept = reopened.get(attempt.id)
    assert Path(kept.recording_path).parent == moved / "recordings"
    assert reopened.recording(kept).read_bytes() == recording.read_bytes()


def test_deleted_recording_is_reported(store, recording):
    attempt = store.save_recording(recording, "oom-silent-restart")
    Path(attempt.recording_path).unlink()
    with pytest.raises(RecordingNotFound):
        store.recording(attempt)


def test_a_file_that_is_not_a_database_is_a_typed_error(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryUnreadable) as caught:
        HistoryStore(path)
    assert caught.value.code == "history_unreadable"


def test_discard_removes_the_attempt_and_its_copy(store, recording):
    kept = store.save_recording(recording, "oom-silent-restart")
    rejected = store.save_recording(recording, "oom-silent-restart")
    store.discard(rejected.id)
    assert not Path(rejected.recording_path).exists() and recording.exists()
    assert [a.id for a in store.attempts()] == [kept.id]
    with pytest.raises(AttemptNotFound):
        store.get(rejected.id)


def test_inputs_rejected_by_older_versions_stay_out_of_lists(store, recording):
    """Older versions kept unusable files as failed attempts; lists and trends skip them."""
    silent = store.save_recording(recording, "oom-silent-restart")
    store.record_failure(silent.id, NoSpeechDetected("No speech detected."))
    for error in (UnreadableAudio("x.png could not be read as audio."),
                  AudioTooLong("The recording is 42 min 00 s long.")):
        old = store.save_recording(recording, "oom-silent-restart")
        store.record_failure(old.id, error)
        assert store.get(old.id).error_code == error.code  # still there by id
    assert [a.id for a in store.attempts()] == [silent.id]  # a silent answer is a real attempt
    assert [a.id for a in store.attempts(scenario_id="oom-silent-restart", limit=5)] == \
        [silent.id]


@pytest.mark.parametrize("make_unusable, why", [
    (lambda folder: folder.write_text("a file"), "is a file, not a folder"),
    (lambda folder: folder.parent.joinpath("plain").write_text("x"), None),
])
def test_a_data_folder_that_is_a_file_is_a_plain_error(tmp_path, monkeypatch, make_unusable,
                                                        why):
    folder = tmp_path / "data"
    make_unusable(folder)
    if why is None:  # a file where a parent folder should be
        folder, why = tmp_path / "plain" / "data", "cannot be made: part of its path is a file"
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    with pytest.raises(DataFolderUnusable) as caught:
        HistoryStore()
    assert str(caught.value).startswith(f"The data folder {folder} {why}.")
    assert "COACH_DATA_DIR" in caught.value.hint
