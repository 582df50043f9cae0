"""Key-term coverage: which of the scenario's terms were said, when, and which were misheard.

This report is the one source of truth about key terms: the score, the advice, the transcript
marks, the polished answer, the round report, history and export all read it. Every term is
in exactly one of three groups:

- `covered`: said (the term or an alias, found by `coach.analysis.terms`), each hit with its
  evidence: written as the term (exact), as an alias, glued to the word before ("readio.max"
  for "read io.max") or as a known kind of misspelling ("retreable errors");
- `heard_as`: probably said but misheard ("dmesg" written "the mess"): shown as unclear, not
  as missing, and worth HEARD_AS_CREDIT of a said term;
- `missing`: not said at all; a multi-word term said only in part ("exit code" for "exit code
  137") is missing, with a `partial` note of what was said and what was left out.

Heard-as needs two kinds of evidence. Sound: a window of 1-3 words sounds like the term (the
similarity of their Metaphone codes and of their letters, over the words not said exactly as
in the term (`heard_similarity`), reaches HEARD_AS_THRESHOLD and
Whisper was unsure of the words, probability below UNSURE_PROBABILITY, or it reaches
HEARD_AS_SURE); short terms (under 5 letters, such as "perf") always need HEARD_AS_SURE.
Sense: the term fits the sentence the window is in, which shares a content word with what the
term is about (its aliases, clause and model sentence; for a term without them, the
scenario's prompt, context and reference answer; and the scenario's other key terms). So
"data race" is never credited from "simpler than trees" in a sentence about something else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import jellyfish

from coach import lexicon
from coach.analysis.terms import EXACT, PartialMatch, find_match, find_partial
from coach.analysis.text import bare, ends_sentence, letters, match_tokens, term_key
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript

HEARD_AS_THRESHOLD = 0.75
HEARD_AS_SURE = 0.90  # at or above this, even confidently recognised words count as heard-as
UNSURE_PROBABILITY = 0.75  # below SURE, the window's words must be ones Whisper was unsure of
HEARD_AS_CREDIT = 0.5
COMMON_WORDS = {"the", "a", "an", "and", "or", "to", "of", "in", "on", "is", "it", "i", "we",
                "so", "that", "this", "for", "with", "be", "was", "are", "at", "my", "you",
                "they", "there", "then", "than", "but", "not", "have", "has", "had", "do",
                "does", "did", "would", "will", "can", "could", "should", "what", "which",
                "when", "where", "how", "if", "its", "it's", "i'd", "i'm", "we'd", "our", "your",
                "from", "by", "as", "all", "any", "some", "one", "also", "just", "very"}
# Words too general to show what a sentence is about.
GENERAL_WORDS = COMMON_WORDS | {
    "about", "after", "again", "because", "before", "check", "each", "even", "every", "first",
    "get", "goes", "look", "make", "many", "more", "much", "need", "only", "run", "see",
    "show", "shows", "still", "them", "then", "these", "those", "thing", "things", "time",
    "use", "used", "uses", "way", "well", "were", "what", "whatever", "who", "why", "into",
    "out", "up", "down", "over", "under", "like", "know", "think", "say", "said", "too",
    "here", "been", "being", "other", "same", "now", "want", "either", "ever", "never", "end",
    "day", "week", "year", "today", "last", "next", "two", "three", "four", "five", "six",
    "seven", "eight", "nine", "ten", "lot", "lots", "bit", "kind", "sort", "problem",
    "problems", "question", "answer", "interesting", "good", "bad", "nice", "great", "sure",
    "yes", "yeah", "okay", "right", "actually", "basically", "really", "quite", "pretty",
    "maybe", "probably", "let", "going", "come", "came", "take", "took", "tell", "told"}


@dataclass(frozen=True)
class TermHit:
    term: str
    said_as: str  # the words as transcribed
    start: float
    word_index: int
    word_count: int
    evidence: str = EXACT  # exact | alias | glued | near spelling (coach.analysis.terms)

    @property
    def heard_differently(self) -> bool:
        """Credited although written otherwise (glued or misspelt): worth showing as heard."""
        return self.evidence not in (EXACT, "alias")

    def to_dict(self) -> dict:
        return {"term": self.term, "said_as": self.said_as, "start": round(self.start, 2),
                "word_index": self.word_index, "word_count": self.word_count,
                "evidence": self.evidence}

    @classmethod
    def from_dict(cls, data: Mapping) -> TermHit:
        return cls(data["term"], data["said_as"], data["start"], data["word_index"],
                   data["word_count"], data.get("evidence", EXACT))


@dataclass(frozen=True)
class PartialTerm:
    """A multi-word term said only in part: a miss, with a hint."""

    term: str
    said: str  # the words said ("exit code")
    left_out: str  # the term's words not said ("137")
    word_index: int

    @property
    def hint(self) -> str:
        return f"you said '{self.said}' but not '{self.left_out}'"

    def to_dict(self) -> dict:
        return {"term": self.term, "said": self.said, "left_out": self.left_out,
                "word_index": self.word_index}

    @classmethod
    def from_dict(cls, data: Mapping) -> PartialTerm:
        return cls(data["term"], data["said"], data["left_out"], data["word_index"])


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
                "similarity": round(self.similarity, 2), "word_index": self.word_index,
                "word_count": self.word_count}

    @classmethod
    def from_dict(cls, data: Mapping) -> HeardAs:
        return cls(data["term"], data["heard"], data["start"], data["similarity"],
                   data["word_index"], data["word_count"])


@dataclass(frozen=True)
class CoverageReport:
    covered: tuple[TermHit, ...]
    heard_as: tuple[HeardAs, ...]
    missing: tuple[str, ...]  # terms neither said nor heard-as
    total: int
    first_term_at_s: float | None  # seconds from the start of speech
    partial: tuple[PartialTerm, ...] = ()  # missing terms said in part

    def partial_hint(self, term: str) -> str:
        """"you said 'exit code' but not '137'" for a term said in part, else ""."""
        return next((p.hint for p in self.partial if p.term == term), "")

    @property
    def ratio(self) -> float:
        if not self.total:
            return 1.0
        return (len(self.covered) + HEARD_AS_CREDIT * len(self.heard_as)) / self.total

    @property
    def said(self) -> tuple[str, ...]:
        """Terms said, clearly or not (covered and heard-as)."""
        return tuple(h.term for h in self.covered) + tuple(h.term for h in self.heard_as)

    @property
    def unclear(self) -> tuple[str, ...]:
        """Terms heard as something else."""
        return tuple(h.term for h in self.heard_as)

    def to_dict(self) -> dict:
        return {
            "covered": [h.term for h in self.covered],
            "missing": list(self.missing),
            "heard_as": [h.to_dict() for h in self.heard_as],
            "hits": [h.to_dict() for h in self.covered],
            "ratio": round(self.ratio, 2),
            "partial": [p.to_dict() for p in self.partial],
            "first_term_at_s": None
            if self.first_term_at_s is None
            else round(self.first_term_at_s, 1),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> CoverageReport:
        """The report `to_dict` wrote: "hits" are the covered terms ("covered" only names them);
        every key term is in exactly one group, so the total is their sum."""
        covered = tuple(TermHit.from_dict(h) for h in data["hits"])
        heard_as = tuple(HeardAs.from_dict(h) for h in data["heard_as"])
        missing = tuple(data["missing"])
        partial = tuple(PartialTerm.from_dict(p) for p in data.get("partial", ()))
        return cls(covered, heard_as, missing, len(covered) + len(heard_as) + len(missing),
                   data["first_term_at_s"], partial)


def find_term(term: KeyTerm, transcript: Transcript, taken: set[int] | None = None
              ) -> TermHit | None:
    """The first place where the term or an alias was said (outside `taken` words)."""
    match = find_match(term, transcript.words, taken or ())
    if match is None:
        return None
    span = match.span
    words = transcript.words[span.first : span.last + 1]
    return TermHit(term.term, " ".join(w.text for w in words), words[0].start, span.first,
                   span.count, match.evidence)


def sound_similarity(a: str, b: str) -> float:
    """0..1: how alike two phrases sound (Metaphone codes) and read (letters).

    Compared twice: with term spelling rules (the spoken "dot" dropped) and on raw letters,
    because Whisper often writes a spoken "dot" as "not" ("memory not max").
    """
    return max(_similarity(term_key(a), term_key(b)), _similarity(letters(a), letters(b)))


def _similarity(a_letters: str, b_letters: str) -> float:
    if not a_letters or not b_letters:
        return 0.0
    codes = [jellyfish.metaphone(x).replace("0", "T") for x in (a_letters, b_letters)]
    sound = 1 - jellyfish.levenshtein_distance(*codes) / max(len(codes[0]), len(codes[1]), 1)
    spelling = 1 - jellyfish.levenshtein_distance(a_letters, b_letters) / max(
        len(a_letters), len(b_letters))
    return max(sound, spelling) if min(len(codes[0]), len(codes[1])) >= 3 else spelling


def heard_similarity(spelling: str, heard: str) -> float:
    """`sound_similarity` of the words that differ: words said exactly as in the spelling, at
    either end, are left out ("retry to get" against "retry budget" compares "to get" with
    "budget"), since a word said as itself is no evidence that the others were."""
    want, got = spelling.split(), heard.split()
    while len(want) > 1 and len(got) > 1 and bare(want[0]) == bare(got[0]):
        want, got = want[1:], got[1:]
    while len(want) > 1 and len(got) > 1 and bare(want[-1]) == bare(got[-1]):
        want, got = want[:-1], got[:-1]
    return sound_similarity(" ".join(want), " ".join(got))


def _stem(word: str) -> str:
    word = bare(word).removesuffix("'s")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def topic_words(text: str) -> frozenset[str]:
    """The content words of a text, stemmed: what it is about."""
    words = (bare(w) for w in re.split(r"[\s/_.\-]+", text))
    return frozenset(s for s in (_stem(w) for w in words if w not in GENERAL_WORDS)
                     if len(s) >= 3 and s not in GENERAL_WORDS)


def _term_topic(term: KeyTerm, scenario: Scenario) -> frozenset[str]:
    """What a sentence saying the term is about: the term's aliases, clause and model sentence
    (else the scenario's prompt, context and reference answer), and the scenario's other key
    terms: a sentence naming one of them ("rottling from cgroup") is about the scenario."""
    own = " ".join((*term.aliases, term.clause, term.model_sentence))
    if not topic_words(own):
        own = f"{scenario.prompt} {scenario.context} {scenario.reference_answer}"
    others = " ".join(t.term for t in scenario.key_terms if t.term != term.term)
    return topic_words(own) | topic_words(others)


def _sentence_bounds(transcript: Transcript, first: int, last: int) -> tuple[int, int]:
    """Word range of the sentence holding words first..last."""
    words = transcript.words
    start, end = first, last
    while start > 0 and not ends_sentence(words[start - 1].text):
        start -= 1
    while end < len(words) - 1 and not ends_sentence(words[end].text):
        end += 1
    return start, end


def fits_sentence(topic: frozenset[str], transcript: Transcript, first: int, last: int) -> bool:
    """Whether the rest of the sentence around words first..last shares the term's topic."""
    start, end = _sentence_bounds(transcript, first, last)
    around = [w.text for i, w in enumerate(transcript.words[start : end + 1], start)
              if not first <= i <= last]
    return bool(topic & topic_words(" ".join(around)))


def find_heard_as(term: KeyTerm, transcript: Transcript, taken: set[int],
                  topic: frozenset[str] = frozenset()) -> HeardAs | None:
    """The transcript window that sounds most like the term, if close enough and in context."""
    words = transcript.words
    best: HeardAs | None = None
    # How the term sounds: its spelling and its say-as form, not its aliases (an alias such
    # as "retry quota" is another phrasing, and would make "retrack" sound like the term).
    spellings = [s for s in (term.term, term.say_as, lexicon.say_as(term.term)) if s]
    target_words = max(len(s.split()) for s in spellings)
    long_term = len(letters(term.term)) >= 5
    for size in range(1, min(3, target_words + 1) + 1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            if taken.intersection(span):
                continue
            chunk = [bare(w.text) for w in words[start : start + size]]
            if all(c in COMMON_WORDS for c in chunk) or chunk[0] == "" or chunk[-1] in COMMON_WORDS:
                continue
            if any(ends_sentence(w.text) for w in words[start : start + size - 1]):
                continue  # a window never runs across two sentences
            if _part_of(words[start : start + size], term):
                continue  # "exit code" is not "exit code 137" misheard
            heard = " ".join(w.text for w in words[start : start + size]).strip(",.?!")
            score = max(heard_similarity(s, heard) for s in spellings)
            confidence = min(w.probability for w in words[start : start + size])
            plausible = score >= HEARD_AS_SURE or (
                score >= HEARD_AS_THRESHOLD and confidence < UNSURE_PROBABILITY and long_term)
            if not plausible or (best is not None and score <= best.similarity):
                continue
            if fits_sentence(topic, transcript, start, start + size - 1):
                best = HeardAs(term.term, heard, words[start].start, score, start, size)
    return best


def _part_of(window, term: KeyTerm) -> bool:
    """Whether the window's words are only some of a multi-word term's own words."""
    wanted = [t for s in (term.term, term.say_as) if s for t in match_tokens(s)]
    heard = [t for w in window for t in match_tokens(w.text)]
    return bool(heard) and len(heard) < len(wanted) and all(t in wanted for t in heard)


def analyze_coverage(transcript: Transcript, scenario: Scenario) -> CoverageReport:
    covered: list[TermHit] = []
    heard_as: list[HeardAs] = []
    missing: list[str] = []
    partial: list[PartialTerm] = []
    taken: set[int] = set()
    # written as the term or an alias first, for every term (terms may share words, as
    # before), so a glued or misspelt reading never takes words another term was said in
    for exact in (True, False):
        for term in scenario.key_terms:
            if any(h.term == term.term for h in covered):
                continue
            hit = find_term(term, transcript, None if exact else taken)
            if hit and (not exact or not hit.heard_differently):
                covered.append(hit)
                taken.update(range(hit.word_index, hit.word_index + hit.word_count))
    for term in scenario.key_terms:
        if any(h.term == term.term for h in covered):
            continue
        part: PartialMatch | None = find_partial(term, transcript.words, taken)
        if part:
            partial.append(PartialTerm(term.term, part.said, part.left_out, part.span.first))
            taken.update(range(part.span.first, part.span.last + 1))
            missing.append(term.term)
            continue
        guess = find_heard_as(term, transcript, taken, _term_topic(term, scenario))
        if guess:
            heard_as.append(guess)
            taken.update(range(guess.word_index, guess.word_index + guess.word_count))
        else:
            missing.append(term.term)
    starts = [h.start for h in covered] + [h.start for h in heard_as]
    first = min(starts) - transcript.speech_start if starts else None
    return CoverageReport(tuple(sorted(covered, key=lambda h: h.start)), tuple(heard_as),
                          tuple(missing), len(scenario.key_terms), first, tuple(partial))
