"""Pronunciation hints: for key terms and misheard words only, with stress read from the IPA."""

from __future__ import annotations

import pytest

from coach.analysis.coverage import analyze_coverage
from coach.analysis.pronunciation import analyze_pronunciation, stress_note, syllable_stress
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript, Word


@pytest.mark.parametrize("ipa, syllables, stressed, note", [
    ("ˈaɪdmpoʊtənt", 3, 0, "stress the first of 3 syllables"),
    ("ʌnmˈaʊnt", 2, 1, "stress the second of 2 syllables"),
    ("nˈoʊ", 1, 0, ""),  # one syllable: nothing to stress
    ("dˈiː mˈɛsɡ", 0, None, ""),  # a phrase: no single stress
    ("", 0, None, ""),
])
def test_syllable_stress_from_ipa(ipa, syllables, stressed, note):
    assert syllable_stress(ipa) == (syllables, stressed)
    assert stress_note(ipa) == note


def test_hints_for_key_terms_and_lexicon_words_only():
    scenario = Scenario(id="s", title="S", kind="opening", time_limit_s=30, prompt="?",
                        key_terms=(KeyTerm("idempotent", respelling="eye-dem-POH-tent"),))
    words = [
        Word(t, i * 0.4, i * 0.4 + 0.3, 0.3 if t in ("idempotent", "peak", "iowait") else 0.9)
        for i, t in enumerate(["the", "call", "is", "idempotent", "at", "peak", "with", "iowait"])
    ]
    transcript = Transcript(tuple(words), 4.0)
    coverage = analyze_coverage(transcript, scenario)
    report = analyze_pronunciation(transcript, scenario, coverage, (),
                                   lambda spoken: {s: "ˈaɪdmpoʊtənt" for s in spoken})
    # a key term counted as said gets no "say it clearly" (issue 20): it was recognised
    assert [(h.word, h.reason) for h in report.hints] == [("iowait", "unsure_word")]
    assert "stress the first of 3 syllables" in report.hints[0].advice


def test_a_term_ticked_as_said_is_never_told_to_be_said_clearly():
    from coach.cli.render import render_text
    from coach.feedback import build_feedback
    from coach.grammar import not_checked

    scenario = Scenario(id="s", title="S", kind="opening", time_limit_s=30, prompt="?",
                        key_terms=(KeyTerm("OOMKiller"), KeyTerm("dmesg")))
    text = "I think the OOMKiller ended it so I would read dmesg on the node and raise it now"
    words = tuple(Word(t, i * 0.4, i * 0.4 + 0.3, 0.2 if t in ("OOMKiller", "dmesg") else 0.9)
                  for i, t in enumerate(text.split()))
    feedback = build_feedback(Transcript(words, 8.0), scenario, not_checked("none", "off"))
    assert {h.term for h in feedback.coverage.covered} == {"OOMKiller", "dmesg"}
    shown = render_text(feedback)
    assert "✓ OOMKiller" in shown and "say it clearly" not in shown
