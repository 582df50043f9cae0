"""One key-term matcher and one normalisation for coverage, polish, speech, grammar and fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.fixture_truth import load_fixtures
from coach.analysis.terms import find_spans, is_known_word, mentions, vocabulary_keys
from coach.analysis.text import letters, phrase_key, term_key
from coach.lexicon import SPOKEN_FORMS
from coach.scenarios import KeyTerm
from coach.speakable import speakable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import make_fixtures


@pytest.mark.parametrize("text, term, found", [
    ("compare memory.max with usage", "memory.max", True),
    ("compare memory dot max with usage", "memory.max", True),
    ("compare memory not max with usage", "memory.max", True),
    ("the O O M killer fired", "OOMKiller", True),
    ("the OOMKiller's kill", "OOMKiller", True),
    ("run perf record", "perf", True),
    ("the performance is fine", "perf", False),  # whole tokens: no "perf" in "performance"
    ("eBPF-based alerts", "eBPF", True),  # a part of a compound counts
    ("the oom kill counter", "OOMKiller", False),
])
def test_mentions(text, term, found):
    assert mentions(text, term) is found


@pytest.mark.parametrize("text, term, found", [
    ("the snapshotters of both nodes", "snapshotter", True),
    ("two zombie processes", "zombie process", True),
    ("the OOMKillers fired", "OOMKiller", True),
    ("retry budgets per client", "retry budget", True),
    ("the performers", "perf", False),  # still whole tokens
    ("two zombie processors", "zombie process", False),
    ("the iostatus page", "iostat", False),
])
def test_a_term_said_in_the_plural(text, term, found):
    assert mentions(text, term) is found


def test_whole_word_spans_never_split_a_word():
    words = ["the", "OOM-killer", "and", "oom"]
    assert [(s.first, s.last) for s in find_spans("oom", words)] == [(1, 1), (3, 3)]
    assert [(s.first, s.last) for s in find_spans("oom", words, whole_words=True)] == [(3, 3)]


def test_aliases_count_as_the_term():
    term = KeyTerm("exit code 137", ("137",))
    assert mentions("it exited with 137", term) and not mentions("it exited", term)


@pytest.mark.parametrize("word, known", [("cgroups", True), ("PVCs", True), ("kubelet's", True),
                                         ("OOM-killer", True), ("memory.max", True),
                                         ("banana", False)])
def test_known_words_for_the_grammar_vocabulary(word, known):
    keys = vocabulary_keys(["cgroup", "PVC", "kubelet", "OOM killer", "memory.max"])
    assert is_known_word(word, keys) is known


@pytest.mark.parametrize("fn, text, out", [
    (phrase_key, "Okay, so,", "okay so"), (term_key, "I/O max", "iomax"),
    (term_key, "O O M killer", "oomkiller"), (letters, "memory .max", "memorymax"),
])
def test_normalisation(fn, text, out):
    assert fn(text) == out


def test_fixture_generator_uses_the_coachs_matching_and_lexicon():
    for fixture in load_fixtures():
        for term in fixture.terms_said:
            assert make_fixtures.term_said(term, fixture.text), (fixture.id, term)
        for term in fixture.terms_not_said:
            assert not make_fixtures.term_said(term, fixture.text), (fixture.id, term)
    text = "Then I run dmesg, compare memory.max and umount it; cgroup v2 and I/O."
    assert make_fixtures.say_as(text) == speakable(text)
    for term, (spoken, _) in SPOKEN_FORMS.items():
        if spoken.lower() != term:
            assert speakable(f"say {term} now") == f"say {spoken} now", term


def test_pause_marks_pass_through_speech():
    assert speakable("check dmesg, | then io.max.") == "check D mesg, | then I O dot max."
