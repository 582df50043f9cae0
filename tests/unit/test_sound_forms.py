"""A key term with more than one right way to say it is judged against the one the speaker used.

"dmesg": its scenarios have the voice say "D message" (`say_as`, /diː mɛsɪdʒ/), while the
shared lexicon and the respelling ("DEE-mesg") give /diː mɛsɡ/. A speaker who says "dee-mesg"
said it right: no /dʒ/ may be flagged because the voice's form ends in one. The phonemizer is
a table of espeak-ng's own output for these phrases; the frames are drawn from the sounds said.
"""

from __future__ import annotations

import numpy as np

from coach.analysis.coverage import analyze_coverage
from coach.phonemes import inventory
from coach.phonemes.answer import score_key_terms, spoken_forms
from coach.phonemes.recogniser import FRAME_S
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript, Word

IPA = {"read": "ɹˈiːd", "on": "ˈɑːn", "D message": "dˈiː mˈɛsɪdʒ", "D mesg": "dˈiː mˈɛsɡ"}
DMESG = Scenario("oom", "OOM", "explain", 60, "Why did it restart?",
                 (KeyTerm("dmesg", say_as="D message"),))
TIMES = [("read", 0.2, 0.6), ("dmesg", 0.6, 1.3), ("on", 1.3, 1.6)]


def phonemize(phrases):
    return {p: IPA[p] for p in phrases}


def frames_saying(said: dict[str, str]):
    """Class log-probs of a clean recording of TIMES, each word's sounds from `said`'s IPA."""
    columns = len(inventory.CLASS_NAMES) + 1
    lp = np.full((int(2.0 / FRAME_S), columns), np.log(0.01 / columns))
    lp[:, 0] = np.log(0.99)
    for word, start, end in TIMES:
        sounds = inventory.expected_phonemes(said[word])
        edges = np.linspace(start / FRAME_S, end / FRAME_S, len(sounds) + 1).astype(int)
        for i, sound in enumerate(sounds):
            span = slice(edges[i], edges[i + 1] - 1)
            lp[span] = np.log(0.01 / columns)
            lp[span, inventory.sequence_columns([sound])[0][0]] = np.log(0.99)

    def frames(start_s: float, end_s: float):
        first = max(int(start_s / FRAME_S) - 5, 0)
        return lp[first:int(end_s / FRAME_S) + 5], first * FRAME_S
    return frames


def judged(said_dmesg_as: str):
    said = Transcript(tuple(Word(w, s, e, 0.95) for w, s, e in TIMES), duration_s=2.0)
    frames = frames_saying({"read": IPA["read"], "on": IPA["on"], "dmesg": IPA[said_dmesg_as]})
    report = score_key_terms(said, DMESG, analyze_coverage(said, DMESG), frames, phonemize)
    return report.words[0]


def test_dmesg_may_be_said_as_the_voice_says_it_or_as_the_lexicon_spells_it():
    assert spoken_forms(analyze_coverage(Transcript(tuple(
        Word(w, s, e, 0.95) for w, s, e in TIMES), duration_s=2.0), DMESG).covered[0],
        DMESG) == ("D message", "D mesg")


def test_dee_mesg_said_right_flags_no_dj():
    word = judged("D mesg")
    assert word.judged
    assert not word.flagged
    assert [p.expected for p in word.phonemes][-1] == "ɡ"
    assert word.ipa == IPA["D mesg"]


def test_dee_message_said_right_is_judged_against_the_voice_form():
    word = judged("D message")
    assert word.judged and not word.flagged
    assert [p.expected for p in word.phonemes][-2:] == ["ɪ", "dʒ"]


# --- a word with a second right pronunciation -------------------------------------------------
EXIT = Scenario("oom", "OOM", "explain", 60, "What did the container end with?",
                (KeyTerm("exit"),))
EXIT_IPA = {"read": "ɹˈiːd", "on": "ˈɑːn", "exit": "ˈɛɡzɪt", "eksit": "ˈɛksɪt"}


def judged_exit(said_as: str):
    global TIMES
    times = [("read", 0.2, 0.6), ("exit", 0.6, 1.3), ("on", 1.3, 1.6)]
    saved, TIMES = TIMES, times
    try:
        frames = frames_saying({"read": EXIT_IPA["read"], "on": EXIT_IPA["on"],
                                "exit": EXIT_IPA[said_as]})
    finally:
        TIMES = saved
    said = Transcript(tuple(Word(w, s, e, 0.95) for w, s, e in times), duration_s=2.0)
    report = score_key_terms(said, EXIT, analyze_coverage(said, EXIT), frames,
                             lambda phrases: {p: EXIT_IPA[p] for p in phrases})
    return report.words[0]


def test_exit_said_eksit_is_right_too():
    """Dictionaries give /ˈɛksɪt/ beside /ˈɛɡzɪt/: a voice saying it so had its /ɡ/ and /z/
    flagged as /k/ and /s/ (seen on the walkthrough's answer)."""
    word = judged_exit("eksit")
    assert word.judged and not word.flagged, [(p.expected, p.heard) for p in word.phonemes]
    assert word.ipa == EXIT_IPA["eksit"]


def test_exit_said_egzit_is_judged_against_its_own_form():
    word = judged_exit("exit")
    assert word.judged and not word.flagged
    assert word.ipa == EXIT_IPA["exit"]
