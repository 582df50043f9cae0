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


def test_a_cache_folder_that_is_a_file_is_named_before_any_engine(tmp_path, monkeypatch,
                                                                  capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "file"))
    recording = tmp_path / "good.wav"
    recording.write_bytes(b"RIFF....WAVE")
    assert main(["analyze", str(recording), "-s", "oom-silent-restart"]) == 2
    err = capsys.readouterr().err
    assert "cache folder" in err and "is a file" in err and "COACH_CACHE_DIR" in err
    assert "LanguageTool" not in err


def test_a_chart_that_cannot_be_written_is_named(capsys):
    assert main(["history", "--chart", "/proc/x.png"]) == 2
    err = capsys.readouterr().err
    assert "/proc/x.png" in err and "cannot be written" in err
