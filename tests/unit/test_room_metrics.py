"""The real-room benchmark's scores (benchmarks/room_metrics.py) and its set's manifest."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from benchmarks import room_metrics as rm

ROOMS = Path(__file__).resolve().parents[2] / "audio_fixtures" / "rooms"


def test_normalized_words_drop_punctuation_and_write_numbers_out():
    assert rm.normalize_words("Exit code 137, memory.max!") == [
        "exit", "code", "one", "hundred", "thirty", "seven", "memory", "max",
    ]  # fmt: skip
    assert rm.normalize_words("I\u2019d go 10 meters") == ["i'd", "go", "ten", "meters"]
    assert rm.number_words(2024) == ["two", "thousand", "twenty", "four"]


def test_word_error_rate_counts_substitutions_insertions_and_deletions():
    assert rm.word_error_rate("go forward ten meters", "Go forward 10 meters.") == 0.0
    assert rm.word_errors("a b c d", "a x c d e") == (2, 4)
    assert rm.word_errors("a b c", "") == (3, 3)


def test_key_term_decisions():
    score = rm.score_terms(["dmesg", "memory.max"], ["exit code 137"], {"dmesg", "exit code 137"})
    assert score == rm.TermScore(right=1, decisions=3, false_credits=1, missed=1, not_said=1)


def test_vocal_fillers_match_by_number_discourse_by_words():
    score = rm.score_fillers(["uh", "like", "like"], ["er", "like", "you know"])
    assert score == rm.FillerScore(true_positives=2, false_positives=1, false_negatives=1)
    assert rm.precision_recall(score) == pytest.approx((2 / 3, 2 / 3))
    assert rm.precision_recall(rm.FillerScore(0, 0, 0)) == (1.0, 1.0)


def test_words_per_minute_and_its_error():
    words = [("a", 1.0, 1.2), ("b", 1.5, 1.8), ("c", 2.5, 3.0)]
    assert rm.words_per_minute(words) == pytest.approx(90.0)
    assert rm.wpm_error(90.0, 100.0) == pytest.approx(0.1)
    assert rm.wpm_error(None, 100.0) == 1.0


def test_room_manifest_files_exist_and_keep_the_source_truth():
    entries = tomllib.loads((ROOMS / "manifest.toml").read_text())["file"]
    by_condition = {
        c: [e for e in entries if e["condition"] == c] for c in ("clean", "room20", "room10")
    }
    assert len({len(v) for v in by_condition.values()}) == 1
    for e in entries:
        assert (ROOMS / e["file"]).is_file(), e["file"]
        assert e["true_wpm"] > 0 and e["speech_end_s"] > e["speech_start_s"]
    clean = {e["source_id"]: e for e in by_condition["clean"]}
    for e in by_condition["room20"] + by_condition["room10"]:
        assert e["text"] == clean[e["source_id"]]["text"]
        assert e["noise"] in {"pink", "brown", "babble", "fan", "keyboard"}


def test_the_coach_is_analysed_again_from_the_transcript_a_run_saved():
    from benchmarks.coach_system import reanalyse
    from coach.transcript import Transcript

    saved = Transcript.from_text("my guess is amount leak on the node").to_dict()
    out = reanalyse(saved, "snapshot-prepare-busy")
    assert out.credited_terms == {"mount leak"}
    assert out.text == saved["transcript"] and out.saved == saved


def test_a_partial_run_keeps_the_saved_rows_of_the_other_files(tmp_path, monkeypatch):
    import json

    from benchmarks import room_accuracy as ra

    first = [f.id for f in ra.load_room_files()][:3]
    monkeypatch.setattr(ra, "RESULTS_DIR", tmp_path)
    rows = [{"id": i, "old": True} for i in first]
    (tmp_path / "room_accuracy-x.json").write_text(json.dumps({"files": rows}))
    kept = ra.kept("x", [{"id": first[1], "old": False}], merge=True)
    assert [(r["id"], r["old"]) for r in kept] == [(first[0], True), (first[1], False),
                                                   (first[2], True)]
    assert ra.kept("x", rows[:1], merge=False) == rows[:1]
