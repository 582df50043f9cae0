"""Numbers in key terms said as words: Whisper writes "137" or "one thirty-seven" for the same
speech, so a term with digits is found in either (no alias needed), and nothing else is."""

from __future__ import annotations

import pytest

from coach.analysis.spoken_numbers import number_words, spoken_variants
from coach.analysis.terms import mentions
from coach.scenarios import KeyTerm


@pytest.mark.parametrize("number, forms", [
    ("2", {"two"}),
    ("10", {"ten", "one zero"}),
    ("0", {"zero", "oh"}),
    ("137", {"one three seven", "one thirty seven", "one hundred thirty seven",
             "one hundred and thirty seven", "a hundred thirty seven",
             "a hundred and thirty seven"}),
    ("404", {"four zero four", "four oh four", "four hundred four", "four hundred and four"}),
    ("1500", {"one five zero zero", "fifteen hundred", "one thousand five hundred"}),
    ("2019", {"twenty nineteen", "two thousand nineteen", "two thousand and nineteen"}),
    ("007", {"zero zero seven", "oh oh seven"}),
])
def test_number_words(number, forms):
    assert forms <= set(number_words(number))


def test_long_numbers_are_left_alone():
    assert number_words("1234567") == []


def test_spoken_variants_replace_each_number():
    assert "exit code one thirty seven" in spoken_variants("exit code 137")
    assert "cgroup v two" in spoken_variants("cgroup v2")
    assert spoken_variants("memory.max") == []


NO_ALIAS = KeyTerm("exit code 137")


@pytest.mark.parametrize("text, term, found", [
    ("the exit code one thirty-seven again", NO_ALIAS, True),
    ("the exit code one three seven again", NO_ALIAS, True),
    ("exit code a hundred and thirty seven", NO_ALIAS, True),
    ("exit code One Hundred Thirty-Seven", NO_ALIAS, True),
    ("it is cgroup v two", KeyTerm("cgroup v2"), True),
    ("a G P three volume", KeyTerm("gp3"), True),
    ("latency at p ninety nine", KeyTerm("p99"), True),
    # traps: other numbers, or the number's words with something between them
    ("the exit code one thirty eight", NO_ALIAS, False),
    ("the exit code one", NO_ALIAS, False),
    ("exit code one thirty seven hundred", NO_ALIAS, True),  # "137" said, then more
    ("it is cgroup v one", KeyTerm("cgroup v2"), False),
    ("a G P two volume", KeyTerm("gp3"), False),
])
def test_terms_with_numbers_said_as_words(text, term, found):
    assert mentions(text, term) is found
