"""The polished answer: the user's own words, cleaned, corrected and completed.

Steps, all deterministic: drop fillers; keep only the final version of repeats and restarts;
apply the first grammar suggestion; write key terms in their canonical spelling (including
terms that were heard as something else); capitalise and punctuate sentences; add one sentence
for each key term that is missing (the scenario's model sentence); trim the least useful
sentences if it would no longer fit the time limit at a comfortable pace. An answer that
needs none of this stays as it was.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from coach.analysis.coverage import CoverageReport
from coach.analysis.fillers import FillerReport
from coach.analysis.structure import StructureReport, analyze_structure, split_sentences
from coach.analysis.text import match_tokens
from coach.grammar import GrammarReport
from coach.scenarios import Scenario
from coach.transcript import Transcript

COMFORTABLE_WPM = 145.0
_TRAILING = re.compile(r"[.,;:?!]+$")


@dataclass(frozen=True)
class DiffPart:
    op: str  # same | removed | added
    text: str

    def to_dict(self) -> dict:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class PolishedAnswer:
    text: str
    diff: tuple[DiffPart, ...]
    removed: tuple[str, ...]  # fillers and repeats taken out
    fixed: tuple[tuple[str, str], ...]  # (said, now)
    added: tuple[str, ...]  # sentences added for missing key points
    structure: StructureReport  # of what the user said
    estimated_s: float
    limit_s: int
    trimmed: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        return self.estimated_s <= self.limit_s

    def to_dict(self) -> dict:
        return {"text": self.text, "diff": [d.to_dict() for d in self.diff],
                "removed": list(self.removed), "fixed": [list(f) for f in self.fixed],
                "added": list(self.added), "trimmed": list(self.trimmed),
                "missing_parts": list(self.structure.missing),
                "structure": self.structure.to_dict(),
                "estimated_s": round(self.estimated_s, 1), "fits": self.fits}


def _squash(text: str) -> str:
    return "".join(match_tokens(text))


def _speaking_seconds(text: str, wpm: float = COMFORTABLE_WPM) -> float:
    return len(text.split()) * 60.0 / wpm


def _trailing(text: str) -> str:
    match = _TRAILING.search(text)
    return match.group(0) if match else ""


def _sentence_case(tokens: list[str]) -> str:
    out: list[str] = []
    capitalise = True
    for token in tokens:
        if capitalise and token[:1].islower():
            token = token[0].upper() + token[1:]
        out.append(token)
        capitalise = token.endswith((".", "?", "!"))
    text = " ".join(out)
    text = re.sub(r"\s+([,.;:?!])", r"\1", text)
    text = re.sub(r",([.?!])", r"\1", text)
    text = re.sub(r"([.?!]),", r"\1", text)
    if text and not text.endswith((".", "?", "!")):
        text = text.rstrip(",;:") + "."
    return text


def _clean_tokens(transcript: Transcript, fillers: FillerReport, coverage: CoverageReport,
                  grammar: GrammarReport, scenario: Scenario
                  ) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    words = [w.text for w in transcript.words]
    replacement: dict[int, str | None] = {}  # word index -> new text (None: drop)
    removed: list[str] = []
    fixed: list[tuple[str, str]] = []

    for filler in fillers.items:
        span = range(filler.word_index, filler.word_index + filler.word_count)
        said = " ".join(words[i] for i in span)
        removed.append(said.strip(",."))
        carry = _trailing(words[span[-1]])
        for i in span:
            replacement[i] = None
        previous = filler.word_index - 1
        if carry == "," and previous >= 0 and replacement.get(previous, words[previous]):
            # "and, you know, the" -> "and the": the commas only set off the filler
            base = replacement.get(previous) or words[previous]
            if base.endswith(","):
                replacement[previous] = base[:-1]
        if carry.endswith((".", "?", "!")) and filler.word_index > 0:
            previous = filler.word_index - 1
            base = replacement.get(previous) or words[previous]
            replacement[previous] = _TRAILING.sub("", base) + carry[-1]
    for repetition in fillers.repetitions:
        keep_from = repetition.word_index + repetition.word_count - repetition.unit
        dropped = list(range(repetition.word_index, keep_from))
        if dropped:
            removed.append(" ".join(words[i] for i in dropped).strip(",."))
        for i in dropped:
            replacement[i] = None
    for finding in grammar.issues:
        span = range(finding.word_index, finding.word_index + finding.word_count)
        if not finding.suggestion or any(i in replacement for i in span):
            continue
        said = " ".join(words[i] for i in span)
        new = finding.suggestion + _trailing(words[span[-1]])
        if _TRAILING.sub("", said).lower() == finding.suggestion.lower():
            continue
        fixed.append((said, new))
        replacement[span[0]] = new
        for i in span[1:]:
            replacement[i] = None
    spans = [(h.word_index, h.word_count, h.term) for h in coverage.covered]
    heard = {(h.word_index, h.word_count, h.term) for h in coverage.heard_as}
    spans += sorted(heard)
    for index, count, term in spans:
        span = range(index, index + count)
        if any(replacement.get(i, "") is None for i in span):
            continue
        said = " ".join(replacement.get(i) or words[i] for i in span)
        if _squash(said) != _squash(term) and (index, count, term) not in heard:
            continue  # said with another alias ("137" for "exit code 137"): keep their words
        new = term + _trailing(said)
        if said != new:
            fixed.append((said, new))
        replacement[span[0]] = new
        for i in span[1:]:
            replacement[i] = None
    tokens = [replacement.get(i, w) for i, w in enumerate(words)]
    return [t for t in tokens if t], removed, fixed


def _fit(sentences: list[str], protected: set[str], scenario: Scenario, limit_s: float
         ) -> tuple[list[str], list[str]]:
    """Drop the longest sentences that mention no key term until the answer fits."""
    trimmed: list[str] = []
    terms = [t.term.lower() for t in scenario.key_terms]
    while _speaking_seconds(" ".join(sentences)) > limit_s:
        candidates = [s for s in sentences if s not in protected
                      and not any(t in s.lower() for t in terms)]
        if not candidates or len(sentences) <= 1:
            break
        victim = max(candidates, key=lambda s: (len(s.split()), -sentences.index(s)))
        sentences.remove(victim)
        trimmed.append(victim)
    return sentences, trimmed


def _word_diff(before: str, after: str) -> tuple[DiffPart, ...]:
    a, b = before.split(), after.split()
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("added", " ".join(b[j1:j2])))
    return tuple(parts)


def polish_answer(transcript: Transcript, scenario: Scenario, fillers: FillerReport,
                  coverage: CoverageReport, grammar: GrammarReport) -> PolishedAnswer:
    tokens, removed, fixed = _clean_tokens(transcript, fillers, coverage, grammar, scenario)
    body = _sentence_case(tokens)
    structure = analyze_structure(body, scenario.expected_structure)
    added = []
    for term in coverage.missing:
        key = scenario.key_term(term)
        if key and key.model_sentence:
            added.append(_sentence_case(key.model_sentence.split()))
    sentences = split_sentences(body) + added
    sentences, trimmed = _fit(sentences, set(added), scenario, scenario.time_limit_s)
    text = " ".join(sentences)
    return PolishedAnswer(
        text=text, diff=_word_diff(transcript.text, text), removed=tuple(removed),
        fixed=tuple(fixed), added=tuple(added), structure=structure,
        estimated_s=_speaking_seconds(text), limit_s=scenario.time_limit_s,
        trimmed=tuple(trimmed),
    )
