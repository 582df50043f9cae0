"""A full disk or a read-only history: the feedback is still given, and the answer is kept
somewhere that still has room, with a message that names the folder and the space needed."""

from __future__ import annotations

import errno
import sqlite3
import stat
import sys
from pathlib import Path

import gradio as gr
import pytest

sys.path.insert(0, str(Path(__file__).parent / "app"))
from fakes import OOM, TextCoach, said_in

import coach.history.store as store_module
from coach.attempts import analyze_and_keep
from coach.history import HistoryStore
from coach.history.errors import HistoryWriteFailed
from coach.ui.practice_tab import answer, practice_tab
from coach.ui.shared import Shared

ANSWER = "Um the OOMKiller killed it: see dmesg and memory.max."


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))


def _disk_full(monkeypatch):
    """Writes into the data folder fail with ENOSPC; elsewhere (the cache) they work."""
    copy = store_module.shutil.copyfileobj

    def full(reader, writer, *args):
        if "coach-data" in str(getattr(writer, "name", "")):
            raise OSError(errno.ENOSPC, "No space left on device")
        copy(reader, writer, *args)
    monkeypatch.setattr(store_module.shutil, "copyfileobj", full)


def _database_full(monkeypatch):
    def full(db, attempt_id):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(HistoryStore, "_require", staticmethod(full))


def test_no_room_for_the_recording_still_gives_feedback_and_keeps_it_elsewhere(
        tmp_path, monkeypatch):
    store = HistoryStore()
    _disk_full(monkeypatch)
    attempt, feedback, error = outcome = analyze_and_keep(
        TextCoach(), store, said_in(tmp_path, ANSWER), OOM.id)
    assert error is None and feedback is not None and attempt is None
    message = str(outcome.unkept)
    assert str(store.recordings_dir) in message and "full" in message
    assert "MB free" in message and "needed" in message
    kept = Path(message.split("kept at ")[1].split(" instead")[0])
    assert kept.parent == tmp_path / "cache" / "unsaved"
    assert kept.read_text(encoding="utf-8") == ANSWER
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert store.attempts() == [] and list(store.recordings_dir.iterdir()) == []


def test_a_full_database_at_the_commit_still_gives_the_feedback(tmp_path, monkeypatch):
    store = HistoryStore()
    _database_full(monkeypatch)
    attempt, feedback, error = outcome = analyze_and_keep(
        TextCoach(), store, said_in(tmp_path, ANSWER), OOM.id)
    assert error is None and feedback is not None
    assert attempt is not None and Path(attempt.recording_path).is_file()
    message = str(outcome.unkept)
    assert str(store.path.parent) in message and "full" in message
    assert f"coach history reanalyze {attempt.id}" in message


@pytest.mark.parametrize(("text", "says"), [("attempt to write a readonly database", "read-only"),
                                           ("disk I/O error", "disk I/O error")])
def test_a_database_that_refuses_writes_is_named(tmp_path, monkeypatch, text, says):
    store = HistoryStore()

    def refuse(db, attempt_id):
        raise sqlite3.OperationalError(text)
    monkeypatch.setattr(HistoryStore, "_require", staticmethod(refuse))
    with pytest.raises(HistoryWriteFailed) as caught:
        store.record_failure(store.save_recording(said_in(tmp_path, ANSWER), OOM.id).id,
                             ValueError("x"))
    assert str(store.path.parent) in str(caught.value) and says in str(caught.value)


def test_the_app_shows_the_feedback_and_where_the_answer_is_when_the_disk_is_full(
        tmp_path, monkeypatch):
    shared = Shared(TextCoach(), HistoryStore())
    with gr.Blocks():
        practice = practice_tab(shared, list(shared.coach.library))
    _disk_full(monkeypatch)
    shown = answer(practice, shared, str(said_in(tmp_path, ANSWER)), OOM.id, {},
                   progress=lambda *args, **kw: None)
    assert shown[practice.feedback_box] == gr.update(visible=True)
    note = shown[practice.area.notice]
    assert note["visible"] and "is full" in note["value"] and "unsaved" in note["value"]
