"""A mock-interview round in progress: the steps to answer, in order, and their results.

`MockRound` only sequences the steps and calls `analyze_and_keep` once per recording, so the
terminal (`coach round --input ...`) and a microphone front end drive it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coach.attempts import analyze_and_keep, follow_up_scenario
from coach.errors import CoachError
from coach.feedback import Feedback
from coach.history.errors import RoundFinished
from coach.history.records import Attempt
from coach.history.store import HistoryStore
from coach.rounds.plan import RoundPlan, choose_follow_ups
from coach.rounds.report import RoundReport, build_round_report, is_time_out
from coach.scenarios import FollowUp, Scenario
from coach.streamed_answer import StreamedAnswer

if TYPE_CHECKING:  # coach.coach loads the engines' modules: not needed to run this one
    from coach.coach import Coach


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
    attempt: Attempt | None  # None when the history could not keep it
    feedback: Feedback | None
    error: CoachError | None
    timed_out: bool
    follow_ups: tuple[Step, ...] = ()  # queued after this answer
    unkept: CoachError | None = None  # why the history could not keep it (Outcome.unkept)


def abandoned_note(round_ids: tuple[int, ...]) -> str:
    """What to say when starting a round marked these unfinished rounds "abandoned"."""
    names = ", ".join(str(i) for i in round_ids)
    return (f"Round{'s' if len(round_ids) != 1 else ''} {names} was left unfinished and is now "
            "marked abandoned; its answers stay in your history.")


class MockRound:
    """A round in progress. Give `answer()` one recording per step, in the order of `current`."""

    def __init__(self, coach: Coach, store: HistoryStore, plan: RoundPlan, *,
                 ask_again_on_error: bool = False) -> None:
        """`ask_again_on_error`: a step whose recording cannot be analysed stays current (the
        app asks the same question again); otherwise the round moves on, as the terminal does
        with a list of recordings. The failed attempt is kept in the history either way."""
        self._coach = coach
        self.store = store
        self.plan = plan
        self.ask_again_on_error = ask_again_on_error
        self.abandoned = store.abandon_open_rounds()  # rounds left unfinished before this one
        self.record = store.start_round(plan.modules, [s.id for s in plan.scenarios],
                                        follow_ups=plan.settings.follow_ups,
                                        strict=plan.settings.strict)
        self._pending: list[Step] = [Step(0, s, m) for s, m in zip(plan.scenarios, plan.modules)]
        self._results: list[StepResult] = []

    @property
    def coach(self) -> Coach:
        """The Coach that analyses each answer and reads each question aloud."""
        return self._coach

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

    def answer(self, recording_path: str | Path | StreamedAnswer) -> StepResult:
        """Keep and analyse the answer to the current step (a file, or an answer transcribed
        while it was recorded, as the app gives it); queue its follow-ups."""
        step = self.current
        if step is None:
            raise RoundFinished("The round is complete: no question is waiting for an answer.")
        question = step.follow_up.question if step.follow_up else ""
        targets = step.follow_up.targets if step.follow_up else ()
        outcome = analyze_and_keep(
            self.coach, self.store, recording_path, step.scenario, round_id=self.id,
            round_step=step.number, question=question, targets=targets)
        attempt, feedback, error = outcome
        if error is not None and self.ask_again_on_error:
            return StepResult(step, attempt, feedback, error,
                              is_time_out(attempt, self.plan.settings.strict), (),
                              outcome.unkept)
        self._pending.pop(0)
        queued: tuple[Step, ...] = ()
        if step.kind == "answer":
            missed = (attempt.metrics.missed_terms if attempt and attempt.metrics
                      else feedback.coverage.missing if feedback
                      else tuple(t.term for t in step.scenario.key_terms))
            chosen = choose_follow_ups(step.scenario, missed, self.plan.settings.follow_ups)
            queued = tuple(Step(step.number + n, step.scenario, step.module, "follow-up", f)
                           for n, f in enumerate(chosen, 1))
            self._pending[0:0] = queued
        result = StepResult(step, attempt, feedback, error,
                            is_time_out(attempt, self.plan.settings.strict), queued,
                            outcome.unkept)
        self._results.append(result)
        return result

    def finish(self) -> RoundReport:
        """Close the round (answered or not) and report on it."""
        self.record = self.store.finish_round(self.id)
        return build_round_report(self.store, self.id, pace_range=self.coach.settings.pace_range)
