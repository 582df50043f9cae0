"""Planning a mock-interview round: its settings, which scenario for each module, and which
follow-up questions to ask after an answer. Pure functions over scenarios and kept attempts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach.history.errors import InvalidRoundSettings
from coach.history.records import Attempt
from coach.scenarios import MODULES, FollowUp, Scenario

DEFAULT_MODULES = ("system-debug", "code-review", "expressive-english", "system-design")
MAX_FOLLOW_UPS = 2
GENERATED_FOLLOW_UP = "You did not mention {term}: how would it help here?"


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
