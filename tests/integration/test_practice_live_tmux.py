"""`coach practice` in a real terminal (tmux): the live panel while an answer is recorded.

`--input FIXTURE --realtime` plays the fixture like a microphone, at the pace of speech. While
it plays, the pane shows the time left and, once the first chunk is decoded, a ticked key
term; Enter stops it. The question's limit is raised to LIMIT_S in a copy of the scenarios (the
words reach the panel a chunk behind the speaker, later on a loaded machine, and the real
limit, 30 s, is about the fixture's length). tmux is a test package (scripts/setup_system.sh
test).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from benchmarks.fixture_truth import FIXTURES
from coach.settings import scenarios_dir

LIVE_TIMEOUT_S = 110
LIMIT_S = 120


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def test_the_practice_panel_shows_time_left_and_ticks_a_key_term_while_recording(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: run scripts/setup_system.sh test (apt-get install tmux)")
    fixture = FIXTURES / "answers" / "oom-us150-fillers.flac"  # says "OOMKiller" at once
    command = [sys.executable, "-m", "coach.cli", "practice", "--input", str(fixture),
               "--realtime", "--sink", str(tmp_path / "sink"), "--no-grammar",
               "--scenario", "oom-silent-restart"]
    scenarios = shutil.copytree(scenarios_dir(), tmp_path / "scenarios")
    oom = scenarios / "oom-silent-restart.toml"
    oom.write_text(oom.read_text().replace("time_limit_s = 30", f"time_limit_s = {LIMIT_S}"))
    env = (f"COACH_DATA_DIR={shlex.quote(str(tmp_path / 'data'))} "
           f"COACH_SCENARIOS_DIR={shlex.quote(str(scenarios))}")
    session = f"coach-live-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40",
         f"cd {shlex.quote(os.getcwd())} && {env} {shlex.join(command)}; sleep 600")
    try:
        screens, deadline = [], time.monotonic() + LIVE_TIMEOUT_S
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p", "-t", session)
            screens.append(screen)
            if "✓ OOMKiller" in screen and "Recorded" not in screen:
                break
            time.sleep(1)
        recording = [s for s in screens if "s left" in s and "Recorded" not in s]
        assert recording, "no panel while recording:\n" + screens[-1]
        assert any("key terms: ✓ OOMKiller" in s for s in recording), screens[-1]
        panel = next(s for s in recording if "✓ OOMKiller" in s)
        assert "parts:" in panel and "pace" in panel and "fillers" in panel
        lefts = {line for s in recording for line in s.splitlines() if "s left" in line}
        assert len(lefts) >= 2, "the clock runs"
        tmux("send-keys", "-t", session, "Enter")  # stops the recording
        deadline = time.monotonic() + 30
        while "Recorded" not in screen and time.monotonic() < deadline:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-p", "-t", session)
        assert "Recorded" in screen, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
