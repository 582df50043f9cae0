"""Pronunciation hints, only where they help: key terms, and words heard as something else.

Hints are given for a key term the recogniser heard as something else ("dmesg" written "the
mess") and a technical word from the lexicon it was unsure of. A key term it recognised is
counted as said and gets no hint, however unsure the recogniser was: telling the user to "say
it clearly" beside a tick would contradict it (kept feedback from before may still hold such
"unsure_term" hints; they are read back as they were). A low probability on an ordinary word
("know", "peak") is not a pronunciation problem worth a hint: it is shown as unclear in the
transcript instead.

Each hint gives IPA (from an injected phonemizer, such as espeak-ng), a plain respelling, and,
for a word of two syllables or more, which syllable takes the stress, read from the IPA's
stress mark (ˈ).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coach import lexicon
from coach.analysis.coverage import CoverageReport
from coach.analysis.fillers import Filler
from coach.analysis.text import bare
from coach.analysis.unclear import UNCLEAR_BELOW
from coach.scenarios import Scenario
from coach.transcript import Transcript

UNSURE_BELOW = UNCLEAR_BELOW
MAX_UNSURE_HINTS = 5

Phonemizer = Callable[[Sequence[str]], dict[str, str]]

_VOWELS = re.compile(r"[aeiouyɑɐɒæɔəɘɚɛɜɝɞɨɪʊʉʌʏøœɤɯᵻ]+[ːˑ]?[ʊɪəɚ]?")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def syllable_stress(ipa: str) -> tuple[int, int | None]:
    """(syllables, 0-based index of the stressed one) of one word's IPA; (0, None) if unknown."""
    if not ipa or " " in ipa.strip():
        return 0, None
    stressed, count = None, 0
    position = 0
    for match in _VOWELS.finditer(ipa):
        if stressed is None and "ˈ" in ipa[position : match.start()]:
            stressed = count
        count += 1
        position = match.end()
    return count, stressed


def stress_note(ipa: str) -> str:
    """ "stress the second of 3 syllables", or "" for one syllable or a phrase."""
    count, stressed = syllable_stress(ipa)
    if count < 2 or stressed is None or stressed >= len(_ORDINALS):
        return ""
    return f"stress the {_ORDINALS[stressed]} of {count} syllables"


@dataclass(frozen=True)
class PronunciationHint:
    word: str  # what should have been said
    heard: str  # what the recogniser wrote
    start: float
    reason: str  # heard_as | unsure_term | unsure_word
    ipa: str
    respelling: str
    probability: float | None = None

    @property
    def stress(self) -> str:
        return stress_note(self.ipa)

    @property
    def advice(self) -> str:
        stress = f"; {self.stress}" if self.stress else ""
        if self.reason == "heard_as":
            return (f'"{self.word}" was heard as "{self.heard}": say it as '
                    f"{self.respelling}{stress}.")
        if self.reason == "unsure_term":
            return (f'"{self.word}" was hard to recognise: say it clearly, '
                    f"{self.respelling}{stress}.")
        return f'"{self.word}" was unclear: {self.respelling}{stress}.'

    def to_dict(self) -> dict:
        return {"word": self.word, "heard": self.heard, "start": round(self.start, 2),
                "reason": self.reason, "ipa": self.ipa, "respelling": self.respelling,
                "stress": self.stress,
                "probability": None if self.probability is None else round(self.probability, 2),
                "advice": self.advice}

    @classmethod
    def from_dict(cls, data: Mapping) -> PronunciationHint:
        return cls(data["word"], data["heard"], data["start"], data["reason"], data["ipa"],
                   data["respelling"], data["probability"])


@dataclass(frozen=True)
class PronunciationReport:
    hints: tuple[PronunciationHint, ...]

    def to_dict(self) -> dict:
        return {"hints": [h.to_dict() for h in self.hints]}

    @classmethod
    def from_dict(cls, data: Mapping) -> PronunciationReport:
        return cls(tuple(PronunciationHint.from_dict(h) for h in data["hints"]))


def _respelling_for(term: str, scenario: Scenario) -> str:
    key = scenario.key_term(term)
    if key and key.respelling:
        return key.respelling
    return lexicon.respelling(term) or term


def _spoken_text(term: str, scenario: Scenario) -> str:
    key = scenario.key_term(term)
    return (key.say_as if key and key.say_as else None) or lexicon.say_as(term) or term


def analyze_pronunciation(transcript: Transcript, scenario: Scenario, coverage: CoverageReport,
                          fillers: Sequence[Filler], phonemize: Phonemizer | None = None
                          ) -> PronunciationReport:
    pending: list[tuple[str, str, float, str, str, float | None, str]] = []
    for miss in coverage.heard_as:
        pending.append((miss.term, miss.heard, miss.start, "heard_as",
                        _respelling_for(miss.term, scenario), None,
                        _spoken_text(miss.term, scenario)))
    skip = {f.word_index + k for f in fillers for k in range(f.word_count)}
    skip |= {h.word_index + k for h in coverage.covered for k in range(h.word_count)}
    skip |= {h.word_index + k for h in coverage.heard_as for k in range(h.word_count)}
    unsure = sorted(
        (w.probability, i) for i, w in enumerate(transcript.words)
        if i not in skip and w.probability < UNSURE_BELOW and lexicon.respelling(bare(w.text))
    )[:MAX_UNSURE_HINTS]
    for probability, index in sorted(unsure, key=lambda item: item[1]):
        word = transcript.words[index]
        text = bare(word.text)
        pending.append((text, word.text, word.start, "unsure_word",
                        lexicon.respelling(text) or text, probability,
                        lexicon.say_as(text) or text))
    ipa = phonemize([p[6] for p in pending]) if phonemize and pending else {}
    hints = tuple(
        PronunciationHint(word, heard, start, reason, ipa.get(spoken, ""), respell, prob)
        for word, heard, start, reason, respell, prob, spoken in pending
    )
    return PronunciationReport(tuple(sorted(hints, key=lambda h: h.start)))
