"""Choosing a scenario and showing it: pure functions over the scenario library."""

from __future__ import annotations

import random
from collections.abc import Iterable
from html import escape

from coach.analysis.timing import ran_over
from coach.scenarios import KINDS, MODULES, Scenario
from coach.ui.charts import clock

ALL = "all"
MODULE_LABELS = {"system-debug": "System debugging", "rca": "Root-cause analysis",
                 "code-review": "Code review", "expressive-english": "Expressive English",
                 "system-design": "System design"}
KIND_LABELS = {"opening": "Opening move", "rca": "RCA summary", "review": "Review comment",
               "explain": "Explanation", "design": "Design choice"}


CLOCK_ICON = ('<svg class="icon" viewBox="0 0 24 24" width="13" height="13" fill="none" '
              'stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><circle cx="12" '
              'cy="13" r="8"/><path d="M12 9v4l2.5 2.5M9 2h6"/></svg>')


def module_choices() -> list[tuple[str, str]]:
    return [("All modules", ALL)] + [(MODULE_LABELS.get(m, m), m) for m in MODULES]


def kind_choices() -> list[tuple[str, str]]:
    return [("All kinds", ALL)] + [(KIND_LABELS.get(k, k), k) for k in KINDS]


def filter_scenarios(scenarios: Iterable[Scenario], module: str | None = ALL,
                     kind: str | None = ALL, query: str = "") -> list[Scenario]:
    """Scenarios of the module and kind whose title (or id) holds every word of the query."""
    words = (query or "").lower().split()
    return [s for s in scenarios
            if (not module or module == ALL or s.module == module)
            and (not kind or kind == ALL or s.kind == kind)
            and all(w in f"{s.title} {s.id}".lower() for w in words)]


def scenario_choices(scenarios: Iterable[Scenario]) -> list[tuple[str, str]]:
    return [(s.title, s.id) for s in scenarios]


def surprise(scenarios: list[Scenario], current: str | None, rng: random.Random | None = None
             ) -> Scenario | None:
    """A random scenario from the list, other than the current one when there is a choice."""
    pool = [s for s in scenarios if s.id != current] or scenarios
    return (rng or random).choice(pool) if pool else None


def scenario_html(scenario: Scenario | None) -> str:
    if scenario is None:
        return ('<div class="card scenario empty"><p class="muted">No question matches these '
                "filters. Clear the search or pick another module.</p></div>")
    module = MODULE_LABELS.get(scenario.module, scenario.module or "general")
    kind = KIND_LABELS.get(scenario.kind, scenario.kind)
    context = (f'<details class="context"><summary>Background</summary>'
               f"<p>{escape(scenario.context)}</p></details>" if scenario.context else "")
    terms = "".join(f"<span class='chip'>{escape(t.term)}</span>" for t in scenario.key_terms)
    steps = " → ".join(escape(p) for p in scenario.expected_structure)
    hints = (f'<details class="hints"><summary>Hints: key terms and structure</summary>'
             f'<div class="chips">{terms}</div><p class="small muted">A good answer goes: '
             f"{steps}</p></details>")
    return (
        f'<div class="card scenario" data-testid="scenario" data-id="{escape(scenario.id)}">'
        f'<div class="badges"><span class="badge module">{escape(module)}</span>'
        f'<span class="badge kind">{escape(kind)}</span>'
        f'<span class="badge time" data-testid="time-limit">'
        f'{CLOCK_ICON} {clock(scenario.time_limit_s)}'
        f"</span></div>"
        f'<h2 class="scenario-title">{escape(scenario.title)}</h2>'
        f'<blockquote class="prompt">{escape(scenario.prompt)}</blockquote>'
        f"{context}{hints}</div>"
    )


def countdown_html(limit_s: int, *, element_id: str = "coach-countdown",
                   recorder_id: str = "answer", strict: bool = False, key: int = 0) -> str:
    """The countdown above a recorder; ui/countdown.js runs it while recording.

    `strict`: the page stops the recorder `recorder_id` when the time is up (a mock round).
    `key` tells this countdown from the previous one: the page redraws an HTML block only
    when its value changes, and a clock left "recorded · analysing" or "over the limit" must
    be reset for the next question even when that question has the same limit.
    The test id is the element id without "coach-": "countdown", "round-countdown".
    """
    label = ("to answer · strict: the recording stops at the limit" if strict
             else "to answer · the clock starts when you press record")
    return (f'<div id="{element_id}" class="countdown idle" data-limit="{int(limit_s)}" '
            f'data-strict="{"true" if strict else "false"}" data-recorder="{recorder_id}" '
            f'data-key="{int(key)}" data-testid="{element_id.removeprefix("coach-")}">'
            f'<span class="cd-time">{clock(limit_s)}</span><span class="cd-label">{label}</span>'
            f'<span class="cd-track"><span class="cd-fill"></span></span></div>')


def answered_html(answer_s: float, limit_s: int, *, speech_s: float | None = None) -> str:
    """The countdown's place after an analysis: how long the answer took (`answer_s`, the
    recording's length) against the limit, checked on `speech_s` when given (and so labelled)."""
    timed = answer_s if speech_s is None else speech_s
    over = ran_over(timed - limit_s)
    of = "" if speech_s is None else " of speech"
    label = (f"answered, {clock(timed - limit_s)}{of} over the {clock(limit_s)} limit" if over
             else f"answered within the {clock(limit_s)} limit")
    fill = 100 * min(answer_s, limit_s) / max(limit_s, 1)
    return (f'<div id="coach-countdown" class="countdown done{" over" if over else ""}" '
            f'data-limit="{int(limit_s)}" data-testid="countdown">'
            f'<span class="cd-time">{clock(answer_s)}</span><span class="cd-label">{label}</span>'
            f'<span class="cd-track"><span class="cd-fill" style="width:{fill:.0f}%"></span>'
            f"</span></div>")
