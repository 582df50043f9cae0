"""A process killed in the middle of an analysis loses nothing; `reanalyze` finishes the attempt.

The child process is the real code path (`analyze_and_keep` with a real Coach and real audio
decoding); only its speech model is a stand-in that announces the transcription and hangs,
so the test can send SIGKILL at a known point instead of guessing with timers.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

from coach.cli.main import main
from coach.history import HistoryStore

CHILD = """
import sys, time
from coach import Coach, Settings
from coach.history import HistoryStore
from coach.attempts import analyze_and_keep

class HangingTranscriber:
    def transcribe(self, clip, terms):
        print("transcribing", flush=True)
        time.sleep(120)
        raise SystemExit("was not killed")

coach = Coach(Settings(check_grammar=False), transcriber=HangingTranscriber())
analyze_and_keep(coach, HistoryStore(), sys.argv[1], "oom-silent-restart")
"""


def kill_mid_analysis(recording) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(recording)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready, "the child never reached the analysis"
        line = child.stdout.readline().strip()
        assert line == "transcribing", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()


def test_killed_analysis_keeps_the_attempt_and_reanalyze_completes_it(fixtures, capsys):
    source = fixtures["oom-us150-fillers"].path
    kill_mid_analysis(source)

    store = HistoryStore()
    [attempt] = store.attempts()
    assert attempt.status == "recorded" and attempt.metrics is None
    assert attempt.scenario_id == "oom-silent-restart"
    assert store.recording(attempt).read_bytes() == source.read_bytes()

    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert f"not analysed yet: coach history reanalyze {attempt.id}" in out
    assert "1 not analysed" in out

    assert main(["history", "reanalyze", str(attempt.id), "--no-grammar"]) == 0
    out = capsys.readouterr().out
    assert f"Attempt {attempt.id} analysed and kept." in out and "Key terms" in out

    done = store.get(attempt.id)
    assert done.status == "analyzed" and done.analyzed_at
    assert done.recording_path == attempt.recording_path
    assert "OOMKiller" in done.feedback["coverage"]["covered"]
    assert "memory.events" in done.metrics.missed_terms
    assert done.metrics.filler_total >= 3
    assert done.feedback["audio"] == attempt.recording_path  # analysed from the kept copy
