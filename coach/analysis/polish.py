"""The polished answer: the speaker's own answer made better, never replaced.

1. Everything said, cleaned (`coach.analysis.cleanup`): fillers and restarts out, the speaker's
   own grammar fixed, key terms spelled right, unclear words kept as heard and marked.
2. Missing key terms go in as the scenario's short clauses (`KeyTerm.clause`), joined to the
   speaker's sentence of the part they belong to ("..., and I'd read the oom_kill counter in
   memory.events."), or as one short sentence where that part belongs when the speaker has no
   such sentence. Only for an answer on the question (a key term said, or ON_TOPIC_SHARE of
   its sentences about the question's subject) that is long enough to judge: an answer off
   the question gets no stock text.
3. The parts come in the scenario's order: when the speaker's order is off, sentences move by
   the first part they carry; a sentence with no part stays with the one before it, and a
   lead-in (the first sentence, if it carries none of the later parts) stays first.
4. It should fit the time limit at COMFORTABLE_WPM. Left out first: added clauses (the last
   part's first), then asides: sentences with no part, no key term and nothing about the
   question ("Actually, I have seen this before."). A point (a sentence with any of those) is
   never left out, so an answer whose points alone run over stays over: `fits` says so and
   `could_cut` suggests the sentences whose parts and key terms others also carry. An answer
   with no point at all (off the question) keeps everything said; it gets no stock text.

The model answer (the scenario's reference answer) is apart: `coach.analysis.model_answer`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from coach.analysis.cleanup import ADDED, Cleanup, Piece, capitalise, clean_answer
from coach.analysis.coverage import CoverageReport, topic_words
from coach.analysis.fillers import FillerReport
from coach.analysis.reading_guide import (
    COMFORTABLE_WPM,
    GuideWord,
    guide,
    speaking_seconds,
    spoken_text,
)
from coach.analysis.structure import StructureReport, analyze_structure, sentence_parts
from coach.analysis.text import bare
from coach.analysis.unclear import UnclearReport
from coach.grammar import GrammarReport
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript

__all__ = ["COMFORTABLE_WPM", "DiffPart", "PolishedAnswer", "polish_answer"]

MAX_JOINED_WORDS = 32  # a speaker's sentence with a clause joined stays shorter than this
ON_TOPIC_SHARE = 1 / 3  # an answer without key terms is on the question when this share of
# its sentences (and at least two) talk about the question's subject
SUBJECTS = frozenset({"i", "i'd", "i'll", "we", "we'd", "we'll"})


@dataclass(frozen=True)
class DiffPart:
    op: str  # same | removed | added
    text: str

    def to_dict(self) -> dict:
        return {"op": self.op, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping) -> DiffPart:
        return cls(data["op"], data["text"])


@dataclass(frozen=True)
class PolishedAnswer:
    text: str
    diff: tuple[DiffPart, ...]
    removed: tuple[str, ...]  # fillers, repeats and empty sentences taken out
    fixed: tuple[tuple[str, str], ...]  # (said, now)
    added: tuple[str, ...]  # clauses added for missing key terms (that fit)
    structure: StructureReport  # of what the speaker said
    estimated_s: float
    limit_s: int
    left_out: tuple[str, ...] = ()  # to fit the limit: clauses not added, asides cut
    could_cut: tuple[str, ...] = ()  # still over the limit: sentences the speaker could drop
    words: tuple[GuideWord, ...] = ()  # the reading guide
    spoken_text: str = ""  # for a voice: pause marks, unclear words left out
    added_terms: tuple[str, ...] = ()
    reordered: bool = False
    missing_parts: tuple[str, ...] = field(default=())  # parts the polished text still lacks

    @property
    def fits(self) -> bool:
        return self.estimated_s <= self.limit_s

    @property
    def unclear(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.words if w.origin == "unclear")

    def to_dict(self) -> dict:
        return {"text": self.text, "spoken_text": self.spoken_text,
                "diff": [d.to_dict() for d in self.diff],
                "removed": list(self.removed), "fixed": [list(f) for f in self.fixed],
                "added": list(self.added), "added_terms": list(self.added_terms),
                "left_out": list(self.left_out), "could_cut": list(self.could_cut),
                "unclear": list(self.unclear),
                "reordered": self.reordered, "missing_parts": list(self.missing_parts),
                "structure": self.structure.to_dict(),
                "estimated_s": round(self.estimated_s, 1), "limit_s": self.limit_s,
                "fits": self.fits, "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: Mapping) -> PolishedAnswer:
        """The answer `to_dict` wrote (`fits` and `unclear` follow from the rest)."""
        return cls(
            text=data["text"], diff=tuple(DiffPart.from_dict(d) for d in data["diff"]),
            removed=tuple(data["removed"]), fixed=tuple(tuple(f) for f in data["fixed"]),
            added=tuple(data["added"]), structure=StructureReport.from_dict(data["structure"]),
            estimated_s=data["estimated_s"], limit_s=data["limit_s"],
            left_out=tuple(data["left_out"]), could_cut=tuple(data["could_cut"]),
            words=tuple(GuideWord.from_dict(w) for w in data["words"]),
            spoken_text=data["spoken_text"], added_terms=tuple(data["added_terms"]),
            reordered=data["reordered"], missing_parts=tuple(data["missing_parts"]))


@dataclass
class _Item:
    """A sentence of the polished answer: one of the speaker's, or one made of added clauses."""

    pieces: list[Piece]
    source: int | None  # index into Cleanup.sentences; None for a sentence of added clauses
    parts: tuple[str, ...]
    terms: frozenset[str]
    added: tuple[str, ...] = ()  # terms whose clause is in it
    on_topic: bool = True  # talks about the scenario's subject

    @property
    def point(self) -> bool:
        """Carries a part of the answer, a key term, or something about the question."""
        return bool(self.parts or self.terms or self.on_topic)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    @property
    def size(self) -> int:
        return len(self.pieces)


@dataclass(frozen=True)
class _Clause:
    term: str
    text: str
    part: str


# --- step 2: clauses for missing key terms -----------------------------------------------------
def clause_part(key: KeyTerm, expected: Sequence[str]) -> str:
    """The structure part a key term's clause belongs to."""
    if key.part in expected:
        return key.part
    parts = sentence_parts(key.clause, expected)
    return parts[0] if parts else expected[min(1, len(expected) - 1)]


def _clauses(scenario: Scenario, coverage: CoverageReport) -> list[_Clause]:
    expected = scenario.expected_structure
    found = []
    for term in coverage.missing:
        key = scenario.key_term(term)
        if key and key.clause:
            found.append(_Clause(term, key.clause.rstrip(". "), clause_part(key, expected)))
    return sorted(found, key=lambda c: expected.index(c.part))


def join_clauses(texts: Sequence[str]) -> str:
    """"I'd check dmesg" + "I'd read memory.events" -> "I'd check dmesg and read memory.events"."""
    subject = bare(texts[0].split()[0]) if texts else ""
    joined = [texts[0]]
    for text in texts[1:]:
        words = text.split()
        if subject in SUBJECTS and bare(words[0]) == subject and len(words) > 1:
            text = " ".join(words[1:])
        joined.append(text)
    if len(joined) <= 2:
        return " and ".join(joined)
    return ", ".join(joined[:-1]) + " and " + joined[-1]


def _clause_pieces(text: str, scenario: Scenario, start: bool) -> list[Piece]:
    words = text.split()
    first = capitalise(words[0], scenario) if start else words[0]
    if not start and first[:1].isupper() and bare(first) not in SUBJECTS and first[1:].islower():
        first = first[0].lower() + first[1:]
    pieces = [Piece(w, ADDED) for w in [first, *words[1:]]]
    pieces[-1] = Piece(pieces[-1].text.rstrip(".") + ".", ADDED)
    return pieces


def _compose(items: list[_Item], clauses: list[_Clause], scenario: Scenario) -> list[_Item]:
    """The items with the clauses joined in where their part is (or as new sentences)."""
    expected = scenario.expected_structure
    out = [_Item(list(i.pieces), i.source, i.parts, i.terms, (), i.on_topic) for i in items]
    for part in expected:
        group = [c for c in clauses if c.part == part]
        if not group:
            continue
        text = join_clauses([c.text for c in group])
        terms = tuple(c.term for c in group)
        # the last sentence about that part alone, else the last one that touches it
        carriers = ([n for n, item in enumerate(out) if item.parts == (part,)]
                    or [n for n, item in enumerate(out) if part in item.parts])
        if carriers and out[carriers[-1]].size + len(text.split()) + 1 <= MAX_JOINED_WORDS:
            target = out[carriers[-1]]
            last = target.pieces[-1]
            target.pieces[-1] = Piece(last.text.rstrip(".?!,;:") + ",", last.origin, last.source)
            target.pieces += [Piece("and", ADDED), *_clause_pieces(text, scenario, False)]
            target.added += terms
            continue
        new = _Item(_clause_pieces(text, scenario, True), None, (part,), frozenset(), terms)
        if carriers:
            out.insert(carriers[-1] + 1, new)
            continue
        rank = expected.index(part)
        place = next((n for n, item in enumerate(out) if _rank(item, expected) > rank),
                     len(out))
        out.insert(place, new)
    return out


# --- step 3: the scenario's order ---------------------------------------------------------------
def _rank(item: _Item, expected: Sequence[str]) -> int:
    return min((expected.index(p) for p in item.parts), default=-1)


def _order(items: list[_Item], expected: Sequence[str]) -> list[_Item]:
    ranks: list[int] = []
    for number, item in enumerate(items):
        rank = _rank(item, expected)
        if rank < 0 or (number == 0 and rank <= 1 and expected[0] not in item.parts):
            rank = ranks[-1] if ranks else -1  # stays with the sentence before (or first)
        ranks.append(rank)
    order = sorted(range(len(items)), key=lambda n: (ranks[n], n))
    return [items[n] for n in order]


# --- step 4: fit the limit ------------------------------------------------------------------
def _next_aside(items: list[_Item]) -> _Item | None:
    """The aside to leave out next: the longest, the lead-in last."""
    said = [i for i in items if i.source is not None]
    asides = [i for i in said if not i.point]
    if not asides:
        return None
    later = [i for i in asides if i is not said[0]] or asides
    return max(later, key=lambda i: i.size)


def _could_cut(items: list[_Item], limit_s: float) -> list[str]:
    """When the points alone run over: sentences whose parts and key terms others also carry,
    the longest first, until the rest would fit. Suggested, never cut."""
    remaining = [i for i in items if i.source is not None]
    extra = sum(i.size for i in items if i.source is None)
    suggested: list[str] = []
    while sum(i.size for i in remaining) + extra > limit_s * COMFORTABLE_WPM / 60:
        spare = [i for i in remaining
                 if all(any(p in o.parts for o in remaining if o is not i) for p in i.parts)
                 and all(any(t in o.terms for o in remaining if o is not i) for t in i.terms)]
        if not spare:
            break
        victim = max(spare, key=lambda i: i.size)
        remaining.remove(victim)
        suggested.append(victim.text)
    return suggested


def _fit(items: list[_Item], clauses: list[_Clause], scenario: Scenario, on_topic: bool
         ) -> tuple[list[_Item], list[_Clause], list[str]]:
    """Fit the limit (see the module doc). An answer off the question has no asides: what the
    speaker said is all there is."""
    left_out: list[str] = []
    kept = list(items)
    clauses = list(clauses)
    while True:
        composed = _compose(kept, clauses, scenario)
        text = " ".join(i.text for i in composed)
        if speaking_seconds(text) <= scenario.time_limit_s:
            return composed, clauses, left_out
        if clauses:
            dropped = clauses.pop()
            left_out.append(f"the clause for {dropped.term}")
            continue
        victim = _next_aside(kept) if on_topic else None
        if victim is None:
            return composed, clauses, left_out
        kept.remove(victim)
        left_out.append(victim.text)


# --- the diff ---------------------------------------------------------------------------------
def _word_diff(before: Sequence[str], after: Sequence[str]) -> list[DiffPart]:
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=[bare(w) for w in before], b=[bare(w) for w in after],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", " ".join(after[j1:j2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("removed", " ".join(before[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("added", " ".join(after[j1:j2])))
    return parts


def _diff(transcript: Transcript, cleanup: Cleanup, items: list[_Item]) -> tuple[DiffPart, ...]:
    """Sentence by sentence, so words are never matched across unrelated sentences."""
    words = [w.text for w in transcript.words]
    said = {i.source for i in items if i.source is not None}
    shown: set[int] = set()
    parts: list[DiffPart] = []

    def removed_before(limit: int) -> None:
        for number, sentence in enumerate(cleanup.sentences[:limit]):
            if number not in said and number not in shown:
                parts.append(DiffPart("removed", " ".join(words[i] for i in sentence.source)))
                shown.add(number)

    for item in items:
        if item.source is None:
            parts.append(DiffPart("added", item.text))
            continue
        removed_before(item.source)
        original = [words[i] for i in cleanup.sentences[item.source].source]
        parts += _word_diff(original, [p.text for p in item.pieces])
        shown.add(item.source)
    removed_before(len(cleanup.sentences))
    merged: list[DiffPart] = []
    for part in parts:
        if merged and merged[-1].op == part.op:
            merged[-1] = DiffPart(part.op, f"{merged[-1].text} {part.text}")
        else:
            merged.append(part)
    return tuple(merged)


# --- the answer -------------------------------------------------------------------------------
def scenario_topic(scenario: Scenario) -> frozenset[str]:
    """What the question is about: the content words of its prompt, context, model answer and
    key terms."""
    texts = [scenario.prompt, scenario.context, scenario.reference_answer]
    for key in scenario.key_terms:
        texts += [*key.spellings, key.clause, key.model_sentence]
    return topic_words(" ".join(texts))


def _items(cleanup: Cleanup, scenario: Scenario, coverage: CoverageReport) -> list[_Item]:
    expected = scenario.expected_structure
    topic = scenario_topic(scenario)
    spans = [(h.word_index, h.word_count, h.term) for h in coverage.covered]
    spans += [(h.word_index, h.word_count, h.term) for h in coverage.heard_as]
    items = []
    for number, sentence in enumerate(cleanup.sentences):
        if not sentence.pieces:
            continue
        source = set(sentence.source)
        terms = frozenset(t for index, _count, t in spans if index in source)
        items.append(_Item(list(sentence.pieces), number,
                           tuple(sentence_parts(sentence.text, expected)), terms, (),
                           bool(topic & topic_words(sentence.text))))
    return items


def polish_answer(transcript: Transcript, scenario: Scenario, fillers: FillerReport,
                  coverage: CoverageReport, grammar: GrammarReport,
                  unclear: UnclearReport | None = None, *, judged: bool = True
                  ) -> PolishedAnswer:
    """`grammar`: the speaker's own findings; `judged`: long enough to judge (else no additions)."""
    cleanup = clean_answer(transcript, scenario, fillers, coverage, grammar,
                           unclear or UnclearReport())
    expected = scenario.expected_structure
    items = _items(cleanup, scenario, coverage)
    structure = analyze_structure(" ".join(i.text for i in items), expected)
    topical = sum(i.on_topic for i in items)
    on_topic = bool(coverage.said) or topical >= max(2.0, len(items) * ON_TOPIC_SHARE)
    clauses = _clauses(scenario, coverage) if on_topic and judged else []
    ordered = items if structure.order_ok else _order(items, expected)
    final, kept_clauses, left_out = _fit(ordered, clauses, scenario, on_topic)
    text = " ".join(i.text for i in final)
    over = speaking_seconds(text) > scenario.time_limit_s
    words = guide([i.pieces for i in final], scenario.key_terms)
    return PolishedAnswer(
        text=text, diff=_diff(transcript, cleanup, final), removed=cleanup.removed,
        fixed=cleanup.fixed, added=tuple(join_clauses([c.text]) for c in kept_clauses),
        structure=structure, estimated_s=speaking_seconds(text), limit_s=scenario.time_limit_s,
        left_out=tuple(left_out), words=words, spoken_text=spoken_text(words),
        could_cut=tuple(_could_cut(final, scenario.time_limit_s)) if over else (),
        added_terms=tuple(c.term for c in kept_clauses),
        reordered=[i.source for i in ordered] != [i.source for i in items],
        missing_parts=analyze_structure(text, expected).missing,
    )
