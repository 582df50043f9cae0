"""`coach practice` end to end: prompt spoken, a fixture 'recorded', feedback, polished audio."""

from __future__ import annotations

import os
import subprocess
import sys
import wave

from benchmarks.fixture_truth import FIXTURES


def practice(tmp_path, *args, stdin="q\n"):
    env = dict(os.environ, COACH_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "coach.cli", "practice", *args],
                          input=stdin, capture_output=True, text=True, env=env, timeout=300,
                          check=False)


def test_whole_loop_with_file_input_and_file_sink(tmp_path):
    sink = tmp_path / "played"
    result = practice(tmp_path, "--scenario", "oom-silent-restart", "--no-grammar",
                      "--input", str(FIXTURES / "answers/oom-us150-fillers.flac"),
                      "--sink", str(sink), stdin="a\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Container" in out and "limit 30 s" in out
    assert out.count("Key terms") == 2  # answered twice: "again", then quit
    assert "OOMKiller" in out and "Polished answer" in out
    played = sorted(p.name for p in sink.iterdir())
    assert len(played) == 4  # prompt, polished, prompt, polished
    assert played[0].startswith("01-prompt-") and played[1].startswith("02-polished-")
    for path in sink.iterdir():
        with wave.open(str(path)) as audio:
            assert audio.getnframes() / audio.getframerate() > 3
    recordings = list((tmp_path / "data" / "recordings").rglob("*.flac"))
    assert len(recordings) == 2
    assert "Traceback" not in result.stderr


def test_silent_recording_is_reported_and_kept(tmp_path):
    result = practice(tmp_path, "--scenario", "oom-silent-restart", "--no-grammar",
                      "--input", str(FIXTURES / "bad/silence_5s.wav"), "--sink",
                      str(tmp_path / "played"))
    assert result.returncode == 0
    assert "No speech detected" in result.stdout and "kept as attempt" in result.stdout


def test_without_audio_devices_the_message_is_clear(tmp_path):
    result = practice(tmp_path, "--scenario", "oom-silent-restart")
    assert result.returncode == 2
    assert "No input (microphone) device available" in result.stdout
    assert "coach analyze FILE" in result.stdout
    assert "Traceback" not in result.stderr


def test_list_devices(tmp_path):
    result = practice(tmp_path, "--list-devices")
    assert result.returncode == 0 and "No audio devices found." in result.stdout
