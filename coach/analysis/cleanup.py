"""The speaker's own words, cleaned, sentence by sentence: the first step of the polished answer.

Deterministic, word by word, each kept word remembering the transcript word it came from:
fillers out; only the final version of a repeat or restart ("I check, I checked" -> "I
checked"); the speaker's own grammar fixed (the findings `coach.analysis.unclear` leaves to
them); key terms written in their canonical spelling where they were said with it ("memory
.max", "memory not max" -> "memory.max") or heard as something else ("the mask" -> "dmesg");
an alias stays as said ("137"), and a spelling never adds words the speaker did not say
("exit code" stays, never "exit code 137"). Unclear words are kept as heard and marked, never
rewritten. Sentences keep the recogniser's boundaries, except where that leaves a fragment: one
ending on a joining word ("before every restart and." once a filler is out) runs on into the
next; a short lead-in ("To mitigate it." / "If it fails.") joins the sentence after it with a
comma; a "because"/"so that" tail joins the one before. One left with no content ("So.") is
dropped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from coach import lexicon
from coach.analysis.coverage import CoverageReport
from coach.analysis.fillers import FillerReport
from coach.analysis.terms import GLUED, NEAR, spelling_keys, split_glued
from coach.analysis.text import bare, ends_sentence, term_key
from coach.analysis.unclear import UnclearReport
from coach.grammar import GrammarReport
from coach.scenarios import Scenario
from coach.transcript import Transcript

# Origins of a word in the polished answer.
SAID, FIXED, TERM, HEARD, UNCLEAR, ADDED = "said", "fixed", "term", "heard", "unclear", "added"
# A sentence made only of these says nothing ("So.", "Right, okay.").
GLUE_WORDS = frozenset({"so", "and", "right", "okay", "ok", "well", "yeah", "yes", "then",
                        "but", "now", "anyway", "alright", "oh", "or"})
_TRAILING = re.compile(r"[.,;:?!…]+$")
# A sentence ending on one of these was cut off: it runs on into the next.
DANGLING = frozenset({"and", "but", "or", "so", "because", "the", "a", "an", "to", "of", "with",
                      "that", "which", "then", "for", "in", "on", "at", "from", "by", "if",
                      "when", "while", "my", "our", "its", "their", "is", "are", "was"})
LEAD_INS = frozenset({"to", "if", "when", "once", "before", "after", "while", "for", "until",
                      "unless", "in"})  # "To mitigate it." leads into the next sentence
TAILS = frozenset({"because", "since", "so", "which", "otherwise"})  # "Because X." ends the last
MAX_FRAGMENT_WORDS = 6
_SPEAKER = frozenset({"i", "i'd", "i'll", "i'm", "i've"})


@dataclass(frozen=True)
class Piece:
    """One word of a polished sentence and where it came from."""

    text: str
    origin: str = SAID  # said | fixed | term | heard | unclear | added
    source: int | None = None  # index of the transcript word it stands for


@dataclass(frozen=True)
class Sentence:
    """One sentence as the recogniser wrote it (`source`: its word indices) and, cleaned,
    `pieces` (empty when nothing of it is left)."""

    source: tuple[int, ...]
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@dataclass(frozen=True)
class Cleanup:
    sentences: tuple[Sentence, ...]  # every sentence said, kept or not
    removed: tuple[str, ...]  # fillers, repeats and empty sentences taken out
    fixed: tuple[tuple[str, str], ...]  # (said, now)

    @property
    def kept(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if s.pieces)


def trailing(text: str) -> str:
    match = _TRAILING.search(text)
    return match.group(0) if match else ""


def is_technical(token: str, scenario: Scenario | None = None) -> bool:
    """A word written as a name, not as English: its capitals must never change."""
    core = bare(token)
    if re.search(r"[._/\d]", core) or core in lexicon.SPOKEN_FORMS:
        return True
    return scenario is not None and term_key(core) in _spelling_term_keys(
        tuple(s for k in scenario.key_terms for s in k.spellings))


@functools.lru_cache(maxsize=64)
def _spelling_term_keys(spellings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(term_key(s) for s in spellings)


def capitalise(text: str, scenario: Scenario | None = None) -> str:
    if text[:1].islower() and not is_technical(text.split()[0], scenario):
        return text[0].upper() + text[1:]
    return text


def _finish(pieces: list[Piece], scenario: Scenario) -> tuple[Piece, ...]:
    """Capital first word, one clean full stop at the end."""
    if not pieces:
        return ()
    pieces[0] = Piece(capitalise(pieces[0].text, scenario), pieces[0].origin, pieces[0].source)
    last = pieces[-1]
    end = trailing(last.text)
    stop = next((c for c in reversed(end) if c in ".?!"), ".")
    pieces[-1] = Piece(_TRAILING.sub("", last.text) + stop, last.origin, last.source)
    return tuple(pieces)


class _Edits:
    """Per transcript word: its new text (None: dropped) and where that text came from."""

    def __init__(self, transcript: Transcript) -> None:
        self.words = [w.text for w in transcript.words]
        self.new: dict[int, str | None] = {}
        self.origin: dict[int, str] = {}
        self.removed: list[str] = []
        self.fixed: list[tuple[str, str]] = []

    def text(self, index: int) -> str | None:
        return self.new.get(index, self.words[index])

    def drop(self, span: range) -> None:
        for i in span:
            self.new[i] = None

    def replace(self, span: range, text: str, origin: str) -> None:
        self.new[span[0]] = text
        self.origin[span[0]] = origin
        for i in span[1:]:
            self.new[i] = None

    def carry_punctuation(self, span: range) -> None:
        """A dropped span that ended a clause or sentence passes its mark to the word before."""
        mark = trailing(self.words[span[-1]])
        previous, base = span[0] - 1, None
        while previous >= 0 and (base := self.text(previous)) is None:
            previous -= 1
        if base is None:  # no word left before the span
            return
        if mark and mark[-1] in ".?!":
            self.new[previous] = _TRAILING.sub("", base) + mark[-1]
        elif mark.endswith(",") and base.endswith(","):
            self.new[previous] = base[:-1]  # "and, you know, the" -> "and the"


def clean_answer(transcript: Transcript, scenario: Scenario, fillers: FillerReport,
                 coverage: CoverageReport, grammar: GrammarReport,
                 unclear: UnclearReport | None = None) -> Cleanup:
    """`grammar` must hold the speaker's own findings only (see coach.analysis.unclear)."""
    edits = _Edits(transcript)
    for filler in fillers.items:
        span = range(filler.word_index, filler.word_index + filler.word_count)
        edits.removed.append(" ".join(edits.words[i] for i in span).strip(",."))
        edits.drop(span)
        edits.carry_punctuation(span)
    for repetition in fillers.repetitions:
        dropped = range(repetition.word_index,
                        repetition.word_index + repetition.word_count - repetition.unit)
        if dropped:
            edits.removed.append(" ".join(edits.words[i] for i in dropped).strip(",."))
            edits.drop(dropped)
    _fix_grammar(edits, grammar, coverage)
    _spell_terms(edits, coverage, scenario)
    for word in (unclear or UnclearReport()).words:
        if word.word_index not in edits.new:
            edits.origin[word.word_index] = UNCLEAR
    sentences, removed = _sentences(transcript, edits, scenario)
    return Cleanup(tuple(sentences), tuple(edits.removed + removed), tuple(edits.fixed))


def _fix_grammar(edits: _Edits, grammar: GrammarReport, coverage: CoverageReport) -> None:
    # A key term the speaker said is theirs as said: a grammar suggestion never rewrites it
    # ("there is write amplification" must not become "there is written amplification").
    terms = {i for hit in coverage.covered
             for i in range(hit.word_index, hit.word_index + hit.word_count)}
    for finding in grammar.issues:
        span = range(finding.word_index, finding.word_index + finding.word_count)
        if (not finding.suggestion or any(i in edits.new for i in span)
                or any(i in terms for i in span)):
            continue
        said = " ".join(edits.words[i] for i in span)
        if _TRAILING.sub("", said).lower() == finding.suggestion.lower():
            continue
        new = finding.suggestion + trailing(edits.words[span[-1]])
        edits.fixed.append((said, new))
        edits.replace(span, new, FIXED)


def _spell_terms(edits: _Edits, coverage: CoverageReport, scenario: Scenario) -> None:
    spans = [(h.word_index, h.word_count, h.term, TERM, h.evidence) for h in coverage.covered]
    spans += [(h.word_index, h.word_count, h.term, HEARD, "") for h in coverage.heard_as]
    for index, count, term, origin, evidence in spans:
        span = range(index, index + count)
        if any(edits.new.get(i, "") is None for i in span):
            continue
        said = " ".join(edits.text(i) or "" for i in span)
        glued = _unglued(said, term, scenario) if evidence == GLUED else None
        if (origin == TERM and evidence not in (GLUED, NEAR)
                and term_key(said) not in spelling_keys([term])):
            continue  # said with another alias ("137" for "exit code 137"): keep their words
        if _adds_words(said, term):
            continue  # "exit code" heard for "exit code 137": never put words in their mouth
        new = (f"{glued[0]} " if glued else "") + term + trailing(said)
        if said != new:
            edits.fixed.append((said, new))
        edits.replace(span, new, origin if said != new or origin == HEARD else SAID)


def _unglued(said: str, term: str, scenario: Scenario) -> tuple[str, str] | None:
    """("read", "io.max") for "readio.max": the glued word put back in front of the term."""
    key = scenario.key_term(term)
    for spelling in key.spellings if key else (term,):
        if parts := split_glued(said, spelling):
            return parts
    return None


def _adds_words(said: str, term: str) -> bool:
    """The term holds every word said and more ("exit code" -> "exit code 137")."""
    said_words = [bare(w) for w in said.split() if bare(w)]
    term_words = [bare(w) for w in term.split() if bare(w)]
    return len(term_words) > len(said_words) and all(w in term_words for w in said_words)


def _lower_first(pieces: list[Piece], scenario: Scenario) -> list[Piece]:
    first = pieces[0]
    text = first.text
    if (text[:1].isupper() and text[1:2].islower() and bare(text) not in _SPEAKER
            and not is_technical(text, scenario)):
        text = text[0].lower() + text[1:]
    return [Piece(text, first.origin, first.source), *pieces[1:]]


def _end(piece: Piece, mark: str) -> Piece:
    return Piece(_TRAILING.sub("", piece.text) + mark, piece.origin, piece.source)


def _mend(groups: list[tuple[list[int], list[Piece]]], scenario: Scenario
          ) -> list[tuple[list[int], list[Piece]]]:
    """Fragments joined to a neighbour (see the module doc); each step joins two sentences."""
    out: list[tuple[list[int], list[Piece]]] = []
    for source, pieces in groups:
        if out and out[-1][1] and pieces:
            before_source, before = out[-1]
            last, first = bare(before[-1].text), bare(pieces[0].text)
            lead_in = (bare(before[0].text) in LEAD_INS and len(before) <= MAX_FRAGMENT_WORDS
                       and "," not in " ".join(p.text for p in before[:-1]))
            if last in DANGLING:  # "... restart and." + "The logs stop."
                out[-1] = (before_source + source,
                           [*before[:-1], _end(before[-1], ""), *_lower_first(pieces, scenario)])
                continue
            if lead_in or (first in TAILS and len(pieces) > 1):
                mark = "," if lead_in else ""
                out[-1] = (before_source + source,
                           [*before[:-1], _end(before[-1], mark),
                            *_lower_first(pieces, scenario)])
                continue
        out.append((source, pieces))
    if out and out[-1][1] and bare(out[-1][1][-1].text) in DANGLING and len(out[-1][1]) > 1:
        source, pieces = out[-1]
        out[-1] = (source, [*pieces[:-2], _end(pieces[-2], ".")])  # nothing left to join
    return out


def _sentences(transcript: Transcript, edits: _Edits, scenario: Scenario
               ) -> tuple[list[Sentence], list[str]]:
    groups: list[list[int]] = [[]]
    for index, word in enumerate(transcript.words):
        groups[-1].append(index)
        if ends_sentence(word.text):
            groups.append([])
    sentences, removed = [], []
    cleaned = []
    for group in (g for g in groups if g):
        pieces = [Piece(text, edits.origin.get(i, SAID), i)
                  for i in group if (text := edits.text(i))]
        if pieces and all(bare(p.text) in GLUE_WORDS for p in pieces):
            removed.append(" ".join(p.text for p in pieces).strip(",."))
            pieces = []
        cleaned.append((group, pieces))
    for group, pieces in _mend(cleaned, scenario):
        sentences.append(Sentence(tuple(group), _finish(pieces, scenario)))
    return sentences, removed
