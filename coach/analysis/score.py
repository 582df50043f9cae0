"""A transparent overall score and the three most useful pieces of advice.

Each part scores 0-100 by a simple rule written next to it; the total is their weighted mean
(parts that could not be measured, such as grammar with the checker down, drop out). Advice is
ranked by the points it would win back: weight x (100 - part score).
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.analysis.coverage import CoverageReport
from coach.analysis.fillers import FillerReport
from coach.analysis.pauses import PauseReport
from coach.analysis.structure import StructureReport
from coach.analysis.timing import TimingReport
from coach.grammar import GrammarReport

WEIGHTS = {"key terms": 30, "fillers": 20, "pace": 15, "timing": 15, "grammar": 10,
           "fluency": 10}


@dataclass(frozen=True)
class ScorePart:
    name: str
    score: float
    weight: int
    rule: str  # how the score was reached, in words

    def to_dict(self) -> dict:
        return {"name": self.name, "score": round(self.score), "weight": self.weight,
                "rule": self.rule}


@dataclass(frozen=True)
class Score:
    total: float
    parts: tuple[ScorePart, ...]
    advice: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"total": round(self.total), "parts": [p.to_dict() for p in self.parts],
                "advice": list(self.advice)}


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _parts(timing: TimingReport, fillers: FillerReport, coverage: CoverageReport,
           grammar: GrammarReport, pauses: PauseReport) -> list[tuple[ScorePart, str]]:
    parts: list[tuple[ScorePart, str]] = []
    missed = ", ".join(coverage.not_covered)
    parts.append((ScorePart("key terms", 100 * coverage.ratio, WEIGHTS["key terms"],
                            "share of key terms said (a misheard term counts half)"),
                  f"Name the missing key terms: {missed}." if missed else ""))
    filler_score = _clamp(100 - max(0.0, fillers.per_minute - 3.0) * 10)
    top = sorted(fillers.counts.items(), key=lambda kv: -kv[1])[:2]
    parts.append((ScorePart("fillers", filler_score, WEIGHTS["fillers"],
                            "100 up to 3 fillers a minute, minus 10 per extra filler a minute"),
                  f"Cut fillers ({fillers.per_minute:.0f} a minute, mostly "
                  f"{' and '.join(repr(k) for k, _ in top)}): pause silently instead."
                  if top else ""))
    low, high = timing.pace_range.low, timing.pace_range.high
    distance = max(0.0, low - timing.wpm, timing.wpm - high)
    parts.append((ScorePart("pace", _clamp(100 - 2 * distance), WEIGHTS["pace"],
                            f"100 inside {low:.0f}-{high:.0f} wpm, minus 2 per wpm outside"),
                  (f"Slow down: {timing.wpm:.0f} wpm is fast for dense technical content; aim "
                   f"for {low:.0f}-{high:.0f}." if timing.pace_verdict == "fast" else
                   f"Speed up a little: {timing.wpm:.0f} wpm sounds hesitant; aim for "
                   f"{low:.0f}-{high:.0f}." if timing.pace_verdict == "slow" else "")))
    short = timing.answer_s < 0.5 * timing.limit_s
    timing_score = _clamp(100 - 5 * timing.over_time_s - (30 if short else 0))
    parts.append((ScorePart("timing", timing_score, WEIGHTS["timing"],
                            "100 within the limit, minus 5 per second over, minus 30 if under half"),
                  f"Finish within {timing.limit_s} s: you ran {timing.over_time_s:.0f} s over. "
                  "Lead with the hypothesis and cut the background." if timing.over_time_s >= 1
                  else f"Use more of your {timing.limit_s} s: add the first check you would run."
                  if short else ""))
    if grammar.checked:
        count = len(grammar.issues)
        example = grammar.issues[0] if grammar.issues else None
        parts.append((ScorePart("grammar", _clamp(100 - 20 * count), WEIGHTS["grammar"],
                                "100 with no issues, minus 20 per issue"),
                      f"Fix grammar: \"{example.words}\" -> \"{example.suggestion}\"."
                      if example and example.suggestion else
                      "Fix the grammar issues listed." if count else ""))
    long_clause = len(pauses.long_in_clause)
    repeats = len(fillers.repetitions)
    parts.append((ScorePart("fluency", _clamp(100 - 15 * long_clause - 10 * repeats),
                            WEIGHTS["fluency"],
                            "100, minus 15 per long pause inside a clause, minus 10 per repeat"),
                  "Avoid stopping mid-sentence: finish the clause, then pause." if long_clause
                  else "Say each phrase once: plan the sentence, then speak it." if repeats
                  else ""))
    return parts


def score_answer(timing: TimingReport, fillers: FillerReport, coverage: CoverageReport,
                 grammar: GrammarReport, pauses: PauseReport, structure: StructureReport,
                 kind: str) -> Score:
    parts = _parts(timing, fillers, coverage, grammar, pauses)
    weight = sum(p.weight for p, _ in parts)
    total = sum(p.score * p.weight for p, _ in parts) / weight
    ranked = sorted(((p.weight * (100 - p.score), text) for p, text in parts if text),
                    key=lambda item: -item[0])
    advice = [text for gain, text in ranked if gain > 0]
    if structure.missing:
        first_missing = structure.missing[0]
        lead = " Lead with the hypothesis." if kind == "opening" and first_missing == "hypothesis" else ""
        advice.insert(min(1, len(advice)),
                      f"Cover the {first_missing} part of the answer ({', '.join(structure.expected)})."
                      + lead)
    elif not structure.order_ok:
        advice.insert(min(1, len(advice)),
                      f"Keep the expected order: {' -> '.join(structure.expected)}.")
    if not advice:
        advice.append("Strong answer: practise it once more at the same pace, then try a follow-up.")
    return Score(total, tuple(p for p, _ in parts), tuple(advice[:3]))
