"""The reading guide: stressed words, pauses, and the text a voice reads."""

from __future__ import annotations

import pytest

from coach.analysis.cleanup import Piece
from coach.analysis.reading_guide import PAUSE, guide, spoken_text
from coach.scenarios import KeyTerm


def pieces(text: str, unclear: tuple[str, ...] = ()) -> list[Piece]:
    return [Piece(w, "unclear" if w.strip(",.") in unclear else "said") for w in text.split()]


@pytest.mark.parametrize("text, stressed", [
    # the seeds' rhythm tips
    ("The container was restarting frequently.", {"restarting", "frequently."}),
    ("Increase the memory limit by at least 40%.", {"Increase", "40%."}),
    ("I would read memory.events on the node.", {"memory.events"}),
])
def test_stress_goes_on_terms_numbers_and_long_content_words(text, stressed):
    words = guide([pieces(text)], [KeyTerm("memory.events")])
    assert {w.text for w in words if w.stress} >= stressed
    assert sum(w.stress for w in words) <= 2 * len({w.pause for w in words if w.pause})


def test_pauses_at_commas_and_before_joining_words_not_at_the_end():
    text = ("First I check dmesg on the node, then I compare memory.max with the real peak "
            "usage because the graph climbs before every restart.")
    words = guide([pieces(text)])
    phrase_ends = [w.text for w in words if w.pause == "phrase"]
    assert "node," in phrase_ends and words[-1].pause == "sentence"
    spoken = spoken_text(words)
    assert spoken.count(PAUSE) == len(phrase_ends) and not spoken.endswith(PAUSE.strip())


def test_a_long_phrase_is_never_cut_inside_a_key_term():
    text = "and recommend a shared retry budget instead of a fixed count for all callers"
    words = guide([pieces(text)], [KeyTerm("retry budget")])
    retry = next(i for i, w in enumerate(words) if w.text == "retry")
    assert words[retry].pause == ""


def test_unclear_words_are_left_out_of_the_spoken_text_with_a_pause():
    words = guide([pieces("I check the flibber counter in dmesg.", unclear=("flibber",))])
    assert spoken_text(words) == "I check the | counter in dmesg."


def test_an_unclear_word_is_never_stressed():
    words = guide([pieces("I check the flibbertigibbet counter.", unclear=("flibbertigibbet",))])
    assert not next(w for w in words if w.text == "flibbertigibbet").stress
