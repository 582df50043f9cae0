"""`coach practice` end to end: prompt spoken, a fixture 'recorded', feedback, polished audio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave

import pytest

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


class StandInSoundDevice:
    """sounddevice with the given device list, as PortAudio reports it: checking a default
    device that does not exist raises PortAudioError."""

    PortAudioError = RuntimeError

    def __init__(self, devices: list[dict]) -> None:
        self.devices = devices

    def query_devices(self) -> list[dict]:
        return self.devices

    def _check(self, channels_key: str, device: int | None) -> None:
        usable = [i for i, d in enumerate(self.devices) if d[channels_key] > 0]
        if (device is None and not usable) or (device is not None and device not in usable):
            raise self.PortAudioError("Error querying device -1")

    def check_input_settings(self, device=None, **settings) -> None:
        self._check("max_input_channels", device)

    def check_output_settings(self, device=None, **settings) -> None:
        self._check("max_output_channels", device)


SPEAKER = {"name": "HDMI speaker", "max_input_channels": 0, "max_output_channels": 2}
HEADSET = {"name": "USB headset", "max_input_channels": 1, "max_output_channels": 2}


def practice_in_process(monkeypatch, capsys, devices: list[dict], *args: str):
    """`coach practice ARGS` in this process, on a machine with these audio devices."""
    from coach.audio import recorder
    from coach.cli.main import main

    monkeypatch.setattr(recorder, "_sounddevice", lambda: StandInSoundDevice(devices))
    code = main(["practice", *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("devices", [[], [SPEAKER]], ids=["no devices", "speaker only"])
def test_without_a_microphone_the_message_is_clear(monkeypatch, capsys, devices):
    code, out = practice_in_process(
        monkeypatch, capsys, devices, "--scenario", "oom-silent-restart"
    )
    assert code == 2
    assert "No input (microphone) device available" in out
    assert ("HDMI speaker (in 0, out 2)" in out) == bool(devices)  # the devices there are
    assert "coach analyze FILE" in out and "--input FILE" in out


def test_a_chosen_device_without_input_is_refused(monkeypatch, capsys):
    code, out = practice_in_process(monkeypatch, capsys, [HEADSET, SPEAKER], "--device", "1")
    assert code == 2 and "No input (microphone) device available" in out
    assert "  0 USB headset (in 1, out 2)" in out


@pytest.mark.parametrize(("devices", "listed"), [
    ([], ["No audio devices found."]),
    ([HEADSET, SPEAKER], ["  0 USB headset (in 1, out 2)", "  1 HDMI speaker (in 0, out 2)"]),
])
def test_list_devices(monkeypatch, capsys, devices, listed):
    code, out = practice_in_process(monkeypatch, capsys, devices, "--list-devices")
    assert code == 0 and out.splitlines() == listed


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
