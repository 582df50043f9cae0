"""Mock-interview rounds: a planned sequence of scenarios, follow-up questions, a round report.

A round is like the daily drill: one scenario per module (by default a system-debug opening,
a code-review comment, an expressive-english answer and a system-design/cost answer), each
answer followed by 0-2 follow-up questions that probe what the answer missed.

    plan = plan_round(coach.library, RoundSettings(follow_ups=1), history=store.attempts())
    round_ = MockRound(coach, store, plan)
    while round_.current:
        step = round_.current            # step.question: the prompt or the follow-up to read
        round_.speak_question("q.wav")   # optional: the question as speech
        result = round_.answer("answer.wav")
    report = round_.finish()

Pure parts, tested on their own: `plan_round` (which scenario for each module),
`choose_follow_ups` (which questions to ask after an answer), `round_report` (figures, best
and weakest answer, change since the last round, three things to practise next).
`MockRound` only sequences the steps and calls `analyze_and_keep` once per recording, so the
terminal (`coach round --input ...`) and a microphone front end drive it the same way.

Strict timing means the recorder stops at the time limit; here that is kept with the round
and an answer that reached the limit is reported as a time-out. Lenient rounds report the
seconds over the limit instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from coach.analysis.score_rules import RULES_BY_NAME, AnswerFigures
from coach.analysis.timing import PaceRange
from coach.errors import CoachError
from coach.feedback import Feedback
from coach.history.errors import InvalidRoundSettings, RoundFinished
from coach.history.progress import (
    DEFAULT_PACE,
    METRICS,
    Change,
    averages,
    best_basis,
    compare,
)
from coach.history.records import Attempt, RoundRecord
from coach.history.store import HistoryStore
from coach.practice_session import analyze_and_keep, follow_up_scenario
from coach.scenarios import MODULES, FollowUp, Scenario

DEFAULT_MODULES = ("system-debug", "code-review", "expressive-english", "system-design")
MAX_FOLLOW_UPS = 2
TIME_OUT_TOLERANCE_S = 0.25  # a recording this close to the limit was stopped by it
PRACTICE_ITEMS = 3
GENERATED_FOLLOW_UP = "You did not mention {term}: how would it help here?"


# --- settings and plan ------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundSettings:
    """Attributes:
        modules: the modules to answer, in order (see coach.scenarios.MODULES).
        follow_ups: follow-up questions after each answer, 0-2.
        strict: the recorder stops at the time limit (time-outs are reported).
    """

    modules: tuple[str, ...] = DEFAULT_MODULES
    follow_ups: int = 1
    strict: bool = False

    def __post_init__(self) -> None:
        if not self.modules:
            raise InvalidRoundSettings("A round needs at least one module.")
        unknown = [m for m in self.modules if m not in MODULES]
        if unknown:
            raise InvalidRoundSettings(f"Unknown module(s): {', '.join(unknown)}.",
                                       hint=f"Choose from: {', '.join(MODULES)}.")
        if not 0 <= self.follow_ups <= MAX_FOLLOW_UPS:
            raise InvalidRoundSettings(
                f"Follow-ups per answer must be 0 to {MAX_FOLLOW_UPS}, got {self.follow_ups}.")


@dataclass(frozen=True)
class RoundPlan:
    settings: RoundSettings
    scenarios: tuple[Scenario, ...]
    modules: tuple[str, ...]  # the module each scenario stands for

    @property
    def max_steps(self) -> int:
        """Recordings the round takes when every answer gets its follow-ups."""
        return len(self.scenarios) * (1 + self.settings.follow_ups)


def plan_round(scenarios: Iterable[Scenario], settings: RoundSettings,
               history: Iterable[Attempt] = ()) -> RoundPlan:
    """One scenario per module: the least practised first, then the weakest last score, then id.

    `history` is the kept attempts (any order). A module listed twice gets two different
    scenarios when it has them.
    """
    available = list(scenarios)
    practised: dict[str, int] = {}
    last_score: dict[str, float] = {}
    for attempt in sorted(history, key=lambda a: a.id):
        if attempt.kind == "answer":
            practised[attempt.scenario_id] = practised.get(attempt.scenario_id, 0) + 1
            if attempt.metrics and attempt.metrics.score is not None:
                last_score[attempt.scenario_id] = attempt.metrics.score
    chosen: list[Scenario] = []
    for module in settings.modules:
        candidates = [s for s in available if s.module == module]
        if not candidates:
            raise InvalidRoundSettings(f"No scenario in module {module!r}.",
                                       hint="Run 'coach scenarios' to see the modules.")
        fresh = [s for s in candidates if s not in chosen] or candidates
        chosen.append(min(fresh, key=lambda s: (practised.get(s.id, 0),
                                                last_score.get(s.id, -1.0), s.id)))
    return RoundPlan(settings, tuple(chosen), settings.modules)


def pinned_plan(scenarios: Sequence[Scenario], settings: RoundSettings) -> RoundPlan:
    """A plan with the scenarios chosen by the user (their own modules; settings.modules unused)."""
    if not scenarios:
        raise InvalidRoundSettings("A round needs at least one scenario.")
    return RoundPlan(settings, tuple(scenarios), tuple(s.module or "-" for s in scenarios))


# --- follow-up questions ---------------------------------------------------------------------
def choose_follow_ups(scenario: Scenario, missed: Sequence[str], count: int
                      ) -> tuple[FollowUp, ...]:
    """The follow-up questions to ask after an answer that missed the key terms `missed`.

    The scenario's own follow-ups whose targets include a missed term come first, then its
    other follow-ups, in file order (so with nothing missed, the first one); when it has too
    few, questions are generated from missed terms not yet targeted:
    "You did not mention <term>: how would it help here?".
    """
    if count <= 0:
        return ()
    missed_set = set(missed)
    own = list(scenario.follow_ups)
    ranked = ([f for f in own if missed_set.intersection(f.targets)]
              + [f for f in own if not missed_set.intersection(f.targets)])
    chosen = ranked[:count]
    targeted = {t for f in chosen for t in f.targets}
    for term in missed:
        if len(chosen) >= count:
            break
        if term not in targeted:
            chosen.append(FollowUp(GENERATED_FOLLOW_UP.format(term=term), (term,)))
            targeted.add(term)
    return tuple(chosen)


# --- steps -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One recording to make: a scenario's main answer, or the answer to a follow-up."""

    number: int  # 0-based place in the round
    scenario: Scenario
    module: str
    kind: str = "answer"  # answer | follow-up
    follow_up: FollowUp | None = None

    @property
    def question(self) -> str:
        """What the interviewer asks: the scenario prompt, or the follow-up question."""
        return self.follow_up.question if self.follow_up else self.scenario.prompt

    @property
    def judged_on(self) -> Scenario:
        if self.follow_up is None:
            return self.scenario
        return follow_up_scenario(self.scenario, self.follow_up.question, self.follow_up.targets)

    @property
    def time_limit_s(self) -> int:
        return self.judged_on.time_limit_s


@dataclass(frozen=True)
class StepResult:
    step: Step
    attempt: Attempt
    feedback: Feedback | None
    error: CoachError | None
    timed_out: bool
    follow_ups: tuple[Step, ...] = ()  # queued after this answer


def is_time_out(attempt: Attempt, strict: bool) -> bool:
    """In a strict round: the answer ran to (or past) its time limit."""
    m = attempt.metrics
    if not strict or m is None or not m.time_limit_s:
        return False
    return m.over_time_s > 0 or m.duration_s >= m.time_limit_s - TIME_OUT_TOLERANCE_S


class MockRound:
    """A round in progress. Give `answer()` one recording per step, in the order of `current`."""

    def __init__(self, coach, store: HistoryStore, plan: RoundPlan, *,
                 ask_again_on_error: bool = False) -> None:
        """`ask_again_on_error`: a step whose recording cannot be analysed stays current (the
        app asks the same question again); otherwise the round moves on, as the terminal does
        with a list of recordings. The failed attempt is kept in the history either way."""
        self.coach = coach
        self.store = store
        self.plan = plan
        self.ask_again_on_error = ask_again_on_error
        self.record = store.start_round(plan.modules, [s.id for s in plan.scenarios],
                                        follow_ups=plan.settings.follow_ups,
                                        strict=plan.settings.strict)
        self._pending: list[Step] = [Step(0, s, m) for s, m in zip(plan.scenarios, plan.modules)]
        self._results: list[StepResult] = []

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def current(self) -> Step | None:
        """The next step to answer, or None when the round is complete."""
        if not self._pending:
            return None
        return replace(self._pending[0], number=len(self._results))

    @property
    def results(self) -> tuple[StepResult, ...]:
        return tuple(self._results)

    def speak_question(self, path: str | Path):
        """The current step's question as a WAV file (coach.speak); returns its SpeechAudio."""
        step = self.current
        if step is None:
            raise RoundFinished("The round is complete: there is no question left.")
        return self.coach.speak(step.question, path, scenario=step.scenario)

    def answer(self, recording_path: str | Path) -> StepResult:
        """Keep and analyse the answer to the current step; queue its follow-ups."""
        step = self.current
        if step is None:
            raise RoundFinished("The round is complete: no question is waiting for an answer.")
        question = step.follow_up.question if step.follow_up else ""
        targets = step.follow_up.targets if step.follow_up else ()
        attempt, feedback, error = analyze_and_keep(
            self.coach, self.store, recording_path, step.scenario, round_id=self.id,
            round_step=step.number, question=question, targets=targets)
        if error is not None and self.ask_again_on_error:
            return StepResult(step, attempt, feedback, error,
                              is_time_out(attempt, self.plan.settings.strict), ())
        self._pending.pop(0)
        queued: tuple[Step, ...] = ()
        if step.kind == "answer":
            missed = (attempt.metrics.missed_terms if attempt.metrics
                      else tuple(t.term for t in step.scenario.key_terms))
            chosen = choose_follow_ups(step.scenario, missed, self.plan.settings.follow_ups)
            queued = tuple(Step(step.number + n, step.scenario, step.module, "follow-up", f)
                           for n, f in enumerate(chosen, 1))
            self._pending[0:0] = queued
        result = StepResult(step, attempt, feedback, error,
                            is_time_out(attempt, self.plan.settings.strict), queued)
        self._results.append(result)
        return result

    def finish(self) -> RoundReport:
        """Close the round (answered or not) and report on it."""
        self.record = self.store.finish_round(self.id)
        return build_round_report(self.store, self.id, pace_range=self.coach.settings.pace_range)


# --- report ----------------------------------------------------------------------------------
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
    best: ReportAnswer | None
    weakest: ReportAnswer | None
    changes: tuple[Change, ...]  # since the previous round, every measurable metric
    previous_round_id: int | None
    practice: tuple[PracticeItem, ...]
    unanswered: tuple[str, ...] = field(default=())  # planned scenarios never answered

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
    best = max(scored, key=lambda a: a.score, default=None)
    weakest = min(reversed(scored), key=lambda a: a.score, default=None)
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
    return {p.name: (p.score, p.weight) for p in record.parts} if record else {}


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
