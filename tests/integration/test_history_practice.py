"""analyze_and_keep with the real model, then history, progress, chart and exports from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from coach.attempts import analyze_and_keep
from coach.cli.main import main
from coach.errors import UnreadableAudio
from coach.history import HistoryStore


def test_answers_are_kept_analysed_and_reported(offline_coach, fixtures, capsys, tmp_path):
    store = HistoryStore()
    worse, feedback_worse, error = analyze_and_keep(
        offline_coach, store, fixtures["oom-us150-fillers"].path, "oom-silent-restart")
    assert error is None and worse.status == "analyzed"
    better, feedback, error = analyze_and_keep(
        offline_coach, store, fixtures["oom-us150-clean"].path, "oom-silent-restart")
    assert error is None
    assert better.metrics.score == round(feedback.score.total)
    assert better.metrics.wpm == round(feedback.timing.wpm)
    assert better.metrics.coverage_ratio == round(feedback.coverage.ratio, 2)
    assert feedback.audio_path == better.recording_path  # the kept copy was analysed
    assert Path(better.recording_path).read_bytes() == fixtures["oom-us150-clean"].path.read_bytes()
    assert feedback_worse.fillers.total > feedback.fillers.total

    not_audio = tmp_path / "answer.wav"
    not_audio.write_text("this is a text file, not a recording\n", encoding="utf-8")
    bad, none, error = analyze_and_keep(offline_coach, store, not_audio, "oom-silent-restart")
    assert none is None and isinstance(error, UnreadableAudio)
    # Not a recording: nothing kept, and the message names the user's file, not the copy.
    assert str(error).startswith("answer.wav could not be read as audio")
    assert Path(bad.recording_path).name not in str(error)
    assert not Path(bad.recording_path).exists()
    assert [a.id for a in store.attempts()] == [worse.id, better.id]

    chart = tmp_path / "progress.png"
    assert main(["history", "--json", "--chart", str(chart)]) == 0
    data = json.loads(capsys.readouterr().out)
    [summary] = data["scenarios"]
    assert (summary["attempts"], summary["analyzed"], summary["failed"]) == (2, 2, 0)
    fillers = next(t for t in data["trends"] if t["metric"] == "fillers_per_minute")
    assert fillers["verdict"] == "better"
    assert fillers["sentence"].startswith("fillers down from")
    assert fillers["sentence"].endswith("per minute over your last 2 attempts")
    assert chart.read_bytes()[:4] == b"\x89PNG"

    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "oom-silent-restart" in out and "2 attempt(s)" in out and "failed" not in out
    assert "fillers down from" in out

    target = tmp_path / "report.md"
    assert main(["export", "attempt", str(better.id), "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"Wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Answer #{better.id}: ")
    assert "**Question:** A container in production keeps restarting" in text
    assert "## What you said" in text and "OOMKiller" in text

    assert main(["export", "attempt", str(better.id), "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["attempt"]["feedback"]["transcript"] == feedback.transcript.text

    assert main(["export", "attempt", "999"]) == 2
    assert (
        capsys.readouterr().err
        == "coach: No attempt with id 999. Run 'coach history' to list them.\n"
    )
