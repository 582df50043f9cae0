"""The polished answer: the speaker's words cleaned, completed with short clauses, fitted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.model_answer import model_answer
from coach.analysis.polish import join_clauses, polish_answer
from coach.analysis.reading_guide import PAUSE
from coach.analysis.structure import analyze_structure
from coach.analysis.unclear import find_unclear
from coach.grammar import GrammarFinding, GrammarReport, not_checked
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript, Word

HERE = Path(__file__).resolve().parent
SCENARIO = Scenario(
    id="oom", title="OOM", kind="opening", time_limit_s=30, prompt="?",
    key_terms=(
        KeyTerm("OOMKiller", ("OOM killer",), model_sentence="The OOMKiller likely ended it.",
                clause="I suspect the OOMKiller ended it"),
        KeyTerm("dmesg", (), model_sentence="I would confirm the kill in dmesg.",
                clause="I'd confirm the kill in dmesg"),
        KeyTerm("memory.events", (), clause="I'd read the oom_kill counter in memory.events"),
    ),
    reference_answer="I suspect the OOMKiller. I'd check dmesg and memory.events. Then I'd "
                     "raise the limit.",
)


def polish(text, grammar=None, scenario=SCENARIO, transcript=None):
    transcript = transcript or Transcript.from_text(text)
    fillers = analyze_fillers(transcript, 0.5)
    coverage = analyze_coverage(transcript, scenario)
    grammar = grammar or not_checked("none", "off")
    return polish_answer(transcript, scenario, fillers, coverage, grammar,
                         find_unclear(transcript, grammar))


def test_clean_complete_answer_stays_as_it_is():
    text = ("I suspect the OOMKiller. I would check dmesg and memory.events. Then I would raise "
            "the limit.")
    result = polish(text)
    assert result.text == text
    assert result.removed == () and result.fixed == () and result.added == ()
    assert all(part.op == "same" for part in result.diff)


def test_fillers_repeats_and_spelling_are_cleaned():
    result = polish("Um, so I suspect the the oom killer and, you know, I would check dmesg and "
                    "memory.events")
    assert result.text.startswith("So I suspect the OOMKiller and I would check dmesg and "
                                  "memory.events.")
    assert "Um" in result.removed and "you know" in result.removed and "the" in result.removed
    assert ("oom killer", "OOMKiller") in result.fixed


def test_an_alias_keeps_the_speakers_words():
    scenario = Scenario(id="x", title="X", kind="opening", time_limit_s=30, prompt="?",
                        key_terms=(KeyTerm("exit code 137", ("137",)),))
    result = polish("If it is code 137, it was a kill signal.", scenario=scenario)
    assert result.text == "If it is code 137, it was a kill signal."


def test_a_spoken_dot_written_as_not_is_spelled_as_the_term():
    result = polish("I suspect the OOMKiller, so I check dmesg and memory not events.")
    assert "memory.events" in result.text and "not events" not in result.text


def test_a_missing_term_joins_the_sentence_of_its_part():
    result = polish("I suspect the OOMKiller. I would check dmesg on the node first. Then I "
                    "raise the limit.")
    assert result.added_terms == ("memory.events",)
    assert ("I would check dmesg on the node first, and I'd read the oom_kill counter in "
            "memory.events.") in result.text
    assert result.text.endswith("Then I raise the limit.")
    assert [d.op for d in result.diff].count("added") == 1


def test_missing_terms_of_a_missing_part_become_one_short_sentence_in_order():
    result = polish("I suspect the OOMKiller ended it. To mitigate, I would raise the limit.")
    assert result.added_terms == ("dmesg", "memory.events")
    sentences = result.text.split(". ")
    assert sentences[1] == ("I'd confirm the kill in dmesg and read the oom_kill counter in "
                            "memory.events")  # one sentence, between hypothesis and mitigation
    assert result.structure.missing == ("first checks",)
    assert result.missing_parts == ()


def test_grammar_suggestion_is_applied():
    finding = GrammarFinding("were", "Agreement", "was", ("was",), "AGREEMENT", "GRAMMAR",
                             0.0, 4, 1)
    text = "I think the container were restarting with the OOM killer so I check dmesg."
    result = polish(text, GrammarReport(True, "test", (finding,)))
    assert "the container was restarting" in result.text
    assert ("were", "was") in result.fixed


def test_a_grammar_suggestion_never_rewrites_a_key_term_said():
    # "I check dmesg" with a suggestion on the term itself (LanguageTool once offered "written"
    # for the "write" of "write amplification"): the term stays as said
    finding = GrammarFinding("dmesg", "Spelling", "message", ("message",), "SPELL", "TYPOS",
                             0.0, 13, 1)
    text = "I think the container were restarting with the OOM killer so I check dmesg."
    result = polish(text, GrammarReport(True, "test", (finding,)))
    assert "dmesg" in result.text and "message" not in result.text
    assert ("dmesg", "message") not in result.fixed


def test_same_input_gives_same_output():
    text = "Uh, like, the OOM killer, I mean, it is basically the the limit"
    runs = {seed: subprocess.run(  # a new interpreter each time, with its own set/dict order
        [sys.executable, "-c", ("import sys; sys.path.insert(0, sys.argv[1]); "
                                "from test_polish import polish; print(polish(sys.argv[2]))"),
         str(HERE), text],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
    ).stdout for seed in ("1", "2")}
    assert runs["1"] == runs["2"] == f"{polish(text)}\n"


def test_a_long_answer_loses_asides_first_and_keeps_every_point():
    aside = "We had a long discussion about the history of this service and its owners."
    text = (f"{aside} I suspect the OOMKiller. {aside} I would check dmesg and memory.events. "
            f"{aside} {aside} To mitigate, I would raise the limit.")
    result = polish(text)
    assert result.fits
    for point in ("I suspect the OOMKiller.", "I would check dmesg and memory.events.",
                  "To mitigate, I would raise the limit."):
        assert point in result.text
    assert aside in result.left_out
    assert result.text.startswith(aside)  # the lead-in stays while it fits


def test_added_clauses_are_the_first_to_go_when_time_is_short():
    text = ("I suspect the OOMKiller ended the process, because the memory graph climbs before "
            "every restart and the logs stop. I would check dmesg on "
            "the node for the kill and compare the limit with the real peak usage of the pod. "
            "To mitigate, I would raise the limit for now and then fix the memory leak.")
    result = polish(text)  # fits as espeak says it (26 s), not with the clause joined
    assert result.added_terms == () and result.left_out == ("the clause for memory.events",)
    assert result.text == text and result.fits


def test_parts_are_put_in_the_scenarios_order():
    result = polish("To mitigate, I would raise the limit. I suspect the OOMKiller. I would "
                    "check dmesg and memory.events.")
    assert result.reordered
    assert result.text == ("I suspect the OOMKiller. I would check dmesg and memory.events. To "
                           "mitigate, I would raise the limit.")
    assert not result.structure.order_ok


def test_a_lead_in_stays_first():
    text = ("The dashboard shows high memory, but when I run top nothing is busy. I suspect the "
            "OOMKiller. I would check dmesg and memory.events, then raise the limit.")
    result = polish(text)
    assert not result.reordered and result.text == text


def test_unclear_words_stay_as_heard_and_are_not_read_aloud():
    words = list(Transcript.from_text("I suspect the OOMKiller, so I check the flibber counter "
                                      "in dmesg and memory.events, then raise the limit.").words)
    words[8] = Word(words[8].text, words[8].start, words[8].end, 0.2)  # "flibber"
    result = polish("", transcript=Transcript(tuple(words), 10.0))
    assert "flibber" in result.text and result.unclear == ("flibber",)
    assert "flibber" not in result.spoken_text


def test_reading_guide_stresses_terms_and_numbers_and_marks_pauses():
    result = polish("I suspect the OOMKiller, so I check dmesg and memory.events on the node. "
                    "Then I increase the memory limit by at least 40% for now.")
    stressed = [w.text for w in result.words if w.stress]
    assert "40%" in stressed and "increase" in stressed and "OOMKiller," in stressed
    assert PAUSE in result.spoken_text and "|" not in result.text
    assert result.spoken_text.replace(PAUSE, " ").split() == result.text.split()


def test_the_model_answer_is_apart_and_guided():
    answer = model_answer(SCENARIO)
    assert answer.text == SCENARIO.reference_answer
    assert any(w.stress for w in answer.words)
    assert polish("I suspect the OOMKiller.").text.count("raise the limit") == 0


@pytest.mark.parametrize("clauses, joined", [
    (["I'd check dmesg"], "I'd check dmesg"),
    (["I'd check dmesg", "I'd read memory.events"], "I'd check dmesg and read memory.events"),
    (["I'd check dmesg", "the counter climbs"], "I'd check dmesg and the counter climbs"),
    (["I'd a", "I'd b", "I'd c"], "I'd a, b and c"),
])
def test_join_clauses(clauses, joined):
    assert join_clauses(clauses) == joined


@pytest.mark.parametrize("text, expected, order_ok", [
    ("I suspect a leak. I would check dmesg. Then I would raise the limit as a workaround.",
     ("hypothesis", "first checks", "mitigation"), ((), True)),
    ("I would check dmesg. I suspect a leak.", ("hypothesis", "first checks", "mitigation"),
     (("mitigation",), False)),
    ("My guess is a leak. I recommend raising the memory limit by 40%.",
     ("hypothesis", "first checks", "mitigation"), (("first checks",), True)),
])
def test_structure(text, expected, order_ok):
    report = analyze_structure(text, expected)
    assert (report.missing, report.order_ok) == order_ok
