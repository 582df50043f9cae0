"""The report of a mock-interview round: figures of every answer, the best and the weakest,
the change since the previous round, and the things to practise next. Pure functions over the
kept attempts; `build_round_report` loads them from the history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coach.analysis.score_rules import RULES_BY_NAME, AnswerFigures
from coach.analysis.timing import PaceRange
from coach.history.progress import (
    DEFAULT_PACE,
    METRICS,
    Change,
    averages,
    best_basis,
    compare,
    judged_score,
)
from coach.history.records import Attempt, RoundRecord
from coach.history.store import HistoryStore

TIME_OUT_TOLERANCE_S = 0.25  # a recording this close to the limit was stopped by it
PRACTICE_ITEMS = 3


def is_time_out(attempt: Attempt | None, strict: bool) -> bool:
    """In a strict round: the answer ran to (or past) its time limit."""
    m = attempt.metrics if attempt else None
    if not strict or m is None or not m.time_limit_s:
        return False
    return m.over_time_s > 0 or m.duration_s >= m.time_limit_s - TIME_OUT_TOLERANCE_S


@dataclass(frozen=True)
class ReportAnswer:
    """One answer of the round with what the report needs to say about it."""

    attempt: Attempt
    module: str
    timed_out: bool

    @property
    def score(self) -> float | None:
        return self.attempt.metrics.score if self.attempt.metrics else None

    @property
    def label(self) -> str:
        step = "" if self.attempt.round_step is None else f"{self.attempt.round_step + 1}. "
        kind = " (follow-up)" if self.attempt.kind == "follow-up" else ""
        return f"{step}{self.attempt.scenario_id}{kind}"

    def to_dict(self) -> dict:
        a = self.attempt
        return {"attempt_id": a.id, "step": a.round_step, "scenario_id": a.scenario_id,
                "title": a.title, "module": self.module, "kind": a.kind, "question": a.question,
                "status": a.status, "metrics": a.metrics.to_dict() if a.metrics else None,
                "timed_out": self.timed_out,
                "error": {"code": a.error_code, "message": a.error_message}
                if a.status == "failed" else None}


@dataclass(frozen=True)
class PracticeItem:
    """A thing to practise next, the scenarios where it showed, and the score points at stake."""

    text: str
    scenario_ids: tuple[str, ...]
    points: float

    def to_dict(self) -> dict:
        return {"text": self.text, "scenario_ids": list(self.scenario_ids),
                "points": round(self.points, 1)}


@dataclass(frozen=True)
class RoundReport:
    round: RoundRecord
    answers: tuple[ReportAnswer, ...]
    best: ReportAnswer | None  # of the main answers (follow-ups are in `answers`, not ranked)
    weakest: ReportAnswer | None  # None with fewer than two scored main answers
    changes: tuple[Change, ...]  # since the previous round, every measurable metric
    previous_round_id: int | None
    practice: tuple[PracticeItem, ...]
    unanswered: tuple[str, ...] = field(default=())  # planned scenarios never answered

    @property
    def main_scores(self) -> tuple[float, ...]:
        """The main answers' scores: what the round's average, best and weakest are of."""
        return tuple(a.score for a in self.answers
                     if a.score is not None and a.attempt.kind == "answer")

    @property
    def average(self) -> float | None:
        """The main answers' average score (follow-up answers are not counted)."""
        scores = self.main_scores
        return sum(scores) / len(scores) if scores else None

    @property
    def improved(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.verdict == "better")

    @property
    def time_outs(self) -> tuple[ReportAnswer, ...]:
        return tuple(a for a in self.answers if a.timed_out)

    def to_dict(self) -> dict:
        return {
            "round": self.round.to_dict(),
            "answers": [a.to_dict() for a in self.answers],
            "best": self.best.to_dict() if self.best else None,
            "weakest": self.weakest.to_dict() if self.weakest else None,
            "previous_round_id": self.previous_round_id,
            "changes": [c.to_dict() for c in self.changes],
            "improved": [c.sentence for c in self.improved],
            "time_outs": [a.attempt.id for a in self.time_outs],
            "practice": [p.to_dict() for p in self.practice],
            "unanswered": list(self.unanswered),
        }


def round_report(record: RoundRecord, attempts: Sequence[Attempt],
                 previous: tuple[RoundRecord, Sequence[Attempt]] | None = None, *,
                 pace_range: PaceRange = DEFAULT_PACE) -> RoundReport:
    """The report of a round from its kept attempts (and the previous round's, to compare)."""
    modules = dict(zip(record.scenario_ids, record.modules))
    ordered = sorted(attempts, key=lambda a: (a.round_step if a.round_step is not None else 1e9,
                                              a.id))
    answers = tuple(ReportAnswer(a, modules.get(a.scenario_id, ""), is_time_out(a, record.strict))
                    for a in ordered)
    # best and weakest compare like with like: full scores, or partial ones if all are partial
    kept = {id(a) for a in best_basis(x.attempt for x in answers if x.attempt.kind == "answer")}
    scored = [a for a in answers if id(a.attempt) in kept]
    best = max(scored, key=lambda a: judged_score(a.attempt), default=None)
    # one main answer is the best, never also the weakest
    weakest = (min(reversed(scored), key=lambda a: judged_score(a.attempt)) if len(scored) > 1
               else None)
    changes: tuple[Change, ...] = ()
    previous_id = None
    if previous is not None:
        previous_id = previous[0].id
        before, after = averages(previous[1]), averages(ordered)
        changes = tuple(compare(m, before[m.name], after[m.name],
                                over=f"since round {previous_id}", pace_range=pace_range)
                        for m in METRICS if m.name in before and m.name in after)
    answered = {a.scenario_id for a in ordered if a.kind == "answer"}
    return RoundReport(record, answers, best, weakest, changes, previous_id,
                       practice_items(ordered, pace_range=pace_range),
                       tuple(s for s in record.scenario_ids if s not in answered))


def kept_answers(attempts: Sequence[Attempt]) -> list[Attempt]:
    """A round's attempts without the failed recordings of steps that were answered again."""
    answered = {(a.round_step, a.kind) for a in attempts if a.status != "failed"}
    return [a for a in attempts if a.status != "failed" or (a.round_step, a.kind) not in answered]


def build_round_report(store: HistoryStore, round_id: int, *,
                       pace_range: PaceRange = DEFAULT_PACE) -> RoundReport:
    """Load a round, its attempts and the previous finished round's, and report on it."""
    record = store.get_round(round_id)
    previous_record = store.previous_round(round_id)
    previous = None
    if previous_record is not None:
        previous = (previous_record, kept_answers(store.attempts(round_id=previous_record.id)))
    return round_report(record, kept_answers(store.attempts(round_id=round_id)), previous,
                        pace_range=pace_range)


def _parts(attempt: Attempt) -> dict[str, tuple[float, int]]:
    """Score part name -> (score, weight), from the kept feedback."""
    record = attempt.record
    return {p.name: (p.score, p.weight) for p in record.feedback.score.parts} if record else {}


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def practice_items(attempts: Sequence[Attempt], *, pace_range: PaceRange = DEFAULT_PACE,
                   limit: int = PRACTICE_ITEMS) -> tuple[PracticeItem, ...]:
    """The `limit` things that cost the most score points over these answers, with scenarios.

    A score part (key terms, fillers, pace, timing, grammar, fluency) costs
    weight x (100 - part score) / 100 points in each answer; costs add up over the answers.
    An answer that could not be analysed costs a whole answer (100 points): answer it again.
    A follow-up answer is not blamed for being short, only for running over its limit.
    """
    lost: dict[str, list[tuple[float, Attempt]]] = {}
    for attempt in attempts:
        if attempt.status == "failed":
            lost.setdefault("again", []).append((100.0, attempt))
        for name, (score, weight) in _parts(attempt).items():
            if name == "timing" and attempt.kind == "follow-up" and not (
                    attempt.metrics and attempt.metrics.ran_over):
                continue  # follow-up answers are meant to be short: only running over counts
            cost = weight * (100.0 - score) / 100.0
            if cost >= 0.5:
                lost.setdefault(name, []).append((cost, attempt))
    items = []
    for name, costs in lost.items():
        costs.sort(key=lambda item: -item[0])
        chosen = [a for _, a in costs]
        if name == "key terms":  # a term said in another answer to the scenario was not missed
            scenarios = {a.scenario_id for a in chosen}
            chosen += [a for a in attempts if a.scenario_id in scenarios and a not in chosen]
        items.append(PracticeItem(_practice_text(name, chosen, pace_range),
                                  _unique(a.scenario_id for a in chosen),
                                  sum(c for c, _ in costs)))
    items.sort(key=lambda item: -item.points)
    return tuple(items[:limit])


def _practice_text(part: str, attempts: Sequence[Attempt], pace: PaceRange) -> str:
    if part == "again":
        reasons = _unique(a.error_message for a in attempts)
        return f"Answer again; it could not be analysed: {' / '.join(reasons)}"
    figures = [AnswerFigures(a.scenario_id, a.metrics.said_terms, a.metrics.missed_terms,
                             a.metrics.unclear_terms, a.metrics.fillers_per_minute,
                             a.metrics.wpm, a.metrics.over_time_s, a.metrics.grammar_issues)
               for a in attempts if a.metrics]
    rule = RULES_BY_NAME.get(part)
    return rule.practice(figures, pace) if rule else f"Work on {part}."
