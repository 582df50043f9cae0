"""Words the recogniser was unsure of, and which grammar findings are the speaker's own.

A word is *unclear* when Whisper gave it a probability below UNCLEAR_BELOW (content words only:
three letters or more, not a common word), or when the grammar checker calls it a misspelling.
In a transcript a "misspelling" is a word the recogniser made up from a sound ("QMac",
"unkill", "Cubectl"), not the speaker's spelling: the checker's suggestion ("Mac", "until",
"Cubical") is a guess about a sound, so it is shown as a question and never applied. Words
of a key term are left to coverage (said, or heard as something else).

A grammar finding is the *speaker's* (agreement, tense, articles, word order) when it is not
a spelling complaint and touches no unclear word; only those are scored, advised and
corrected in the polished answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from coach.analysis.coverage import COMMON_WORDS
from coach.analysis.text import bare
from coach.grammar import GrammarFinding, GrammarReport
from coach.grammar.spoken_filter import is_spelling_issue
from coach.transcript import Transcript

UNCLEAR_BELOW = 0.45  # Whisper's word probability under which a word counts as unclear
MIN_LETTERS = 3  # shorter words ("a", "is", "on") are too short to judge from a probability


@dataclass(frozen=True)
class UnclearWord:
    word_index: int
    text: str  # as transcribed
    start: float
    reason: str  # unsure (low probability) | unknown (not a dictionary word)
    probability: float
    guess: str = ""  # the checker's guess at the word, never applied

    @property
    def note(self) -> str:
        if self.reason == "unknown":
            guess = f' (maybe "{self.guess}"?)' if self.guess else ""
            return f"not a word the recogniser knows{guess}"
        return f"unclear ({self.probability:.0%} sure)"

    def to_dict(self) -> dict:
        return {"word": self.text, "start": round(self.start, 2), "reason": self.reason,
                "probability": round(self.probability, 2), "guess": self.guess,
                "note": self.note, "word_index": self.word_index}

    @classmethod
    def from_dict(cls, data: Mapping) -> UnclearWord:
        return cls(data["word_index"], data["word"], data["start"], data["reason"],
                   data["probability"], data["guess"])


@dataclass(frozen=True)
class UnclearReport:
    words: tuple[UnclearWord, ...] = ()

    @property
    def indices(self) -> frozenset[int]:
        return frozenset(w.word_index for w in self.words)

    def to_dict(self) -> dict:
        return {"words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: Mapping) -> UnclearReport:
        return cls(tuple(UnclearWord.from_dict(w) for w in data["words"]))


def is_unsure(text: str, probability: float) -> bool:
    """A content word Whisper was unsure of."""
    token = bare(text)
    return probability < UNCLEAR_BELOW and len(token) >= MIN_LETTERS and token not in COMMON_WORDS


def _span(finding: GrammarFinding) -> range:
    return range(finding.word_index, finding.word_index + finding.word_count)


def find_unclear(transcript: Transcript, grammar: GrammarReport, skip: Iterable[int] = ()
                 ) -> UnclearReport:
    """Unclear words, in order; `skip` holds word indices that are accounted for (key terms)."""
    skip = set(skip)
    words = transcript.words
    found: dict[int, UnclearWord] = {}
    for finding in grammar.issues:
        for index in _span(finding):
            if index in skip or not 0 <= index < len(words):
                continue
            word = words[index]
            if is_spelling_issue(finding):
                found[index] = UnclearWord(index, word.text, word.start, "unknown",
                                           word.probability, finding.suggestion)
            elif word.probability < UNCLEAR_BELOW:  # even a short word: whose grammar is it?
                found[index] = UnclearWord(index, word.text, word.start, "unsure",
                                           word.probability)
    for index, word in enumerate(words):
        if index not in skip and index not in found and is_unsure(word.text, word.probability):
            found[index] = UnclearWord(index, word.text, word.start, "unsure", word.probability)
    return UnclearReport(tuple(found[i] for i in sorted(found)))


def speaker_grammar(grammar: GrammarReport, unclear: UnclearReport) -> GrammarReport:
    """The findings that are the speaker's grammar: no spelling complaint, no unclear word."""
    unsure = unclear.indices
    kept = tuple(f for f in grammar.issues
                 if not is_spelling_issue(f) and not unsure.intersection(_span(f)))
    return replace(grammar, issues=kept)
