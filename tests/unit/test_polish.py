"""The polished answer: deterministic clean-up, fixes, additions, structure, and the diff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.polish import polish_answer
from coach.analysis.structure import analyze_structure
from coach.grammar import GrammarFinding, GrammarReport, not_checked
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript

HERE = Path(__file__).resolve().parent
SCENARIO = Scenario(
    id="oom", title="OOM", kind="opening", time_limit_s=30, prompt="?",
    key_terms=(
        KeyTerm("OOMKiller", ("OOM killer",), model_sentence="The OOMKiller likely ended it."),
        KeyTerm("dmesg", (), model_sentence="I would confirm the kill in dmesg."),
    ),
)


def polish(text, grammar=None, scenario=SCENARIO):
    transcript = Transcript.from_text(text)
    fillers = analyze_fillers(transcript, 0.5)
    coverage = analyze_coverage(transcript, scenario)
    return polish_answer(transcript, scenario, fillers, coverage,
                         grammar or not_checked("none", "off"))


def test_clean_answer_stays_as_it_is():
    text = "I suspect the OOMKiller. I would check dmesg. Then I would raise the limit."
    result = polish(text)
    assert result.text == text
    assert result.removed == () and result.fixed == () and result.added == ()
    assert all(part.op == "same" for part in result.diff)


def test_fillers_repeats_and_spelling_are_cleaned():
    result = polish("Um, so I suspect the the oom killer and, you know, I would check dmesg")
    assert result.text == "So I suspect the OOMKiller and I would check dmesg."
    assert "Um" in result.removed and "you know" in result.removed and "the" in result.removed
    assert ("oom killer", "OOMKiller") in result.fixed


def test_an_alias_keeps_the_speakers_words():
    scenario = Scenario(id="x", title="X", kind="opening", time_limit_s=30, prompt="?",
                        key_terms=(KeyTerm("exit code 137", ("137",)),))
    result = polish("If it is code 137, it was a kill signal.", scenario=scenario)
    assert result.text == "If it is code 137, it was a kill signal."


def test_missing_terms_are_added_from_the_scenario():
    result = polish("I suspect the OOM killer.")
    assert result.added == ("I would confirm the kill in dmesg.",)
    assert result.text.endswith("I would confirm the kill in dmesg.")
    added = [d.text for d in result.diff if d.op == "added"]
    assert added[-1].endswith("I would confirm the kill in dmesg.")
    assert [d.text for d in result.diff if d.op == "removed"] == ["OOM killer."]


def test_grammar_suggestion_is_applied():
    transcript = Transcript.from_text("I think the container were restarting with the OOM killer "
                                      "so I check dmesg.")
    finding = GrammarFinding("were", "Agreement", "was", ("was",), "AGREEMENT", "GRAMMAR",
                             0.0, 4, 1)
    result = polish("I think the container were restarting with the OOM killer so I check dmesg.",
                    GrammarReport(True, "test", (finding,)))
    assert "the container was restarting" in result.text
    assert ("were", "was") in result.fixed
    assert transcript.words[4].text not in result.text.split()  # replaced where it was said


def test_same_input_gives_same_output():
    text = "Uh, like, the OOM killer, I mean, it is basically the the limit"
    runs = {seed: subprocess.run(  # a new interpreter each time, with its own set/dict order
        [sys.executable, "-c", ("import sys; sys.path.insert(0, sys.argv[1]); "
                                "from test_polish import polish; print(polish(sys.argv[2]))"),
         str(HERE), text],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
    ).stdout for seed in ("1", "2")}
    assert runs["1"] == runs["2"] == f"{polish(text)}\n"


def test_long_answer_is_trimmed_to_the_limit_keeping_key_points():
    filler_sentence = "We had a long discussion about the history of this service and its owners."
    text = " ".join([filler_sentence] * 8) + " I suspect the OOMKiller."
    result = polish(text)
    assert result.fits
    assert "OOMKiller" in result.text and "dmesg" in result.text
    assert result.trimmed


@pytest.mark.parametrize("text, expected, missing, order_ok", [
    ("I suspect a leak. I would check dmesg. Then I would raise the limit as a workaround.",
     ("hypothesis", "first checks", "mitigation"), ("hypothesis", "first checks", "mitigation"),
     ((), True)),
    ("I would check dmesg. I suspect a leak.", ("hypothesis", "first checks", "mitigation"),
     None, (("mitigation",), False)),
])
def test_structure(text, expected, missing, order_ok):
    report = analyze_structure(text, expected)
    assert (report.missing, report.order_ok) == order_ok
