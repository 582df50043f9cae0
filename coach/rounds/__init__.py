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

- plan.py (pure): `RoundSettings`, `plan_round` (which scenario for each module),
  `choose_follow_ups` (which questions to ask after an answer);
- session.py: `MockRound`, which only sequences the steps and calls `analyze_and_keep` once
  per recording, so the terminal (`coach round --input ...`) and the app drive it the same way;
- report.py (pure, and `build_round_report` to load a round): `round_report` (figures, best
  and weakest answer, change since the last round, three things to practise next).

Strict timing means the recorder stops at the time limit; here that is kept with the round
and an answer that reached the limit is reported as a time-out. Lenient rounds report the
seconds over the limit instead.
"""

from coach.rounds.plan import (
    DEFAULT_MODULES,
    GENERATED_FOLLOW_UP,
    MAX_FOLLOW_UPS,
    RoundPlan,
    RoundSettings,
    choose_follow_ups,
    pinned_plan,
    plan_round,
)
from coach.rounds.report import (
    PracticeItem,
    ReportAnswer,
    RoundReport,
    build_round_report,
    is_time_out,
    kept_answers,
    practice_items,
    round_report,
)
from coach.rounds.session import MockRound, Step, StepResult, abandoned_note

__all__ = [
    "DEFAULT_MODULES",
    "GENERATED_FOLLOW_UP",
    "MAX_FOLLOW_UPS",
    "MockRound",
    "PracticeItem",
    "ReportAnswer",
    "RoundPlan",
    "RoundReport",
    "RoundSettings",
    "Step",
    "StepResult",
    "abandoned_note",
    "build_round_report",
    "choose_follow_ups",
    "is_time_out",
    "kept_answers",
    "pinned_plan",
    "plan_round",
    "practice_items",
    "round_report",
]
