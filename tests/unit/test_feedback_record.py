"""The versioned feedback record: rows written by every schema version read back whole.

tests/unit/data/feedback_v1_*.json are rows version 1 wrote (`Feedback.to_dict()` before
schema_version existed) and feedback_v2_*.json rows version 2 wrote, both from real analyses of
audio_fixtures answers (Whisper tiny.en, LanguageTool on).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from history_factory import OOM, make_feedback

from coach.analysis.pronunciation import PronunciationHint, PronunciationReport
from coach.feedback import SCHEMA_VERSION, Feedback, build_feedback
from coach.grammar import GrammarIssue, place_issues
from coach.history.errors import HistoryError
from coach.history.export import attempt_markdown
from coach.history.progress import SCORE, progress_series
from coach.history.records import Attempt, FeedbackRecord, Metrics, kept_feedback
from coach.phonemes.answer import SoundsReport
from coach.scenarios.library import ScenarioLibrary
from coach.transcript import Transcript

NOT_ASKED = SoundsReport()

DATA = Path(__file__).parent / "data"
V1 = ("oom-us150-clean", "oom-joe-grammar")
V2 = ("oom-us150-clean", "oom-joe-grammar", "oom-us150-fillers")
OLD_ROWS = [(1, name) for name in V1] + [(2, name) for name in V2]


def row(version: int, name: str) -> dict:
    return json.loads((DATA / f"feedback_v{version}_{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def library() -> ScenarioLibrary:
    return ScenarioLibrary.load()


def test_a_version_1_row_reads_with_heard_as_terms_apart_from_missing():
    data = row(1, "oom-us150-clean")
    assert "schema_version" not in data and "dmesg" in data["coverage"]["missing"]
    record = FeedbackRecord.from_dict(data)
    feedback = record.feedback
    assert record.schema_version == 1
    assert [(h.term, h.heard) for h in feedback.coverage.heard_as] == [("dmesg", "the mask")]
    assert feedback.coverage.missing == ("memory.events",)  # v1 listed dmesg there too
    assert feedback.score.total == data["score"]["total"] and not feedback.score.partial
    assert record.scenario_id == "oom-silent-restart" and feedback.timing.limit_s == 30
    assert feedback.polished.text == data["polished"]["text"]
    assert feedback.model_answer.text == ""  # no scenario given: no model answer to recover
    metrics = record.metrics
    assert metrics.missed_terms == ("memory.events",) and metrics.unclear_terms == ("dmesg",)
    assert metrics.grammar_issues == 0 and metrics.judged


def test_a_version_1_row_gets_what_it_lacks_from_its_scenario(library):
    data = row(1, "oom-us150-clean")
    scenario = library.get(data["scenario"]["id"])
    feedback = Feedback.from_dict(data, scenario)
    assert feedback.model_answer.text == scenario.reference_answer
    assert feedback.model_answer.spoken_text and feedback.model_answer.words
    polished = feedback.polished
    assert " ".join(w.text for w in polished.words) == polished.text  # its reading guide
    assert any(w.stress for w in polished.words) and "|" in polished.spoken_text
    added = " ".join(w.text for w in polished.words if w.origin == "added")
    assert added == data["polished"]["added"][0]
    assert polished.added_terms == ("memory.events",)
    assert polished.left_out == tuple(data["polished"]["trimmed"])
    assert feedback.timing.word_count == len(data["words"]) and feedback.judged
    assert feedback.unclear.words == () and feedback.score.unmeasured == ()


def test_a_version_1_row_with_grammar_issues_exports_and_counts_in_trends():
    data = row(1, "oom-joe-grammar")
    metrics = Metrics.from_feedback_dict(data)
    assert metrics.grammar_issues == len(data["grammar"]["issues"]) > 0
    attempt = Attempt(id=1, scenario_id=OOM.id, recorded_at="2025-01-01T09:00:00+00:00",
                      recording_path="/r/1.wav", status="analyzed", metrics=metrics,
                      transcript=data["transcript"], feedback=data)
    text = attempt_markdown(attempt, OOM)
    assert "## Grammar" in text and "## Polished answer" in text
    assert f"{metrics.score:.0f}/100" in text
    assert data["grammar"]["issues"][0]["message"] in text
    points = next(s for s in progress_series([attempt]) if s.metric is SCORE).points
    assert [p.value for p in points] == [metrics.score]


@pytest.mark.parametrize(("version", "name"), OLD_ROWS)
def test_an_old_row_marks_the_words_its_findings_were_about(version, name, library):
    data = row(version, name)
    feedback = Feedback.from_dict(data, library.get(data["scenario"]["id"]))
    words = feedback.transcript.words
    assert feedback.transcript.text == data["transcript"]
    spans = [(f.word_index, f.word_count, f.start) for f in feedback.fillers.items]
    spans += [(r.word_index, r.word_count, r.start) for r in feedback.fillers.repetitions]
    spans += [(h.word_index, h.word_count, h.start) for h in feedback.coverage.covered]
    spans += [(h.word_index, h.word_count, h.start) for h in feedback.coverage.heard_as]
    spans += [(g.word_index, g.word_count, g.start) for g in feedback.grammar.issues]
    spans += [(u.word_index, 1, u.start) for u in feedback.unclear.words]
    assert spans, "a row with no findings tests nothing"
    for first, count, start in spans:
        assert abs(words[first].start - start) < 0.006 and first + count <= len(words)
    said = [" ".join(w.text for w in words[h.word_index:h.word_index + h.word_count])
            for h in feedback.coverage.covered]
    assert said == [h.said_as for h in feedback.coverage.covered]


def test_version_2_rows_cover_every_kind_of_finding():
    rows = [row(2, name) for name in V2]
    assert any(r["fillers"]["repetitions"] for r in rows)
    assert any(r["coverage"]["heard_as"] for r in rows)
    assert any(r["grammar"]["issues"] for r in rows)
    assert all(r["unclear"]["words"] for r in rows)


def test_a_version_2_restart_keeps_its_last_two_words():
    data = row(2, "oom-us150-fillers")
    feedback = Feedback.from_dict(data)
    restart = feedback.fillers.repetitions[0]
    assert restart.text == "I check, I checked" and restart.unit == 2
    assert "I checked" in feedback.polished.text and "I check," not in feedback.polished.text


def test_a_row_in_the_previous_shape_reads_as_the_current_one():
    """Version 2 kept no word positions: they are found again, the same."""
    text = ("Um so the OOMKiller, the OOMKiller kill it, I think. I check, I checked the "
            "mask and uh memory.max, you know.")
    transcript = Transcript.from_text(text)
    at = text.index("kill it")
    grammar = place_issues(transcript, [GrammarIssue(at, at + 7, "kill it", "Use the past.",
                                                     ("killed it",), "TENSE", "GRAMMAR")], "test")
    feedback = build_feedback(transcript, OOM, grammar)
    assert feedback.grammar.issues and feedback.fillers.repetitions
    current = json.loads(json.dumps(feedback.to_dict()))
    previous = as_version_2(current)
    assert "word_index" not in json.dumps(previous)
    # (sounds were not checked before version 4: said so, where a new answer was just not asked)
    assert replace(Feedback.from_dict(previous, OOM), sounds=NOT_ASKED) == replace(
        Feedback.from_dict(current, OOM), sounds=NOT_ASKED)


def as_version_2(data: dict) -> dict:
    """`data` as version 2 wrote it: no word positions, no transcript length."""
    old = as_version_3(data)
    old["schema_version"] = 2
    del old["duration_s"]
    for group in (old["fillers"]["items"], old["fillers"]["repetitions"],
                  old["coverage"]["hits"], old["coverage"]["heard_as"],
                  old["grammar"]["issues"], old["unclear"]["words"]):
        for item in group:
            for key in ("word_index", "word_count", "unit"):
                item.pop(key, None)
    return old


def as_version_3(data: dict) -> dict:
    """`data` as version 3 wrote it: word-level hints under "pronunciation", no sounds."""
    old = json.loads(json.dumps(data))
    old["schema_version"] = 3
    old["pronunciation"] = old.pop("pronunciation_hints")
    del old["pronunciation_check"]
    return old


def test_a_version_3_row_reads_with_its_hints_and_sounds_not_checked():
    transcript = Transcript.from_text("I'd run the mess and check memory.max first.")
    hint = PronunciationHint("dmesg", "the mess", 0.9, "heard_as", "ˈdiːmɛsɡ", "DEE-mesg")
    feedback = replace(build_feedback(transcript, OOM, place_issues(transcript, [], "test")),
                       pronunciation=PronunciationReport((hint,)))
    previous = as_version_3(json.loads(json.dumps(feedback.to_dict())))
    assert isinstance(previous["pronunciation"], dict)
    again = Feedback.from_dict(previous, OOM)
    assert again.pronunciation == Feedback.from_dict(feedback.to_dict(), OOM).pronunciation
    assert again.sounds.words == () and not again.sounds.checked
    assert "before" in again.sounds.message
    current = again.to_dict()
    assert current["schema_version"] == 4 and current["pronunciation"] == []
    assert current["pronunciation_check"]["checked"] is False


def test_the_current_version_reads_back(library):
    """(Every report, to the precision kept: tests/unit/test_feedback_round_trip.py.)"""
    feedback = make_feedback(grammar_issues=1)
    data = json.loads(json.dumps(feedback.to_dict()))
    record = FeedbackRecord.from_dict(data)
    assert data["schema_version"] == record.schema_version == SCHEMA_VERSION == 4
    again = record.feedback
    assert again.coverage.missing == feedback.coverage.missing
    assert again.coverage.said == feedback.coverage.said
    assert again.score.total == round(feedback.score.total) and not again.score.partial
    assert again.polished.text == feedback.polished.text
    assert again.model_answer == feedback.model_answer
    assert [(p.name, p.weight) for p in again.score.parts] == [
        (p.name, p.weight) for p in feedback.score.parts]
    assert record.metrics == FeedbackRecord.from_dict(again.to_dict()).metrics


@pytest.mark.parametrize("broken", [{}, {"scenario": {}}, {"timing": None},
                                    {**make_feedback().to_dict(), "schema_version": 99}])
def test_an_unreadable_row_is_no_record(broken):
    attempt = Attempt(id=1, scenario_id="x", recorded_at="t", recording_path="/r",
                      status="recorded", feedback=broken)
    assert attempt.record is None and attempt.title == "x"
    with pytest.raises(HistoryError, match="cannot show"):
        kept_feedback(broken, OOM)
