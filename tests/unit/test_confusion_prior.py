"""The confusion prior (inventory.UNRELIABLE): an edit this recogniser does not hear reliably is
held to the strict "other" threshold, whatever its kind; the others keep theirs.

Frames are drawn for "fix X today" with one sound of X mostly heard as another (as in
tests/unit/test_sounds.py): "zone" with its /z/ heard as /s/ (z/s: unreliable), "jitter" with
its /dʒ/ heard as /j/ (a likely substitute the recogniser hears well).
"""

from __future__ import annotations

import numpy as np
import pytest

from coach.phonemes import inventory, scoring
from coach.phonemes.recogniser import FRAME_S

IPA = {"fix": "fˈɪks", "today": "tədˈeɪ", "zone": "zˈoʊn", "jitter": "dʒˈɪɾɚ"}


def frames(term: str, heard_first_as: str | None, share: float = 0.75,
           add_last: str | None = None) -> np.ndarray:
    """fix (0.1-0.5 s), `term` (0.5-1.0 s), today (1.0-1.5 s); the term's first sound mostly
    (`share`) heard as `heard_first_as`; `add_last`: a sound said after the term's last."""
    columns = len(inventory.COLUMNS)
    lp = np.full((int(1.6 / FRAME_S), columns), np.log(0.01 / columns))
    lp[:, 0] = np.log(0.99)
    for word, start, end in (("fix", 0.1, 0.5), (term, 0.5, 1.0), ("today", 1.0, 1.5)):
        sounds = inventory.expected_phonemes(IPA[word])
        if word == term and add_last:
            sounds = [*sounds, inventory.Phoneme(add_last, (add_last,))]
        edges = np.linspace(start / FRAME_S, end / FRAME_S, len(sounds) + 1).astype(int)
        for i, sound in enumerate(sounds):
            span = slice(edges[i], edges[i + 1] - 1)
            lp[span] = np.log(0.01 / columns)
            own = inventory.sequence_columns([sound])[0][0]
            if word == term and i == 0 and heard_first_as:
                lp[span, own] = np.log(0.99 - share)
                lp[span, inventory.COLUMN[heard_first_as]] = np.log(share)
            else:
                lp[span, own] = np.log(0.99)
    return lp


def judged(term: str, heard: str, unreliable=inventory.UNRELIABLE):
    lp = frames(term, heard)
    phonemes = {w: inventory.expected_phonemes(IPA[w]) for w in ("fix", term, "today")}
    evidence = scoring.phoneme_evidence(lp, phonemes["fix"], phonemes[term], phonemes["today"],
                                        unreliable=unreliable)
    return evidence, scoring.decide(term, evidence)


def test_the_prior_holds_the_edits_the_recogniser_does_not_hear_reliably():
    assert ("z", "substitution", "s") in inventory.UNRELIABLE
    assert ("ɛ", "substitution", "æ") in inventory.UNRELIABLE
    assert not any(e == "d͡ʒ" and h == "j" for e, _, h in inventory.UNRELIABLE)
    kinds = {kind for _, kind, _ in inventory.UNRELIABLE}
    assert kinds <= {"substitution", "deletion", "insertion"}


def test_z_heard_as_s_counts_as_an_other_substitute_and_is_not_flagged():
    evidence, word = judged("zone", "s")
    sub, other = scoring.KINDS.index("substitution"), scoring.KINDS.index("other")
    assert evidence.best[0][other] == "s" and evidence.llr[0, sub] > evidence.llr[0, other]
    assert evidence.llr[0, other] < scoring.Thresholds().substitution  # flagged before
    assert not word.phonemes[0].flagged


def test_without_the_prior_the_same_evidence_was_a_likely_substitute_and_flagged():
    evidence, word = judged("zone", "s", unreliable=frozenset())
    sub = scoring.KINDS.index("substitution")
    assert evidence.best[0][sub] == "s"
    assert word.phonemes[0].flagged and word.phonemes[0].heard == "s"


@pytest.mark.parametrize("heard", ["j"])
def test_a_reliable_likely_substitute_is_still_flagged(heard):
    _, word = judged("jitter", heard)
    assert [i for i, p in enumerate(word.phonemes) if p.flagged] == [0]
    assert word.phonemes[0].heard == heard


def test_an_edit_held_to_the_other_threshold_is_still_reported_as_its_own_kind():
    lp = frames("zone", None, add_last="e")  # "zone-e": n + e is an unreliable insertion
    phonemes = {w: inventory.expected_phonemes(IPA[w]) for w in ("fix", "zone", "today")}
    evidence = scoring.phoneme_evidence(lp, phonemes["fix"], phonemes["zone"], phonemes["today"])
    other = scoring.KINDS.index("other")
    assert evidence.best[-1][other] == "n e"  # the added vowel is an "other" edit now
    only_other = scoring.Thresholds(other=float(evidence.llr[-1, other]) + 1, insertion=-99)
    last = scoring.decide("zone", evidence, only_other).phonemes[-1]
    assert (last.flagged, last.heard, last.kind) == (True, "n e", "insertion")
