"""A reading guide for an answer: which words to stress, where to pause, and the text to speak.

Like a coach's rhythm tips ("was restarting frequently": stress restarting and frequently;
"Increase the memory limit by at least 40%": stress increase and 40%). Each sentence is cut
into phrases: at commas, before a joining word ("and", "because", "so", "then", ...) once
the phrase has a few words, and in the middle of a phrase still longer than
MAX_PHRASE_WORDS. In each phrase at most STRESSES_PER_PHRASE words carry the stress: key
terms first, then numbers, then the longest content words.

The text to speak has the pause mark PAUSE (" | ", which every synthesizer turns into a short
pause) at the end of each phrase inside a sentence, and leaves out words the recogniser was
unsure of (a pause stands in their place), so nothing is read aloud as if it had been said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.analysis.cleanup import HEARD, TERM, UNCLEAR, Piece
from coach.analysis.coverage import GENERAL_WORDS
from coach.analysis.terms import find_spans
from coach.analysis.text import bare, ends_phrase, ends_sentence
from coach.scenarios import KeyTerm

PAUSE = " | "
COMFORTABLE_WPM = 145.0  # a calm interview pace, inside the 110-160 "good" range
MAX_PHRASE_WORDS = 9
MIN_PHRASE_WORDS = 3
STRESSES_PER_PHRASE = 2
JOINING_WORDS = frozenset({"and", "but", "because", "so", "then", "which", "when", "if",
                           "while", "or", "otherwise", "since", "until", "unless", "where"})
SPLIT_BEFORE = JOINING_WORDS | {"with", "for", "in", "on", "from", "to", "by", "into", "after",
                                "before"}
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class GuideWord:
    """One word of an answer to read aloud."""

    text: str
    origin: str = "said"  # where the word came from (see coach.analysis.cleanup)
    stress: bool = False
    pause: str = ""  # "" | "phrase" (short pause after it) | "sentence"

    def to_dict(self) -> dict:
        return {"text": self.text, "origin": self.origin, "stress": self.stress,
                "pause": self.pause}

    @classmethod
    def from_dict(cls, data: Mapping) -> GuideWord:
        return cls(data["text"], data["origin"], data["stress"], data["pause"])


def speaking_seconds(text: str, wpm: float = COMFORTABLE_WPM) -> float:
    return len(text.split()) * 60.0 / wpm


def _phrases(pieces: Sequence[Piece]) -> list[list[int]]:
    phrases: list[list[int]] = [[]]
    for index, piece in enumerate(pieces):
        current = phrases[-1]
        rest = len(pieces) - index
        if (current and len(current) >= MIN_PHRASE_WORDS + 1 and rest >= MIN_PHRASE_WORDS
                and bare(piece.text) in JOINING_WORDS):
            phrases.append([])
        phrases[-1].append(index)
        if ends_phrase(piece.text) and rest > MIN_PHRASE_WORDS - 1:
            phrases.append([])
    result: list[list[int]] = []
    for phrase in (p for p in phrases if p):
        result += _halve(phrase, pieces)
    return result


def _halve(phrase: list[int], pieces: Sequence[Piece]) -> list[list[int]]:
    """A phrase longer than MAX_PHRASE_WORDS, cut before the joining word nearest its middle
    (a phrase with no such word stays whole: a cut anywhere else could split a term)."""
    if len(phrase) <= MAX_PHRASE_WORDS:
        return [phrase]
    middle = len(phrase) // 2
    cuts = [i for i in range(MIN_PHRASE_WORDS, len(phrase) - MIN_PHRASE_WORDS + 1)
            if bare(pieces[phrase[i]].text) in SPLIT_BEFORE]
    if not cuts:
        return [phrase]
    cut = min(cuts, key=lambda i: abs(i - middle))
    return _halve(phrase[:cut], pieces) + _halve(phrase[cut:], pieces)


def _term_words(pieces: Sequence[Piece], key_terms: Sequence[KeyTerm]) -> set[int]:
    found = {i for i, p in enumerate(pieces) if p.origin in (TERM, HEARD)}
    texts = [p.text for p in pieces]
    for term in key_terms:
        for span in find_spans(term, texts):
            found.update(range(span.first, span.last + 1))
    return found


def _stressed(phrase: list[int], pieces: Sequence[Piece], terms: set[int]) -> set[int]:
    phrase = [i for i in phrase if pieces[i].origin != UNCLEAR]  # never stress a guess
    chosen: list[int] = []
    in_terms = [i for i in phrase if i in terms]
    if in_terms:
        chosen.append(in_terms[-1])  # a term is stressed on its last word ("memory.events")
    numbers = [i for i in phrase if _NUMBER.search(pieces[i].text) and i not in terms]
    chosen += numbers[:1]
    content = sorted((i for i in phrase if i not in terms and i not in chosen
                      and len(bare(pieces[i].text)) >= 4
                      and bare(pieces[i].text) not in GENERAL_WORDS),
                     key=lambda i: (-len(bare(pieces[i].text)), i))
    chosen += content
    return set(chosen[:STRESSES_PER_PHRASE])


def guide(sentences: Sequence[Sequence[Piece]], key_terms: Sequence[KeyTerm] = ()
          ) -> tuple[GuideWord, ...]:
    """The reading guide of these sentences, word by word."""
    words: list[GuideWord] = []
    for pieces in sentences:
        if not pieces:
            continue
        terms = _term_words(pieces, key_terms)
        phrases = _phrases(pieces)
        for number, phrase in enumerate(phrases):
            stressed = _stressed(phrase, pieces, terms)
            for i in phrase:
                last_of_phrase = i == phrase[-1]
                pause = ("sentence" if last_of_phrase and number == len(phrases) - 1
                         else "phrase" if last_of_phrase else "")
                words.append(GuideWord(pieces[i].text, pieces[i].origin, i in stressed, pause))
    return tuple(words)


def spoken_text(words: Sequence[GuideWord]) -> str:
    """What a voice reads: pause marks inside sentences; an unclear word is left out, with a
    pause where it was."""
    out: list[str] = []
    for word in words:
        if word.origin == UNCLEAR:
            if out and out[-1] == PAUSE.strip():
                out.pop()
            if out and word.pause == "sentence":
                out[-1] = out[-1].rstrip(",;:") + ("" if ends_sentence(out[-1]) else ".")
            elif out:
                out.append(PAUSE.strip())
            continue
        text = word.text
        if word.pause == "sentence" and not ends_sentence(text):
            text += "."
        out.append(text)
        if word.pause == "phrase":
            out.append(PAUSE.strip())
    text = " ".join(out)
    return re.sub(r"(\s\|)+(\s*$)", r"\2", re.sub(r"(\s\|){2,}", " |", text))
