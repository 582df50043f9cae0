"""Token normalisation for term matching, and the repetition-loop guard."""

from __future__ import annotations

from itertools import pairwise

import pytest

from coach.analysis.text import match_tokens
from coach.transcript import Word
from coach.transcript_cleanup import (
    join_spelled_tools,
    join_split_names,
    remove_repetition_loops,
    split_glued_terms,
)


@pytest.mark.parametrize("text, tokens", [
    ("OOM-killer", ["oom", "killer"]),
    ("oom killer", ["oom", "killer"]),
    ("OOMKiller.", ["oomkiller"]),
    ("I/O max", ["io", "max"]),
    ("io dot max", ["io", "max"]),
    ("io.max,", ["io", "max"]),
    ("O O M killer", ["oom", "killer"]),
    ("C group v2", ["c", "group", "v2"]),
    ("I think a b", ["i", "think", "a", "b"]),
    ("exit code 137.", ["exit", "code", "137"]),
    ("memory.events", ["memory", "events"]),
])
def test_match_tokens(text, tokens):
    assert match_tokens(text) == tokens


def words(text):
    return [Word(t, i * 0.3, i * 0.3 + 0.25) for i, t in enumerate(text.split())]


@pytest.mark.parametrize("text, expected, cut", [
    ("dial 5.0.0.0.0.0.0.0.0.0 now", "dial 5.0.0 now", True),
    ("the system the system the system the system the system is down",
     "the system the system is down", True),
    ("we retry, retry the call", "we retry, retry the call", False),
    ("no, no, no, that is wrong", "no, no, no, that is wrong", False),
    ("1 2 3 4 5 5 4 3 2 1", "1 2 3 4 5 5 4 3 2 1", False),
    ("go go go go go go go go", "go go", True),
])
def test_repetition_loops_are_cut_and_real_repeats_kept(text, expected, cut):
    kept, notes = remove_repetition_loops(words(text))
    assert " ".join(w.text for w in kept) == expected
    assert bool(notes) == cut


@pytest.mark.parametrize("ref, hyp, wer", [
    ("the cat sat", "the cat sat", 0.0),
    ("the cat sat", "the cat", 1 / 3),
    ("The OOM-killer fired.", "the oom killer fired", 0.0),
    ("exit code one three seven", "exit code 1 3 7", 0.0),
    ("a b c d", "x y", 1.0),
    ("", "", 0.0),
])
def test_word_error_rate(ref, hyp, wer):
    from benchmarks.word_error_rate import word_error_rate

    assert word_error_rate(ref, hyp) == pytest.approx(wer)


@pytest.mark.parametrize(("said", "joined"), [
    ("the memory .events file", "the memory.events file"),
    ("read io .max and cpu .stat.", "read io.max and cpu.stat."),
    ("it failed . Then", "it failed . Then"),  # a lone dot is punctuation, not a name
    ("version 2 .5", "version 2 .5"),  # a digit after the dot is not a file suffix
    ("done. .NET", "done. .NET"),  # the first word ends a sentence
])
def test_split_file_names_are_joined(said, joined):
    words = [Word(t, i, i + 0.5, 0.9 - i / 100) for i, t in enumerate(said.split())]
    result = join_split_names(words)
    assert " ".join(w.text for w in result) == joined
    assert all(a.start <= b.start for a, b in pairwise(result))
    if len(result) < len(words):
        merged = next(w for w in result if "." in w.text[1:-1])
        assert merged.probability < 0.9


def test_a_word_glued_to_a_key_term_with_a_dot_is_split_off():
    words = [Word("I", 0.0, 0.2, 0.9), Word("run", 0.2, 0.5, 0.9), Word("perf.top,", 0.5, 1.4, 0.7),
             Word("memory.events.file", 2.0, 3.7, 0.6)]
    result = split_glued_terms(words, ["perf", "memory.events", "OOMKiller"])
    assert [w.text for w in result] == ["I", "run", "perf", "top,", "memory.events", "file"]
    perf, top = result[2], result[3]
    assert (perf.start, top.end) == (0.5, 1.4) and perf.end == top.start  # the time shared out
    assert 0.5 < perf.end < 1.4 and perf.probability == top.probability == 0.7


@pytest.mark.parametrize("text", ["cpu.stat", "Memory.invent.io", "perf.data", "top.perf",
                                  "perf.x", "perf.2"])
def test_a_dotted_word_that_is_a_key_term_or_not_glued_to_one_is_kept(text):
    """cpu.stat and perf.data are terms; no term starts Memory.invent.io or top.perf; a one
    letter or numeric tail is no word."""
    words = [Word(text, 1.0, 2.0, 0.8)]
    assert split_glued_terms(words, ["cpu.stat", "perf", "perf.data", "memory"]) == words


def test_a_tool_written_as_its_letters_and_a_word_is_joined():
    text = "I ran S trace, then io stat on the C group and s-trace, C-groups."
    words = [Word(w, i * 0.5, i * 0.5 + 0.4, 0.9 - i / 100) for i, w in enumerate(text.split())]
    result = join_spelled_tools(words)
    assert " ".join(w.text for w in result) == ("I ran strace, then iostat on the cgroup and "
                                                "strace, cgroups.")
    strace = result[2]
    assert (strace.start, strace.end) == (words[2].start, words[3].end)
    assert strace.probability == words[3].probability  # the lower of the two


@pytest.mark.parametrize("text", ["I am on call now", "we ran it at ten", "a pi chart",
                                  "S, trace it", "s trace2", "a re-trace", "io.stat"])
def test_words_that_only_look_like_a_split_tool_are_kept(text):
    """Two ordinary words, a head of more than two letters, a comma between, or a tail
    that is not a word."""
    words = [Word(w, float(i), i + 0.5, 0.9) for i, w in enumerate(text.split())]
    assert join_spelled_tools(words) == words
