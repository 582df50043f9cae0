"""The versioned feedback record: rows written by every schema version read back the same way.

tests/unit/data/feedback_v1_*.json are rows the previous version wrote (`Feedback.to_dict()`
before schema_version existed) from real analyses of audio_fixtures answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from history_factory import OOM, make_feedback

from coach.feedback import SCHEMA_VERSION
from coach.history.export import attempt_markdown
from coach.history.progress import SCORE, progress_series
from coach.history.records import Attempt, FeedbackRecord, Metrics

DATA = Path(__file__).parent / "data"


def v1(name: str) -> dict:
    return json.loads((DATA / f"feedback_v1_{name}.json").read_text(encoding="utf-8"))


def test_a_version_1_row_reads_with_heard_as_terms_apart_from_missing():
    data = v1("oom-us150-clean")
    assert "schema_version" not in data and "dmesg" in data["coverage"]["missing"]
    record = FeedbackRecord.from_dict(data)
    assert record.schema_version == 1
    assert record.heard_as == (("dmesg", "the mask"),)
    assert record.missing == ("memory.events",)  # v1 listed dmesg (heard as) as missing too
    assert record.score == data["score"]["total"] and not record.partial
    assert record.scenario_id == "oom-silent-restart" and record.time_limit_s == 30
    assert record.polished_text == data["polished"]["text"] and record.model_answer == ""
    metrics = record.metrics
    assert metrics.missed_terms == ("memory.events",) and metrics.unclear_terms == ("dmesg",)
    assert metrics.grammar_issues == 0 and metrics.judged


def test_a_version_1_row_with_grammar_issues_exports_and_counts_in_trends():
    data = v1("oom-joe-grammar")
    metrics = Metrics.from_feedback_dict(data)
    assert metrics.grammar_issues == len(data["grammar"]["issues"]) > 0
    attempt = Attempt(id=1, scenario_id=OOM.id, recorded_at="2025-01-01T09:00:00+00:00",
                      recording_path="/r/1.wav", status="analyzed", metrics=metrics,
                      transcript=data["transcript"], feedback=data)
    text = attempt_markdown(attempt, OOM)
    assert "## Grammar" in text and "## Polished answer" in text
    assert f"{metrics.score:.0f}/100" in text
    points = next(s for s in progress_series([attempt]) if s.metric is SCORE).points
    assert [p.value for p in points] == [metrics.score]


def test_the_current_version_round_trips():
    feedback = make_feedback(grammar_issues=1)
    data = json.loads(json.dumps(feedback.to_dict()))
    record = FeedbackRecord.from_dict(data)
    assert data["schema_version"] == record.schema_version == SCHEMA_VERSION
    assert record.missing == feedback.coverage.missing
    assert record.score == round(feedback.score.total) and not record.partial
    assert record.polished_text == feedback.polished.text
    assert record.model_answer == feedback.model_answer.text
    assert [(p.name, p.weight) for p in record.parts] == [
        (p.name, p.weight) for p in feedback.score.parts]


@pytest.mark.parametrize("broken", [{}, {"scenario": {}}, {"timing": None}])
def test_an_unreadable_row_is_no_record(broken):
    attempt = Attempt(id=1, scenario_id="x", recorded_at="t", recording_path="/r",
                      status="recorded", feedback=broken)
    assert attempt.record is None and attempt.title == "x"
