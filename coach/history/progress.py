"""Progress over time, from kept attempts: data series, trends in words, per-scenario counts.

Pure functions over `Attempt` records (oldest first); nothing here reads the database.

A trend compares the first and the last of the most recent attempts (default 5) and says it
in words: "fillers down from 9 to 3 per minute over your last 5 attempts". Each metric knows
which way is better and how big a change must be before it counts (`steady_within`): smaller
changes read as "steady". Pace is better when it gets nearer the comfortable range
(PaceRange, 110-160 wpm by default), not when it simply goes up or down.
Only main answers count by default: follow-up answers are shorter and judged on fewer terms.
An answer too short to judge stays in the history but out of every series and trend. Scores
are compared like with like: a partial score (grammar not checked, so one part left out) never
sits beside full ones. The score series holds the scores on the same basis as the latest one
(`same_basis`), and "best" is the best full score, or the best partial one when every score is
partial (grammar always off).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from coach.analysis.timing import PaceRange
from coach.history.records import Attempt, Metrics

DEFAULT_WINDOW = 5
DEFAULT_PACE = PaceRange()


@dataclass(frozen=True)
class Metric:
    """A tracked figure. `better` is "lower", "higher" or "in-range" (pace)."""

    name: str
    label: str  # as said in a sentence: "fillers", "key-term coverage"
    unit: str  # after the numbers: "per minute", "wpm", "%", ""
    better: str
    steady_within: float  # changes smaller than this read as "steady"
    read: Callable[[Metrics], float | None]

    def __post_init__(self) -> None:
        if self.better not in ("lower", "higher", "in-range"):
            raise ValueError(f"better must be lower, higher or in-range, got {self.better!r}")

    def value(self, attempt: Attempt) -> float | None:
        return self.read(attempt.metrics) if attempt.metrics else None


WPM = Metric("wpm", "pace", "wpm", "in-range", 5.0, lambda m: m.wpm)
FILLERS = Metric("fillers_per_minute", "fillers", "per minute", "lower", 0.5,
                 lambda m: m.fillers_per_minute)
COVERAGE = Metric("coverage", "key-term coverage", "%", "higher", 5.0, lambda m: m.coverage_pct)
GRAMMAR = Metric("grammar_issues", "grammar issues", "per answer", "lower", 0.5,
                 lambda m: None if m.grammar_issues is None else float(m.grammar_issues))
SCORE = Metric("score", "score", "", "higher", 3.0, lambda m: m.score)
METRICS: tuple[Metric, ...] = (WPM, FILLERS, COVERAGE, GRAMMAR, SCORE)


@dataclass(frozen=True)
class Point:
    attempt_id: int
    recorded_at: str
    scenario_id: str
    value: float


@dataclass(frozen=True)
class Series:
    """One metric over attempts, oldest first: what a progress chart draws."""

    metric: Metric
    points: tuple[Point, ...]

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(p.value for p in self.points)

    def to_dict(self) -> dict:
        return {"metric": self.metric.name, "label": self.metric.label, "unit": self.metric.unit,
                "points": [{"attempt": p.attempt_id, "at": p.recorded_at,
                            "scenario": p.scenario_id, "value": round(p.value, 2)}
                           for p in self.points]}


@dataclass(frozen=True)
class Change:
    """A metric between two moments, judged, and said in one sentence."""

    metric: Metric
    before: float
    after: float
    verdict: str  # better | worse | steady
    sentence: str

    def to_dict(self) -> dict:
        return {"metric": self.metric.name, "before": round(self.before, 2),
                "after": round(self.after, 2), "verdict": self.verdict,
                "sentence": self.sentence}


def main_answers(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Analysed main answers (no follow-ups), in the order given."""
    return [a for a in attempts if a.analyzed and a.kind == "answer"]


def judged_answers(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Main answers long enough to judge: the ones progress is measured on."""
    return [a for a in main_answers(attempts) if a.metrics and a.metrics.judged]


def judged_metrics(attempt: Attempt) -> Metrics:
    """The figures of an attempt known to be judged (one `judged_answers` or `best_basis` kept):
    its `score` is set (see `judged_score`)."""
    if attempt.metrics is None or not attempt.metrics.judged:
        raise ValueError(f"attempt {attempt.id} was not judged")
    return attempt.metrics


def judged_score(attempt: Attempt) -> float:
    """The score of an attempt known to be judged."""
    score = judged_metrics(attempt).score
    assert score is not None  # what judged means
    return score


def same_basis(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Judged answers scored on the same basis as the latest (full, or partial)."""
    judged = judged_answers(attempts)
    if not judged:
        return []
    latest = judged_metrics(judged[-1]).partial
    return [a for a in judged if judged_metrics(a).partial == latest]


def best_basis(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Judged attempts with full scores, or, when every score is partial, the partial ones."""
    judged = [a for a in attempts if a.metrics and a.metrics.judged]
    return [a for a in judged if not judged_metrics(a).partial] or judged


def _measured_on(metric: Metric, attempts: Iterable[Attempt]) -> list[Attempt]:
    return same_basis(attempts) if metric is SCORE else judged_answers(attempts)


def progress_series(attempts: Iterable[Attempt], metrics: Sequence[Metric] = METRICS
                    ) -> tuple[Series, ...]:
    """One series per metric over the judged main answers; unmeasured values are left out."""
    attempts = list(attempts)
    series = []
    for metric in metrics:
        points = []
        for attempt in _measured_on(metric, attempts):
            value = metric.value(attempt)
            if value is not None:
                points.append(Point(attempt.id, attempt.recorded_at, attempt.scenario_id, value))
        series.append(Series(metric, tuple(points)))
    return tuple(series)


def number(value: float) -> str:
    """9 -> "9", 2.46 -> "2.5", 131.6 -> "132": whole numbers from 10 up, one decimal below."""
    if abs(value) >= 10 or abs(value - round(value)) < 0.05:
        return f"{value:.0f}"
    return f"{value:.1f}"


def _amount(metric: Metric, value: float) -> str:
    return number(value) + ("%" if metric.unit == "%" else "")


def _unit(metric: Metric) -> str:
    return f" {metric.unit}" if metric.unit and metric.unit != "%" else ""


def _distance(wpm: float, pace: PaceRange) -> float:
    return max(0.0, pace.low - wpm, wpm - pace.high)


def _place(wpm: float, pace: PaceRange) -> str:
    return "inside" if pace.low <= wpm <= pace.high else "below" if wpm < pace.low else "above"


def compare(metric: Metric, before: float, after: float, *, over: str,
            pace_range: PaceRange = DEFAULT_PACE) -> Change:
    """Judge a change and say it: "<label> down from A to B <unit> <over>"."""
    delta = after - before
    if metric.better == "in-range":
        gained = _distance(before, pace_range) - _distance(after, pace_range)
        verdict = ("steady" if abs(gained) < metric.steady_within else
                   "better" if gained > 0 else "worse")
    elif abs(delta) < metric.steady_within:
        verdict = "steady"
    else:
        verdict = "better" if (delta < 0) == (metric.better == "lower") else "worse"
    if abs(delta) < metric.steady_within:
        sentence = f"{metric.label} steady at about {_amount(metric, after)}{_unit(metric)} {over}"
    else:
        direction = "down" if delta < 0 else "up"
        sentence = (f"{metric.label} {direction} from {_amount(metric, before)} to "
                    f"{_amount(metric, after)}{_unit(metric)} {over}")
    if metric.better == "in-range":
        was, now = _place(before, pace_range), _place(after, pace_range)
        sentence += (f", {'still' if was == now else 'now'} {now} your "
                     f"{pace_range.low:.0f}-{pace_range.high:.0f} wpm range")
    return Change(metric, before, after, verdict, sentence)


def trend(series: Series, last: int = DEFAULT_WINDOW, *,
          pace_range: PaceRange = DEFAULT_PACE) -> Change | None:
    """First vs last value of the most recent `last` points; None with fewer than two."""
    window = series.points[-last:]
    if len(window) < 2:
        return None
    return compare(series.metric, window[0].value, window[-1].value,
                   over=f"over your last {len(window)} attempts", pace_range=pace_range)


def trends(attempts: Iterable[Attempt], last: int = DEFAULT_WINDOW, *,
           pace_range: PaceRange = DEFAULT_PACE) -> tuple[Change, ...]:
    """Every metric's trend over the most recent analysed main answers (where measurable)."""
    found = (trend(s, last, pace_range=pace_range) for s in progress_series(attempts))
    return tuple(change for change in found if change is not None)


def averages(attempts: Iterable[Attempt], metrics: Sequence[Metric] = METRICS
             ) -> dict[str, float]:
    """Mean of each metric over the judged main answers; metrics never measured are left out."""
    attempts = list(attempts)
    means = {}
    for metric in metrics:
        values = [v for v in (metric.value(a) for a in _measured_on(metric, attempts))
                  if v is not None]
        if values:
            means[metric.name] = sum(values) / len(values)
    return means


@dataclass(frozen=True)
class ScenarioSummary:
    """How often a scenario was practised, and how it went."""

    scenario_id: str
    title: str
    attempts: int
    analyzed: int
    failed: int
    best_score: float | None  # the best full score (partial ones only when all are partial)
    last_score: float | None
    last_at: str
    last_attempt_id: int

    @property
    def pending(self) -> int:
        """Recorded but never analysed (the analysis crashed or is running)."""
        return self.attempts - self.analyzed - self.failed

    def to_dict(self) -> dict:
        return {"scenario_id": self.scenario_id, "title": self.title, "attempts": self.attempts,
                "analyzed": self.analyzed, "failed": self.failed, "pending": self.pending,
                "best_score": None if self.best_score is None else round(self.best_score),
                "last_score": None if self.last_score is None else round(self.last_score),
                "last_at": self.last_at, "last_attempt_id": self.last_attempt_id}


def scenario_summaries(attempts: Iterable[Attempt]) -> tuple[ScenarioSummary, ...]:
    """One summary per scenario with main answers, most recently practised first."""
    by_scenario: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        if attempt.kind == "answer":
            by_scenario.setdefault(attempt.scenario_id, []).append(attempt)
    summaries = []
    for scenario_id, group in by_scenario.items():
        scores = [a.metrics.score for a in group if a.metrics and a.metrics.judged]
        comparable = [judged_score(a) for a in best_basis(group)]
        titled = next((a.title for a in reversed(group) if a.feedback), scenario_id)
        summaries.append(ScenarioSummary(
            scenario_id, titled, len(group), sum(a.analyzed for a in group),
            sum(a.status == "failed" for a in group), max(comparable) if comparable else None,
            scores[-1] if scores else None, group[-1].recorded_at, group[-1].id))
    return tuple(sorted(summaries, key=lambda s: s.last_attempt_id, reverse=True))
