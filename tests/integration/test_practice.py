"""`coach practice` end to end: prompt spoken, a fixture 'recorded', feedback, polished audio."""

from __future__ import annotations

import json
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


def test_without_a_speaker_the_loop_goes_on_with_text_only(tmp_path):
    result = practice(tmp_path, "--scenario", "oom-silent-restart", "--no-grammar",
                      "--input", str(FIXTURES / "answers/oom-us150-fillers.flac"))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "playback is off (no output (speaker) device available)" in out
    assert "A container in production keeps restarting" in out  # the question, printed
    assert "Polished answer" in out and "Key terms" in out
    assert "Playing" not in out
    assert len(list((tmp_path / "data" / "recordings").iterdir())) == 1


def test_a_file_that_is_no_recording_is_refused_by_its_own_name_and_not_kept(tmp_path):
    not_audio = tmp_path / "my answer.wav"
    not_audio.write_text("notes, not a recording\n", encoding="utf-8")
    result = practice(tmp_path, "--scenario", "oom-silent-restart", "--no-grammar",
                      "--input", str(not_audio), "--sink", str(tmp_path / "played"))
    assert result.returncode == 2
    assert result.stdout.startswith("coach: my answer.wav could not be read as audio")
    assert not (tmp_path / "data" / "recordings").exists() or not any(
        (tmp_path / "data" / "recordings").iterdir())


def test_a_too_short_answer_names_the_users_file_and_is_not_kept(tmp_path):
    result = practice(tmp_path, "--scenario", "oom-silent-restart", "--no-grammar",
                      "--input", str(FIXTURES / "bad/short_0_5s.wav"),
                      "--sink", str(tmp_path / "played"))
    assert result.returncode == 0, result.stderr
    assert "short_0_5s.wav is only 0.5 s long" in result.stdout
    assert "not kept: it is not a usable recording" in result.stdout
    assert list((tmp_path / "data" / "recordings").iterdir()) == []
    history = subprocess.run([sys.executable, "-m", "coach.cli", "history", "--json"],
                             env=dict(os.environ, COACH_DATA_DIR=str(tmp_path / "data")),
                             capture_output=True, text=True, check=True)
    assert json.loads(history.stdout)["recent"] == []
