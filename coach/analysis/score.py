"""A transparent overall score and the three most useful pieces of advice.

Each part scores 0-100 by its rule in `coach.analysis.score_rules`; the total is their weighted
mean over the parts that could be measured. A part that could not be measured (grammar with
the checker down) drops out and the score is marked *partial*: same 0-100 scale, but not
comparable with full scores, so history keeps it out of "best" and trends. An answer too short
to judge (see `coach.analysis.timing`) gets no score at all. Advice is ranked by the points it
would win back: weight x (100 - part score); the structure advice comes second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.analysis.coverage import CoverageReport
from coach.analysis.fillers import FillerReport
from coach.analysis.pauses import PauseReport
from coach.analysis.score_rules import RULES, WEIGHTS, Answer
from coach.analysis.structure import StructureReport
from coach.analysis.timing import MIN_JUDGED_S, MIN_JUDGED_WORDS, TimingReport
from coach.grammar import GrammarReport

__all__ = ["WEIGHTS", "Score", "ScorePart", "score_answer"]

STRONG_ANSWER = "Strong answer: practise it once more at the same pace, then try a follow-up."


@dataclass(frozen=True)
class ScorePart:
    name: str
    score: float
    weight: int
    rule: str  # how the score was reached, in words

    def to_dict(self) -> dict:
        return {"name": self.name, "score": round(self.score), "weight": self.weight,
                "rule": self.rule}

    @classmethod
    def from_dict(cls, data: Mapping) -> ScorePart:
        return cls(data["name"], data["score"], data["weight"], data["rule"])


@dataclass(frozen=True)
class Score:
    total: float | None  # None: too short to judge
    parts: tuple[ScorePart, ...]
    advice: tuple[str, ...]
    unmeasured: tuple[str, ...] = ()  # parts left out (e.g. grammar: the checker was down)

    @property
    def judged(self) -> bool:
        return self.total is not None

    @property
    def partial(self) -> bool:
        return bool(self.unmeasured)

    def to_dict(self) -> dict:
        return {"total": None if self.total is None else round(self.total),
                "judged": self.judged, "partial": self.partial,
                "unmeasured": list(self.unmeasured),
                "parts": [p.to_dict() for p in self.parts], "advice": list(self.advice)}

    @classmethod
    def from_dict(cls, data: Mapping) -> Score:
        return cls(data["total"], tuple(ScorePart.from_dict(p) for p in data["parts"]),
                   tuple(data["advice"]), tuple(data["unmeasured"]))


def too_short_advice(timing: TimingReport) -> str:
    return (f"Too short to judge ({timing.answer_s:.0f} s, {timing.word_count} words): answer in "
            f"at least {MIN_JUDGED_S:.0f} s and {MIN_JUDGED_WORDS} words; the question gives you "
            f"{timing.limit_s} s.")


def _structure_advice(structure: StructureReport) -> str:
    if structure.missing:
        part = structure.missing[0]
        lead = " Start with it." if part == structure.expected[0] else ""
        return f"Cover the {part} part of the answer ({', '.join(structure.expected)}).{lead}"
    if not structure.order_ok:
        return f"Keep the expected order: {' -> '.join(structure.expected)}."
    return ""


def score_answer(timing: TimingReport, fillers: FillerReport, coverage: CoverageReport,
                 grammar: GrammarReport, pauses: PauseReport, structure: StructureReport,
                 kind: str) -> Score:
    """`grammar` should hold the speaker's own issues only (see coach.analysis.unclear)."""
    if not timing.judged:
        return Score(None, (), (too_short_advice(timing),))
    answer = Answer(timing, fillers, coverage, grammar, pauses, structure, kind)
    parts: list[tuple[ScorePart, str]] = []
    unmeasured: list[str] = []
    for rule in RULES:
        value = rule.score(answer)
        if value is None:
            unmeasured.append(rule.name)
            continue
        parts.append((ScorePart(rule.name, value, rule.weight, rule.rule(answer)),
                      rule.advice(answer)))
    total = sum(p.score * p.weight for p, _ in parts) / sum(p.weight for p, _ in parts)
    ranked = sorted(((p.weight * (100 - p.score), text) for p, text in parts if text),
                    key=lambda item: -item[0])
    advice = [text for gain, text in ranked if gain > 0]
    structural = _structure_advice(structure)
    if structural:
        advice.insert(min(1, len(advice)), structural)
    return Score(total, tuple(p for p, _ in parts), tuple(advice[:3] or [STRONG_ANSWER]),
                 tuple(unmeasured))
