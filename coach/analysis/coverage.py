"""Key-term coverage: which of the scenario's terms were said, when, and which were misheard.

A term counts as said when the transcript contains the term or one of its aliases, compared as
`match_tokens` with spaces removed, so case, punctuation, spacing and hyphens do not matter
("OOM-killer", "oom killer", "OOMKiller"; "I/O max", "io dot max", "io.max").

A missed term may still have been said and misheard ("dmesg" -> "the mess"). Such a window of
1-3 words is reported as "heard as" when its sound is close to the term: the similarity of
their Metaphone codes (and of their letters) reaches HEARD_AS_THRESHOLD and Whisper was unsure
of the words (probability below UNSURE_PROBABILITY), or reaches HEARD_AS_SURE. Short terms
(under 5 letters, such as "perf") always need HEARD_AS_SURE: too many short words sound alike. A term heard that way
earns HEARD_AS_CREDIT of a full one in the coverage ratio and feeds the pronunciation hints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jellyfish

from coach import lexicon
from coach.analysis.text import Token, bare, match_tokens, word_tokens
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript

HEARD_AS_THRESHOLD = 0.75
HEARD_AS_SURE = 0.90  # at or above this, even confidently recognised words count as heard-as
UNSURE_PROBABILITY = 0.75  # below SURE, the window's words must be ones Whisper was unsure of
HEARD_AS_CREDIT = 0.5
DOT_AS_WRITTEN = ("not", "that")
COMMON_WORDS = {"the", "a", "an", "and", "or", "to", "of", "in", "on", "is", "it", "i", "we",
                "so", "that", "this", "for", "with", "be", "was", "are", "at", "my", "you",
                "they", "there", "then", "than", "but", "not", "have", "has", "had", "do",
                "does", "did", "would", "will", "can", "could", "should", "what", "which",
                "when", "where", "how", "if", "its", "it's", "i'd", "i'm", "we'd", "our", "your",
                "from", "by", "as", "all", "any", "some", "one", "also", "just", "very"}


@dataclass(frozen=True)
class TermHit:
    term: str
    said_as: str  # the words as transcribed
    start: float
    word_index: int
    word_count: int

    def to_dict(self) -> dict:
        return {"term": self.term, "said_as": self.said_as, "start": round(self.start, 2)}


@dataclass(frozen=True)
class HeardAs:
    term: str
    heard: str
    start: float
    similarity: float
    word_index: int
    word_count: int

    def to_dict(self) -> dict:
        return {"term": self.term, "heard": self.heard, "start": round(self.start, 2),
                "similarity": round(self.similarity, 2)}


@dataclass(frozen=True)
class CoverageReport:
    covered: tuple[TermHit, ...]
    heard_as: tuple[HeardAs, ...]
    missing: tuple[str, ...]  # terms neither said nor heard-as
    total: int
    first_term_at_s: float | None  # seconds from the start of speech

    @property
    def ratio(self) -> float:
        if not self.total:
            return 1.0
        return (len(self.covered) + HEARD_AS_CREDIT * len(self.heard_as)) / self.total

    @property
    def not_covered(self) -> tuple[str, ...]:
        """Missing plus heard-as: the terms the listener did not clearly hear."""
        return tuple(h.term for h in self.heard_as) + self.missing

    def to_dict(self) -> dict:
        return {
            "covered": [h.term for h in self.covered],
            "missing": list(self.not_covered),
            "heard_as": [h.to_dict() for h in self.heard_as],
            "hits": [h.to_dict() for h in self.covered],
            "ratio": round(self.ratio, 2),
            "first_term_at_s": None if self.first_term_at_s is None else round(self.first_term_at_s, 1),
        }


def _squash(text: str) -> str:
    return "".join(match_tokens(text))


def find_term(term: KeyTerm, tokens: list[Token], transcript: Transcript) -> TermHit | None:
    """The first place where the term or an alias was said."""
    targets = {_squash(s) for s in term.spellings if _squash(s)}
    # A spoken "dot" in a file name is often written "not" or "that" ("memory not max").
    targets |= {_squash(s.replace(".", f" {word} ")) for s in term.spellings if "." in s
                for word in DOT_AS_WRITTEN}
    longest = max((len(match_tokens(s)) for s in term.spellings), default=1) + 2
    for start in range(len(tokens)):
        joined = ""
        for end in range(start, min(start + longest, len(tokens))):
            joined += tokens[end].text
            if joined in targets:
                first, last = tokens[start].word_index, tokens[end].word_index
                words = transcript.words[first : last + 1]
                return TermHit(term.term, " ".join(w.text for w in words), words[0].start,
                               first, last - first + 1)
            if not any(t.startswith(joined) for t in targets):
                break
    return None


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def sound_similarity(a: str, b: str) -> float:
    """0..1: how alike two phrases sound (Metaphone codes) and read (letters).

    Compared twice: with term spelling rules (the spoken "dot" dropped) and on raw letters,
    because Whisper often writes a spoken "dot" as "not" ("memory not max").
    """
    return max(_similarity(_squash(a), _squash(b)), _similarity(_letters(a), _letters(b)))


def _similarity(a_letters: str, b_letters: str) -> float:
    if not a_letters or not b_letters:
        return 0.0
    codes = [jellyfish.metaphone(x).replace("0", "T") for x in (a_letters, b_letters)]
    sound = 1 - jellyfish.levenshtein_distance(*codes) / max(len(codes[0]), len(codes[1]), 1)
    letters = 1 - jellyfish.levenshtein_distance(a_letters, b_letters) / max(
        len(a_letters), len(b_letters))
    return max(sound, letters) if min(len(codes[0]), len(codes[1])) >= 3 else letters


def find_heard_as(term: KeyTerm, transcript: Transcript, taken: set[int]) -> HeardAs | None:
    """The transcript window that sounds most like the term, if close enough."""
    words = transcript.words
    best: HeardAs | None = None
    # How the term sounds: its spelling and its say-as form, not its aliases (an alias such
    # as "retry quota" is another phrasing, and would make "retrack" sound like the term).
    spellings = [s for s in (term.term, term.say_as, lexicon.say_as(term.term)) if s]
    target_words = max(len(s.split()) for s in spellings)
    long_term = len(_letters(term.term)) >= 5
    for size in range(1, min(3, target_words + 1) + 1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            if taken.intersection(span):
                continue
            chunk = [bare(w.text) for w in words[start : start + size]]
            if all(c in COMMON_WORDS for c in chunk) or chunk[0] == "" or chunk[-1] in COMMON_WORDS:
                continue
            heard = " ".join(w.text for w in words[start : start + size]).strip(",.?!")
            score = max(sound_similarity(s, heard) for s in spellings)
            confidence = min(w.probability for w in words[start : start + size])
            plausible = score >= HEARD_AS_SURE or (
                score >= HEARD_AS_THRESHOLD and confidence < UNSURE_PROBABILITY and long_term)
            if plausible and (best is None or score > best.similarity):
                best = HeardAs(term.term, heard, words[start].start, score, start, size)
    return best


def analyze_coverage(transcript: Transcript, scenario: Scenario) -> CoverageReport:
    tokens = word_tokens(transcript.words)
    covered, heard_as, missing = [], [], []
    taken: set[int] = set()
    for term in scenario.key_terms:
        hit = find_term(term, tokens, transcript)
        if hit:
            covered.append(hit)
            taken.update(range(hit.word_index, hit.word_index + hit.word_count))
    for term in scenario.key_terms:
        if any(h.term == term.term for h in covered):
            continue
        guess = find_heard_as(term, transcript, taken)
        if guess:
            heard_as.append(guess)
            taken.update(range(guess.word_index, guess.word_index + guess.word_count))
        else:
            missing.append(term.term)
    starts = [h.start for h in covered] + [h.start for h in heard_as]
    first = min(starts) - transcript.speech_start if starts else None
    return CoverageReport(tuple(sorted(covered, key=lambda h: h.start)), tuple(heard_as),
                          tuple(missing), len(scenario.key_terms), first)
