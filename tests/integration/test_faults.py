"""Fault injection: a full disk, a read-only history, a killed or hung LanguageTool, a killed
app, a port in use. In each case nothing the user said is lost, and the message names the
cause. Real engines, real file systems (a 2 MB tmpfs, remounted read-only: needs root).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_history_crash import kill_mid_analysis

from coach.grammar.languagetool import LanguageToolChecker
from coach.grammar.languagetool_server import RESTARTED, LanguageToolServer
from coach.history import HistoryStore
from coach.history.workers import being_analysed
from coach.scenarios.library import ScenarioLibrary
from coach.ui.attempt_view import last_answer
from coach.ui.shared import Shared, analyze

ROOT = Path(__file__).resolve().parents[2]
BIG = ROOT / "audio_fixtures" / "formats" / "cpu-joe-short-pause_48k_stereo.wav"  # 1.6 MB
SHARED_CACHE = Path.home() / ".cache" / "coach"


@pytest.fixture
def tmpfs(tmp_path):
    """A 2 MB tmpfs of this test's own, unmounted after it."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A cache folder of this test's own that still finds the shared models and jars."""
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in ("models", "languagetool"):
        if (SHARED_CACHE / name).exists():
            (cache / name).symlink_to(SHARED_CACHE / name)
    monkeypatch.setenv("COACH_CACHE_DIR", str(cache))
    return cache


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of `folder` until `leave` bytes are free."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_a_round_on_a_full_disk_still_prints_the_feedback_and_keeps_the_answer(
        tmpfs, private_cache):
    env = {**os.environ, "COACH_DATA_DIR": str(tmpfs / "data")}
    HistoryStore(tmpfs / "data" / "history.sqlite3", recordings=tmpfs / "data" / "recordings")
    _fill(tmpfs, 400_000)  # room for the database's pages, not for a 1.6 MB recording
    run = subprocess.run(
        [sys.executable, "-m", "coach.cli", "round", "--scenarios", "cpu-high-no-process",
         "--follow-ups", "0", "--no-grammar", "-i", str(BIG)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert "Traceback" not in run.stderr, run.stderr
    assert "is full" in run.stderr and str(tmpfs / "data" / "recordings") in run.stderr
    assert "MB free" in run.stderr and "MB needed" in run.stderr
    assert "Key terms" in run.stdout or "key terms" in run.stdout  # the feedback, printed
    [kept] = (private_cache / "unsaved").iterdir()
    assert str(kept) in run.stderr and kept.read_bytes() == BIG.read_bytes()


def test_the_app_handler_on_a_read_only_history_still_gives_the_feedback(
        tmpfs, private_cache, offline_coach, fixtures):
    store = HistoryStore(tmpfs / "history.sqlite3", recordings=tmpfs / "recordings")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    source = fixtures["oom-us150-fillers"].path
    outcome = analyze(Shared(offline_coach, store), str(source), "oom-silent-restart")
    assert outcome.error is None and outcome.feedback is not None
    message = str(outcome.unkept)
    assert f"{tmpfs / 'recordings'} is read-only" in message
    [kept] = (private_cache / "unsaved").iterdir()
    assert str(kept) in message and kept.read_bytes() == Path(source).read_bytes()


def test_a_killed_then_a_hung_languagetool_loses_no_grammar_check():
    server = LanguageToolServer()
    checker = LanguageToolChecker(server)
    try:
        server.start()
        os.killpg(server.pid, signal.SIGKILL)  # the JVM crashes
        killed = checker.check("The node were down.")
        assert any(i.text == "were" for i in killed.issues)
        os.killpg(server.pid, signal.SIGSTOP)  # the JVM hangs: the port accepts, no answer
        hung = checker.check("The node were down.")
        assert hung.note == RESTARTED and "LanguageTool" in hung.note
        assert any(i.text == "were" for i in hung.issues)
    finally:
        server.close()


def test_a_killed_app_leaves_the_answer_offered_for_analysis_at_once(fixtures):
    kill_mid_analysis(fixtures["oom-us150-fillers"].path)
    store = HistoryStore()
    [attempt] = store.attempts()
    assert attempt.status == "recorded" and Path(attempt.recording_path).is_file()
    assert not being_analysed(store.path.parent, attempt.id)
    shared = Shared(SimpleNamespace(library=ScenarioLibrary.load()), store)
    note, polling = last_answer(shared)
    assert not polling and "being analysed" not in note and "Open it" in note


def test_a_port_in_use_is_named():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "coach.cli", "serve", "--port", str(port)],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"Port {port} on 127.0.0.1 is already in use" in run.stderr
