"""After a crash the page knows at once that nobody analyses the last answer (the analysing
process left a mark with its pid and start time) and offers to analyse it now."""

from __future__ import annotations

import os
import subprocess
import sys

import gradio as gr
from fakes import OOM, TextCoach, said_in

from coach.history import HistoryStore
from coach.history.workers import MARKS_FOLDER, analysing, being_analysed
from coach.ui.attempt_view import attempt_view, last_answer, open_attempt
from coach.ui.shared import Shared


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_worker_that_died_a_second_ago_is_not_analysing(tmp_path):
    shared = Shared(TextCoach(), HistoryStore())
    with gr.Blocks():
        view = attempt_view()
    kept = shared.store.save_recording(said_in(tmp_path, "The OOMKiller."), OOM.id)
    marks = shared.store.path.parent / MARKS_FOLDER
    marks.mkdir()
    (marks / str(kept.id)).write_text(f"{_dead_pid()} 123\n", encoding="ascii")
    note, polling = last_answer(shared)
    assert not polling and "being analysed" not in note and "Open it" in note
    shown = open_attempt(view, shared, kept.id)
    assert "Not analysed" in shown[view.heading]
    assert shown[view.analyse] == gr.update(visible=True)
    assert not (marks / str(kept.id)).exists()  # the dead worker's mark is cleared


def test_a_live_worker_is_analysing_until_it_ends(tmp_path):
    store = HistoryStore()
    with analysing(store.path.parent, 7):
        assert being_analysed(store.path.parent, 7)
    assert not being_analysed(store.path.parent, 7)


def test_a_reused_pid_is_not_taken_for_the_worker(tmp_path):
    store = HistoryStore()
    marks = store.path.parent / MARKS_FOLDER
    marks.mkdir()
    (marks / "3").write_text(f"{os.getpid()} 1\n", encoding="ascii")  # another start time
    assert not being_analysed(store.path.parent, 3)
