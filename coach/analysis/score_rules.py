"""The score's rules, in one table: each part's weight, its score, its rule in words, its advice.

`RULES` is read by the score of one answer (`coach.analysis.score`), by its advice, and by the
round report (what to practise next over several answers), so a number changes in one place.
Each part scores 0-100; a part that could not be measured (grammar with the checker down)
scores None and drops out. Advice depends on the scenario kind where it should: an opening
leads with the hypothesis, a code review with the main issue, an RCA with impact and cause.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coach.analysis.coverage import HEARD_AS_CREDIT, CoverageReport
from coach.analysis.fillers import FillerReport
from coach.analysis.pauses import PauseReport
from coach.analysis.structure import StructureReport
from coach.analysis.timing import PaceRange, TimingReport, ran_over
from coach.grammar import GrammarReport

FREE_FILLERS_PER_MINUTE = 3.0  # natural in speech (see coach.analysis.fillers)
POINTS_PER_EXTRA_FILLER = 10  # per filler a minute above the free ones
POINTS_PER_WPM_OUTSIDE = 2  # per word a minute outside the pace range
POINTS_PER_SECOND_OVER = 5
SHORT_SHARE = 0.5  # an answer under this share of its limit is short...
SHORT_PENALTY = 30  # ...and loses this many points
POINTS_PER_GRAMMAR_ISSUE = 20
POINTS_PER_CLAUSE_PAUSE = 15  # a long pause inside a clause
POINTS_PER_REPEAT = 10
TERMS_SHOWN = 3  # key terms named per scenario in a round's practice item

# What to say first when time is short, by scenario kind.
LEAD_WITH = {"opening": "the hypothesis", "rca": "the impact and the root cause",
             "review": "the main issue", "explain": "the finding",
             "design": "your recommendation"}


@dataclass(frozen=True)
class Answer:
    """What the rules look at in one answer. `grammar` holds the speaker's own issues only."""

    timing: TimingReport
    fillers: FillerReport
    coverage: CoverageReport
    grammar: GrammarReport
    pauses: PauseReport
    structure: StructureReport
    kind: str


@dataclass(frozen=True)
class AnswerFigures:
    """What the rules look at in a kept answer, to advise over a round's answers."""

    scenario_id: str
    said_terms: tuple[str, ...]  # said clearly or heard as something else
    missed_terms: tuple[str, ...]
    unclear_terms: tuple[str, ...]  # heard as something else
    fillers_per_minute: float
    wpm: float
    over_time_s: float
    grammar_issues: int | None


@dataclass(frozen=True)
class ScoreRule:
    name: str
    weight: int
    rule: Callable[[Answer], str]  # how the score is reached, in words
    score: Callable[[Answer], float | None]  # 0-100, None when it cannot be measured
    advice: Callable[[Answer], str]  # for one answer; "" when there is nothing to say
    practice: Callable[[Sequence[AnswerFigures], PaceRange], str]  # over a round's answers


def clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _first(items: Sequence[str], count: int = TERMS_SHOWN) -> str:
    """"a, b, c" or "a, b, c and 2 more"."""
    shown = ", ".join(items[:count])
    return shown + (f" and {len(items) - count} more" if len(items) > count else "")


def _number(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"


# --- key terms ---------------------------------------------------------------------------------
def _terms_advice(a: Answer) -> str:
    c = a.coverage
    said_badly = "; ".join(f'say {h.term} clearly (it was heard as "{h.heard}")'
                           for h in c.heard_as)
    if c.missing:
        named = ", ".join(f"{t} ({c.partial_hint(t)})" if c.partial_hint(t) else t
                          for t in c.missing)
        return f"Name the missing key terms: {named}" + (
            f"; {said_badly}." if said_badly else ".")
    return said_badly[:1].upper() + said_badly[1:] + "." if said_badly else ""


def _terms_practice(answers: Sequence[AnswerFigures], _pace: PaceRange) -> str:
    missed: dict[str, list[str]] = {}
    unclear: dict[str, list[str]] = {}
    said = {(f.scenario_id, t) for f in answers for t in f.said_terms}
    for f in answers:
        for term in f.missed_terms:
            if (f.scenario_id, term) not in said and term not in missed.setdefault(
                    f.scenario_id, []):
                missed[f.scenario_id].append(term)
        for term in f.unclear_terms:
            if term not in unclear.setdefault(f.scenario_id, []):
                unclear[f.scenario_id].append(term)
    parts = []
    named = [f"{_first(t)} ({s})" for s, t in missed.items() if t]
    if named:
        parts.append("Say the key terms you missed: " + "; ".join(named))
    named = [f"{_first(t)} ({s})" for s, t in unclear.items() if t]
    if named:
        parts.append(("say" if parts else "Say") + " these clearly: " + "; ".join(named))
    return (", and ".join(parts) + ".") if parts else "Name every key term clearly."


KEY_TERMS = ScoreRule(
    "key terms", 30,
    lambda a: f"share of key terms said (a misheard term counts {HEARD_AS_CREDIT:g})",
    lambda a: 100 * a.coverage.ratio, _terms_advice, _terms_practice)


# --- fillers -----------------------------------------------------------------------------------
def _fillers_advice(a: Answer) -> str:
    top = sorted(a.fillers.counts.items(), key=lambda kv: -kv[1])[:2]
    if not top:
        return ""
    return (f"Cut fillers ({a.fillers.per_minute:.0f} a minute, mostly "
            f"{' and '.join(repr(k) for k, _ in top)}): pause silently instead.")


def _fillers_practice(answers: Sequence[AnswerFigures], _pace: PaceRange) -> str:
    rate = sum(f.fillers_per_minute for f in answers) / max(1, len(answers))
    return (f"Cut fillers: {_number(rate)} a minute on average in these answers; "
            "pause silently instead.")


FILLERS = ScoreRule(
    "fillers", 20,
    lambda a: (f"100 up to {FREE_FILLERS_PER_MINUTE:g} fillers a minute, minus "
               f"{POINTS_PER_EXTRA_FILLER} per extra filler a minute"),
    lambda a: clamp(100 - max(0.0, a.fillers.per_minute - FREE_FILLERS_PER_MINUTE)
                    * POINTS_PER_EXTRA_FILLER),
    _fillers_advice, _fillers_practice)


# --- pace --------------------------------------------------------------------------------------
def _pace_advice(a: Answer) -> str:
    t = a.timing
    aim = f"aim for {t.pace_range.low:.0f}-{t.pace_range.high:.0f}"
    if t.pace_verdict == "fast":
        return f"Slow down: {t.wpm:.0f} wpm is fast for dense technical content; {aim}."
    if t.pace_verdict == "slow":
        return f"Speed up a little: {t.wpm:.0f} wpm sounds hesitant; {aim}."
    return ""


def _pace_score(a: Answer) -> float:
    low, high = a.timing.pace_range.low, a.timing.pace_range.high
    return clamp(100 - POINTS_PER_WPM_OUTSIDE * max(0.0, low - a.timing.wpm, a.timing.wpm - high))


PACE = ScoreRule(
    "pace", 15,
    lambda a: (f"100 inside {a.timing.pace_range.low:.0f}-{a.timing.pace_range.high:.0f} wpm, "
               f"minus {POINTS_PER_WPM_OUTSIDE} per wpm outside"),
    _pace_score, _pace_advice,
    lambda answers, pace: (f"Keep your pace within {pace.low:.0f}-{pace.high:.0f} wpm (you "
                           f"spoke at {', '.join(f'{f.wpm:.0f}' for f in answers)} wpm)."))


# --- timing ------------------------------------------------------------------------------------
def _short(a: Answer) -> bool:
    return a.timing.answer_s < SHORT_SHARE * a.timing.limit_s


def _timing_advice(a: Answer) -> str:
    t = a.timing
    if t.ran_over:
        return (f"Finish within {t.limit_s} s: you ran {t.over_time_s:.0f} s over. Lead with "
                f"{LEAD_WITH.get(a.kind, 'the main point')} and cut the background.")
    if _short(a):
        return f"Use more of your {t.limit_s} s: add {_one_more(a.kind)}."
    return ""


def _one_more(kind: str) -> str:
    return {"opening": "the first check you would run", "rca": "the evidence that proves it",
            "review": "the change you would suggest", "design": "the trade-off you accept",
            "explain": "the next step"}.get(kind, "one more detail")


def _timing_practice(answers: Sequence[AnswerFigures], _pace: PaceRange) -> str:
    over = [f.over_time_s for f in answers if ran_over(f.over_time_s)]
    if over:
        return (f"Finish within the time limit (up to {max(over):.0f} s over): lead with the "
                "main point and cut the background.")
    return "Use more of your time: add the first check you would run, or one more detail."


TIMING = ScoreRule(
    "timing", 15,
    lambda a: (f"100 within the limit, minus {POINTS_PER_SECOND_OVER} per second over, minus "
               f"{SHORT_PENALTY} if under {SHORT_SHARE:.0%} of it"),
    lambda a: clamp(100 - POINTS_PER_SECOND_OVER * a.timing.over_time_s
                    - (SHORT_PENALTY if _short(a) else 0)),
    _timing_advice, _timing_practice)


# --- grammar -----------------------------------------------------------------------------------
def _grammar_advice(a: Answer) -> str:
    issues = a.grammar.issues
    if not a.grammar.checked or not issues:
        return ""
    first = next((i for i in issues if i.suggestion), None)
    if first is None:
        return "Fix the grammar issues listed."
    return f'Fix grammar: "{first.words}" -> "{first.suggestion}".'


def _grammar_practice(answers: Sequence[AnswerFigures], _pace: PaceRange) -> str:
    issues = sum(f.grammar_issues or 0 for f in answers)
    return (f"Fix grammar ({issues} issue{'s' if issues != 1 else ''}): say the corrected "
            "sentences aloud twice.")


GRAMMAR = ScoreRule(
    "grammar", 10,
    lambda a: f"100 with no issues, minus {POINTS_PER_GRAMMAR_ISSUE} per issue",
    lambda a: (clamp(100 - POINTS_PER_GRAMMAR_ISSUE * len(a.grammar.issues))
               if a.grammar.checked else None),
    _grammar_advice, _grammar_practice)


# --- fluency -----------------------------------------------------------------------------------
def _fluency_advice(a: Answer) -> str:
    if a.pauses.long_in_clause:
        return "Avoid stopping mid-sentence: finish the clause, then pause."
    if a.fillers.repetitions:
        return "Say each phrase once: plan the sentence, then speak it."
    return ""


FLUENCY = ScoreRule(
    "fluency", 10,
    lambda a: (f"100, minus {POINTS_PER_CLAUSE_PAUSE} per long pause inside a clause, minus "
               f"{POINTS_PER_REPEAT} per repeat"),
    lambda a: clamp(100 - POINTS_PER_CLAUSE_PAUSE * len(a.pauses.long_in_clause)
                    - POINTS_PER_REPEAT * len(a.fillers.repetitions)),
    _fluency_advice,
    lambda answers, pace: ("Speak in whole clauses: finish the clause before pausing, and say "
                           "each phrase once."))

RULES: tuple[ScoreRule, ...] = (KEY_TERMS, FILLERS, PACE, TIMING, GRAMMAR, FLUENCY)
RULES_BY_NAME = {rule.name: rule for rule in RULES}
WEIGHTS = {rule.name: rule.weight for rule in RULES}
