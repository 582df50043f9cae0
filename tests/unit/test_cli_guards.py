"""The command line refuses what would destroy the user's files, before any work."""

from __future__ import annotations

from coach.cli.main import main


def test_speak_refuses_to_overwrite_the_recording(tmp_path, capsys):
    recording = tmp_path / "good.wav"
    recording.write_bytes(b"RIFF....WAVE")
    code = main(["analyze", str(recording), "-s", "oom-silent-restart", "--speak",
                 str(recording)])
    assert code == 2
    assert "would overwrite the recording" in capsys.readouterr().err
    assert recording.read_bytes() == b"RIFF....WAVE"
