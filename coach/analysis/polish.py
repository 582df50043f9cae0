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
4. It must fit the time limit as the chosen voice reads it at the chosen speed
   (`coach.analysis.speech_time`, with a margin: `condense.Voice`). Left out first: added clauses
   (the last part's first), then, keeping every point (structure part, key term, fact),
   asides, repeats, redundant sentences and closing clauses without a point
   (`coach.analysis.condense`); added clauses that fit again come back. When the points alone
   run over, the voice reads on without pauses inside sentences; if still over, it stays over:
   `fits` says so and `could_cut` suggests more. An answer with no point at all (off the
   question) keeps everything said; it gets no stock text.
5. Words the recogniser was unsure of stay as heard; where the scenario's vocabulary has one
   that sounds alike, `suggestions` offers it ((heard, likely), `coach.analysis.suggestions`).
   Sentences the recogniser invented (`coach.analysis.invented`) are out, never `left_out`.

The model answer (the scenario's reference answer) is apart: `coach.analysis.model_answer`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from coach.analysis.cleanup import ADDED, Cleanup, Piece, capitalise, clean_answer
from coach.analysis.condense import (
    Item,
    Voice,
    could_cut,
    cut_tail,
    drop_repeats,
    next_aside,
    next_redundant,
)
from coach.analysis.coverage import CoverageReport, HeardAs, TermHit, topic_words
from coach.analysis.fillers import FillerReport
from coach.analysis.invented import is_invented
from coach.analysis.reading_guide import COMFORTABLE_WPM, GuideWord, spoken_text
from coach.analysis.structure import StructureReport, analyze_structure, sentence_parts
from coach.analysis.suggestions import likely_words
from coach.analysis.text import bare
from coach.analysis.unclear import UnclearReport
from coach.grammar import GrammarReport
from coach.scenarios import KeyTerm, Scenario
from coach.settings import DEFAULT_WPM
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
    suggestions: tuple[tuple[str, str], ...] = ()  # (heard, likely): offered, never applied
    voice: str = "espeak"  # the voice and speed `estimated_s` is for
    wpm: int = DEFAULT_WPM
    audio_s: float | None = None  # the duration of its real audio, once synthesized

    @property
    def duration_s(self) -> float:
        """The one duration to show: the real audio's when there is one."""
        return self.estimated_s if self.audio_s is None else self.audio_s

    @property
    def fits(self) -> bool:
        return self.duration_s <= self.limit_s

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
                "suggestions": [list(s) for s in self.suggestions], "voice": self.voice,
                "wpm": self.wpm, "audio_s": None if self.audio_s is None else round(
                    self.audio_s, 2),
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
            reordered=data["reordered"], missing_parts=tuple(data["missing_parts"]),
            suggestions=tuple(tuple(s) for s in data.get("suggestions", ())),
            voice=data.get("voice", "espeak"), wpm=data.get("wpm", DEFAULT_WPM),
            audio_s=data.get("audio_s"))


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


def _compose(items: list[Item], clauses: list[_Clause], scenario: Scenario) -> list[Item]:
    """The items with the clauses joined in where their part is (or as new sentences)."""
    expected = scenario.expected_structure
    out = [Item(list(i.pieces), i.source, i.parts, i.terms, (), i.on_topic) for i in items]
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
        new = Item(_clause_pieces(text, scenario, True), None, (part,), frozenset(), terms)
        if carriers:
            out.insert(carriers[-1] + 1, new)
            continue
        rank = expected.index(part)
        place = next((n for n, item in enumerate(out) if _rank(item, expected) > rank),
                     len(out))
        out.insert(place, new)
    return out


# --- step 3: the scenario's order ---------------------------------------------------------------
def _rank(item: Item, expected: Sequence[str]) -> int:
    return min((expected.index(p) for p in item.parts), default=-1)


def _order(items: list[Item], expected: Sequence[str]) -> list[Item]:
    ranks: list[int] = []
    for number, item in enumerate(items):
        rank = _rank(item, expected)
        if rank < 0 or (number == 0 and rank <= 1 and expected[0] not in item.parts):
            rank = ranks[-1] if ranks else -1  # stays with the sentence before (or first)
        ranks.append(rank)
    order = sorted(range(len(items)), key=lambda n: (ranks[n], n))
    return [items[n] for n in order]


# --- step 4: fit the limit (coach.analysis.condense) -----------------------------------------
def _fit(items: list[Item], clauses: list[_Clause], voice: Voice, on_topic: bool
         ) -> tuple[list[Item], list[_Clause], list[str]]:
    """Fit the limit (see the module doc). An answer off the question has no asides: what the
    speaker said is all there is."""
    scenario = voice.scenario
    left_out: list[str] = []
    kept = [Item(list(i.pieces), i.source, i.parts, i.terms, (), i.on_topic) for i in items]
    clauses, dropped = list(clauses), []
    while voice.too_long(_compose(kept, clauses, scenario)):
        if clauses:
            dropped.append(clauses.pop())
            continue
        if not on_topic:
            break
        victim = next_aside(kept) or next_redundant(kept, scenario)
        if victim is not None:
            kept.remove(victim)
            left_out.append(victim.text)
            continue
        tail = cut_tail(kept, scenario)
        if tail is None:
            break
        left_out.append(tail)
    for clause in reversed(dropped):  # shorter now: the added clauses that fit come back
        back = sorted([*clauses, clause], key=lambda c: scenario.expected_structure.index(c.part))
        if not voice.too_long(_compose(kept, back, scenario)):
            clauses = back
    left_out = [f"the clause for {c.term}" for c in dropped if c not in clauses] + left_out
    return _compose(kept, clauses, scenario), clauses, left_out


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


def _diff(transcript: Transcript, cleanup: Cleanup, items: list[Item]) -> tuple[DiffPart, ...]:
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


def _items(cleanup: Cleanup, scenario: Scenario, coverage: CoverageReport,
           transcript: Transcript) -> list[Item]:
    expected = scenario.expected_structure
    topic = scenario_topic(scenario)
    hits: tuple[TermHit | HeardAs, ...] = (*coverage.covered, *coverage.heard_as)
    spans = [(h.word_index, h.term) for h in hits]
    items = []
    for number, sentence in enumerate(cleanup.sentences):
        if not sentence.pieces:
            continue
        terms = frozenset(t for index, t in spans if index in sentence.source)
        item = Item(list(sentence.pieces), number, tuple(sentence_parts(sentence.text, expected)),
                    terms, (), bool(topic & topic_words(sentence.text)))
        if item.point or not is_invented([transcript.words[i] for i in sentence.source]):
            items.append(item)
    return items


def polish_answer(transcript: Transcript, scenario: Scenario, fillers: FillerReport,
                  coverage: CoverageReport, grammar: GrammarReport,
                  unclear: UnclearReport | None = None, *, judged: bool = True,
                  engine: str = "espeak", wpm: int = DEFAULT_WPM) -> PolishedAnswer:
    """`grammar`: the speaker's own findings; `judged`: long enough to judge (else no additions);
    `engine` and `wpm`: the voice that reads it, whose time must fit the limit."""
    cleanup = clean_answer(transcript, scenario, fillers, coverage, grammar,
                           unclear or UnclearReport())
    expected = scenario.expected_structure
    items = _items(cleanup, scenario, coverage, transcript)
    structure = analyze_structure(" ".join(i.text for i in items), expected)
    topical = sum(i.on_topic for i in items)
    on_topic = bool(coverage.said) or topical >= max(2.0, len(items) * ON_TOPIC_SHARE)
    clauses = _clauses(scenario, coverage) if on_topic and judged else []
    voice = Voice(scenario, engine, wpm)
    repeats: list[str] = []
    if on_topic and voice.too_long(items):
        items, repeats = drop_repeats(items, scenario)
    ordered = items if structure.order_ok else _order(items, expected)
    final, kept_clauses, left_out = _fit(ordered, clauses, voice, on_topic)
    text = " ".join(i.text for i in final)
    if voice.too_long(final):  # the points alone run over: read on, without phrase pauses
        voice = replace(voice, brisk=True)
    over = voice.too_long(final)
    words = voice.sentences(final)
    return PolishedAnswer(
        text=text, diff=_diff(transcript, cleanup, final), removed=cleanup.removed,
        fixed=cleanup.fixed, added=tuple(join_clauses([c.text]) for c in kept_clauses),
        structure=structure, estimated_s=voice.seconds(final), limit_s=scenario.time_limit_s,
        left_out=tuple(repeats + left_out), words=words, spoken_text=spoken_text(words),
        could_cut=tuple(could_cut(final, voice.too_long, scenario)) if over else (),
        suggestions=likely_words(words, transcript, scenario), voice=engine, wpm=wpm,
        added_terms=tuple(c.term for c in kept_clauses),
        reordered=[i.source for i in ordered] != [i.source for i in items],
        missing_parts=analyze_structure(text, expected).missing,
    )
