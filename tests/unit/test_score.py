"""The score is built from its parts, and advice is ranked by what it would win back."""

from __future__ import annotations

import pytest

from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.pauses import PauseReport
from coach.analysis.score import WEIGHTS, score_answer
from coach.analysis.structure import analyze_structure
from coach.analysis.timing import analyze_timing
from coach.grammar import GrammarReport, not_checked
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript

SCENARIO = Scenario(id="s", title="S", kind="opening", time_limit_s=30, prompt="?",
                    key_terms=(KeyTerm("dmesg"), KeyTerm("OOMKiller"), KeyTerm("memory.max")))


def score(text, wps=2.4, grammar=None):
    transcript = Transcript.from_text(text, words_per_second=wps)
    timing = analyze_timing(transcript, 30)
    fillers = analyze_fillers(transcript, timing.answer_s / 60)
    coverage = analyze_coverage(transcript, SCENARIO)
    structure = analyze_structure(text, SCENARIO.expected_structure)
    return score_answer(timing, fillers, coverage, grammar or GrammarReport(True, "t"),
                        PauseReport((), 0.0), structure, "opening")


GOOD = ("I suspect the OOMKiller ended the process. I would check dmesg and compare memory.max "
        "with the real peak usage. As a mitigation I would raise the limit for now and fix the "
        "leak next. That is my plan for the first ten minutes of this incident today.")


def test_good_answer_scores_high_and_total_is_the_weighted_mean():
    result = score(GOOD)
    parts = {p.name: p for p in result.parts}
    assert set(parts) == set(WEIGHTS)
    mean = sum(p.score * p.weight for p in result.parts) / sum(p.weight for p in result.parts)
    assert result.total == mean
    assert result.total >= 90


def test_missing_terms_and_fillers_lower_the_score_and_lead_the_advice():
    result = score("Um, uh, I think, um, it is, uh, the memory, um, you know, uh, problem. " * 3)
    assert result.total < 60
    assert len(result.advice) == 3
    assert result.advice[0].startswith("Name the missing key terms")
    assert any("Cut fillers" in a for a in result.advice)


def test_grammar_part_drops_out_when_not_checked():
    result = score(GOOD, grammar=not_checked("LanguageTool", "server down"))
    assert "grammar" not in {p.name for p in result.parts}


def test_one_table_of_rules_drives_parts_rules_and_weights():
    from coach.analysis.score_rules import POINTS_PER_GRAMMAR_ISSUE, RULES

    result = score(GOOD)
    assert [p.name for p in result.parts] == [r.name for r in RULES]
    grammar = next(p for p in result.parts if p.name == "grammar")
    assert f"minus {POINTS_PER_GRAMMAR_ISSUE} per issue" in grammar.rule
    assert {r.name: r.weight for r in RULES} == WEIGHTS


def over_time(kind):
    transcript = Transcript.from_text("word " * 100, words_per_second=100 / 41)
    timing = analyze_timing(transcript, 30)
    fillers = analyze_fillers(transcript, timing.answer_s / 60)
    coverage = analyze_coverage(transcript, SCENARIO)
    return score_answer(timing, fillers, coverage, GrammarReport(True, "t"), PauseReport((), 0.0),
                        analyze_structure("word", ("x",)), kind)


@pytest.mark.parametrize("kind, lead", [("opening", "the hypothesis"), ("review", "the main issue"),
                                        ("rca", "the impact and the root cause"),
                                        ("design", "your recommendation")])
def test_time_advice_depends_on_the_kind(kind, lead):
    advice = " ".join(over_time(kind).advice)
    assert f"Lead with {lead}" in advice
    if kind != "opening":
        assert "hypothesis" not in advice


def test_partial_and_too_short_scores():
    partial = score(GOOD, grammar=not_checked("LanguageTool", "down"))
    assert partial.partial and partial.unmeasured == ("grammar",)
    assert partial.to_dict()["partial"] is True
    short = score("I think it is the OOMKiller.")
    assert short.total is None and not short.judged and short.parts == ()
    assert short.advice[0].startswith("Too short to judge")
