"""Exports: an attempt or a round as Markdown to read, or JSON carrying everything kept."""

from __future__ import annotations

import json

import pytest
from history_factory import FILLER_TEXT, OOM, make_feedback

from coach.errors import NoSpeechDetected
from coach.history import HistoryStore
from coach.history.export import (
    attempt_json,
    attempt_markdown,
    figures_row,
    round_json,
    round_markdown,
    round_summary_markdown,
)
from coach.rounds import build_round_report


@pytest.fixture
def store():
    return HistoryStore()


@pytest.fixture
def recording(tmp_path):
    path = tmp_path / "answer.wav"
    path.write_bytes(b"RIFF....WAVE")
    return path


def test_analysed_attempt_as_markdown(store, recording):
    attempt = store.save_recording(recording, OOM.id)
    attempt = store.record_feedback(attempt.id, make_feedback(text=FILLER_TEXT, grammar_issues=1))
    text = attempt_markdown(attempt, OOM)
    assert text.startswith(f"# Answer #{attempt.id}: Container restarts with nothing in its logs")
    assert "- Scenario: `oom-silent-restart` (system-debug, opening)" in text
    assert f"**Question:** {OOM.prompt}" in text
    assert "| Score | Pace | Fillers | Key terms | Grammar | Time |" in text
    assert f"| {attempt.metrics.score:.0f}/100 |" in text and "| 1 issue |" in text
    assert "> Um so basically" in text
    assert "- Said: OOMKiller" in text and "- Missed: dmesg, memory.max" in text
    assert "## Fillers" in text and '"um" at 0.0 s' in text
    assert '- "he go" -> "he goes": Use \'goes\'.' in text
    assert "## Advice\n\n1. Name the missing key terms" in text
    assert "## Polished answer" in text
    assert attempt.recording_path in text


@pytest.mark.parametrize("state, expected", [
    ("recorded", "coach history reanalyze"),
    ("failed", "The analysis failed (no_speech): No speech was heard."),
])
def test_unfinished_attempts_say_what_to_do(store, recording, state, expected):
    attempt = store.save_recording(recording, OOM.id)
    if state == "failed":
        attempt = store.record_failure(attempt.id, NoSpeechDetected("No speech was heard."))
    text = attempt_markdown(attempt)
    assert expected in text and f"reanalyze {attempt.id}" in text
    assert figures_row(attempt)["score"] in ("not analysed yet", "failed: no_speech")


def test_attempt_json_round_trips_everything_kept(store, recording):
    attempt = store.save_recording(recording, OOM.id)
    feedback = make_feedback()
    attempt = store.record_feedback(attempt.id, feedback)
    data = json.loads(attempt_json(attempt))
    assert (data["format"], data["version"]) == ("coach-attempt", 1)
    assert data["attempt"]["id"] == attempt.id and data["attempt"]["status"] == "analyzed"
    assert data["attempt"]["feedback"] == feedback.to_dict()
    assert data["attempt"]["metrics"]["score"] == 100
    assert data["attempt"]["error"] is None


def test_round_exports(store, recording):
    first = store.start_round(["system-debug"], [OOM.id], follow_ups=1)
    a = store.save_recording(recording, OOM.id, first.id, round_step=0)
    store.record_feedback(a.id, make_feedback(text=FILLER_TEXT))
    f = store.save_recording(recording, OOM.id, first.id, round_step=1, kind="follow-up",
                             question="Which cgroup file has the limit?", targets=["memory.max"])
    store.record_failure(f.id, NoSpeechDetected("No speech was heard."))
    store.finish_round(first.id)
    second = store.start_round(["system-debug"], [OOM.id], follow_ups=0, strict=True)
    b = store.save_recording(recording, OOM.id, second.id, round_step=0)
    store.record_feedback(b.id, make_feedback())
    store.finish_round(second.id)

    summary = round_summary_markdown(build_round_report(store, first.id))
    assert summary.startswith(f"# Mock interview round {first.id}")
    assert "1 follow-up per answer, lenient timing" in summary
    assert "This is your first round: nothing to compare yet." in summary
    assert "1. Answer again; it could not be analysed: No speech was heard." in summary
    assert "Time-outs" not in summary

    report = build_round_report(store, second.id)
    text = round_markdown(report, {OOM.id: OOM})
    assert "0 follow-ups per answer, strict timing" in text
    assert "Time-outs (strict timing): none" in text
    assert "Improved: fillers down from" in text and f"since round {first.id}" in text
    assert "Nothing stands out" in text
    assert f"### Answer #{b.id}: Container restarts" in text

    data = json.loads(round_json(report))
    assert (data["format"], data["report"]["round"]["id"]) == ("coach-round", second.id)
    assert data["report"]["previous_round_id"] == first.id
    assert [x["id"] for x in data["attempts"]] == [b.id]
    assert data["attempts"][0]["feedback"]["scenario"]["id"] == OOM.id


def test_html_in_scenario_fields_is_written_as_text_in_markdown(store, recording):
    from dataclasses import replace

    from coach.scenarios import KeyTerm

    hostile = replace(OOM, title="Restarts <script>alert(1)</script>",
                      prompt="Why <img src=x onerror=alert(2)>?",
                      key_terms=(KeyTerm("<b>OOMKiller</b>"), *OOM.key_terms[1:]),
                      reference_answer="Check <iframe src=evil> & dmesg.")
    attempt = store.save_recording(recording, OOM.id)
    attempt = store.record_feedback(attempt.id, make_feedback(scenario=hostile))
    text = attempt_markdown(attempt, hostile)
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "<iframe" not in text
    assert "Restarts &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "**Question:** Why &lt;img src=x onerror=alert(2)&gt;?" in text
    assert "&lt;b&gt;OOMKiller&lt;/b&gt;" in text
