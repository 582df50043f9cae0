"""Progress: series over attempts, trends said in words, per-scenario summaries (pure)."""

from __future__ import annotations

import pytest

from coach.history.progress import (
    COVERAGE,
    FILLERS,
    GRAMMAR,
    SCORE,
    WPM,
    averages,
    compare,
    number,
    progress_series,
    scenario_summaries,
    trend,
    trends,
)
from coach.history.records import Attempt, Metrics


def attempt(id, *, score=60.0, wpm=130.0, fillers=3.0, coverage=0.6, grammar=None,
            scenario="oom-silent-restart", status="analyzed", kind="answer") -> Attempt:
    metrics = None
    if status == "analyzed":
        metrics = Metrics(score=score, wpm=wpm, fillers_per_minute=fillers, filler_total=3,
                          coverage_ratio=coverage, grammar_issues=grammar)
    return Attempt(id=id, scenario_id=scenario, recorded_at=f"2025-01-{id:02d}T09:00:00+00:00",
                   recording_path=f"/r/{id}.wav", status=status, kind=kind, metrics=metrics,
                   error_code="no_speech" if status == "failed" else "")


@pytest.mark.parametrize("value, text", [
    (9, "9"), (3.0, "3"), (2.46, "2.5"), (0.04, "0"), (131.6, "132"), (10.4, "10"), (99.5, "100"),
])
def test_number(value, text):
    assert number(value) == text


@pytest.mark.parametrize(
    "metric, before, after, verdict, sentence",
    [
        (FILLERS, 9, 3, "better", "fillers down from 9 to 3 per minute over X"),
        (FILLERS, 2, 4.5, "worse", "fillers up from 2 to 4.5 per minute over X"),
        (FILLERS, 3.0, 3.3, "steady", "fillers steady at about 3.3 per minute over X"),
        (COVERAGE, 40, 80, "better", "key-term coverage up from 40% to 80% over X"),
        (COVERAGE, 80, 60, "worse", "key-term coverage down from 80% to 60% over X"),
        (SCORE, 54, 71, "better", "score up from 54 to 71 over X"),
        (SCORE, 70, 68, "steady", "score steady at about 68 over X"),
        (GRAMMAR, 3, 1, "better", "grammar issues down from 3 to 1 per answer over X"),
        (
            WPM,
            95,
            125,
            "better",
            "pace up from 95 to 125 wpm over X, now inside your 110-160 wpm range",
        ),
        (
            WPM,
            150,
            175,
            "worse",
            "pace up from 150 to 175 wpm over X, now above your 110-160 wpm range",
        ),
        (
            WPM,
            120,
            150,
            "steady",
            "pace up from 120 to 150 wpm over X, still inside your 110-160 wpm range",
        ),
        (
            WPM,
            190,
            170,
            "better",
            "pace down from 190 to 170 wpm over X, still above your 110-160 wpm range",
        ),
        (
            WPM,
            100,
            102,
            "steady",
            "pace steady at about 102 wpm over X, still below your 110-160 wpm range",
        ),
    ],
)
def test_compare_judges_and_says_the_change(metric, before, after, verdict, sentence):
    change = compare(metric, before, after, over="over X")
    assert (change.verdict, change.sentence) == (verdict, sentence)


def test_the_issue_example_sentence():
    history = [attempt(i, fillers=f) for i, f in enumerate([12, 9, 7, 5, 4, 3], 1)]
    fillers = next(s for s in progress_series(history) if s.metric is FILLERS)
    assert trend(fillers).sentence == (
        "fillers down from 9 to 3 per minute over your last 5 attempts")
    assert trend(fillers, last=10).sentence.endswith(
        "from 12 to 3 per minute over your last 6 attempts")


def test_series_keep_order_and_leave_out_what_was_not_measured():
    history = [attempt(1, grammar=2), attempt(2, status="failed"), attempt(3, status="recorded"),
               attempt(4, grammar=None), attempt(5, kind="follow-up"), attempt(6, grammar=0)]
    series = {s.metric.name: s for s in progress_series(history)}
    assert [p.attempt_id for p in series["score"].points] == [1, 4, 6]
    assert [(p.attempt_id, p.value) for p in series["grammar_issues"].points] == [(1, 2), (6, 0)]
    assert series["coverage"].values == (60.0, 60.0, 60.0)


def test_no_trend_from_fewer_than_two_answers():
    assert trends([]) == ()
    assert trends([attempt(1), attempt(2, status="failed")]) == ()
    assert {c.metric.name for c in trends([attempt(1), attempt(2)])} == \
        {"wpm", "fillers_per_minute", "coverage", "score"}  # grammar was never checked


def test_averages_of_main_answers():
    means = averages([attempt(1, score=50, grammar=1), attempt(2, score=70),
                      attempt(3, score=10, kind="follow-up"), attempt(4, status="failed")])
    assert means["score"] == 60 and means["grammar_issues"] == 1
    assert averages([attempt(1, status="failed")]) == {}


def test_scenario_summaries_count_and_order_by_recency():
    history = [attempt(1, scenario="a", score=40), attempt(2, scenario="b", score=90),
               attempt(3, scenario="a", score=70), attempt(4, scenario="a", status="failed"),
               attempt(5, scenario="a", status="recorded"),
               attempt(6, scenario="b", kind="follow-up")]
    a, b = scenario_summaries(history)
    assert (a.scenario_id, a.attempts, a.analyzed, a.failed, a.pending) == ("a", 4, 2, 1, 1)
    assert (a.best_score, a.last_score) == (70, 70)
    assert (b.scenario_id, b.attempts, b.best_score) == ("b", 1, 90)
