"""The history's records: a kept attempt (`Attempt`), its headline figures (`Metrics`), a round.

Records are plain frozen dataclasses built by `HistoryStore` from database rows; the pure
modules (progress, export, rounds) work on them without touching the database.
Times are ISO 8601 strings in UTC ("2025-11-22T09:14:03+00:00").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

STATUSES = ("recorded", "analyzed", "failed")
ATTEMPT_KINDS = ("answer", "follow-up")  # a scenario's main answer, or an answer to a follow-up
ROUND_STATUSES = ("open", "finished")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Metrics:
    """The figures history and progress track, read from one analysed answer.

    Attributes:
        score: the overall score, 0-100.
        wpm: pace in words per minute.
        fillers_per_minute / filler_total: filler words and sounds.
        coverage_ratio: share of the scenario's key terms said, 0-1.
        missed_terms: key terms not clearly said.
        grammar_issues: issues found, or None when grammar was not checked.
        duration_s / answer_s: length of the recording / from first to last word.
        over_time_s: seconds past the time limit (0 within it).
        time_limit_s: the limit the answer was timed against.
    """

    score: float
    wpm: float
    fillers_per_minute: float
    filler_total: int
    coverage_ratio: float
    missed_terms: tuple[str, ...] = ()
    grammar_issues: int | None = None
    duration_s: float = 0.0
    answer_s: float = 0.0
    over_time_s: float = 0.0
    time_limit_s: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.coverage_ratio <= 1.0:
            raise ValueError(f"coverage_ratio must be within 0-1, got {self.coverage_ratio}")

    @property
    def coverage_pct(self) -> float:
        return 100.0 * self.coverage_ratio

    @classmethod
    def from_feedback_dict(cls, data: dict) -> Metrics:
        """Figures from `Feedback.to_dict()` (the form kept in the database)."""
        timing, fillers, coverage, grammar = (data["timing"], data["fillers"], data["coverage"],
                                              data["grammar"])
        return cls(
            score=float(data["score"]["total"]),
            wpm=float(timing["wpm"]),
            fillers_per_minute=float(fillers["per_minute"]),
            filler_total=int(fillers["total"]),
            coverage_ratio=float(coverage["ratio"]),
            missed_terms=tuple(coverage.get("missing", ())),
            grammar_issues=len(grammar["issues"]) if grammar.get("checked") else None,
            duration_s=float(timing.get("duration_s", 0.0)),
            answer_s=float(timing.get("answer_s", 0.0)),
            over_time_s=float(timing.get("over_time_s", 0.0)),
            time_limit_s=int(timing.get("limit_s") or data["scenario"].get("time_limit_s", 0)),
        )

    def to_dict(self) -> dict:
        return {
            "score": round(self.score), "wpm": round(self.wpm),
            "fillers_per_minute": round(self.fillers_per_minute, 1),
            "filler_total": self.filler_total, "coverage": round(self.coverage_ratio, 2),
            "missed_terms": list(self.missed_terms), "grammar_issues": self.grammar_issues,
            "duration_s": round(self.duration_s, 1), "answer_s": round(self.answer_s, 1),
            "over_time_s": round(self.over_time_s, 1), "time_limit_s": self.time_limit_s,
        }


@dataclass(frozen=True)
class Attempt:
    """One recorded answer, kept from the moment it was recorded.

    `status` is "recorded" until analysis ends, then "analyzed" (with `metrics`, `transcript`
    and the full `feedback` dict) or "failed" (with `error_code` and `error_message`).
    In a round, `round_step` is the answer's place (0-based) and follow-up answers have
    kind "follow-up", the `question` asked and the key terms it `targets`.
    """

    id: int
    scenario_id: str
    recorded_at: str
    recording_path: str
    status: str = "recorded"
    round_id: int | None = None
    round_step: int | None = None
    kind: str = "answer"
    question: str = ""
    targets: tuple[str, ...] = ()
    analyzed_at: str | None = None
    metrics: Metrics | None = None
    transcript: str = ""
    feedback: dict | None = field(default=None, compare=False)
    error_code: str = ""
    error_message: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.kind not in ATTEMPT_KINDS:
            raise ValueError(f"kind must be one of {ATTEMPT_KINDS}, got {self.kind!r}")
        if self.status == "analyzed" and self.metrics is None:
            raise ValueError("an analysed attempt needs its metrics")

    @property
    def analyzed(self) -> bool:
        return self.status == "analyzed"

    @property
    def title(self) -> str:
        """The scenario title kept with the feedback, or the scenario id before analysis."""
        if self.feedback:
            return self.feedback.get("scenario", {}).get("title") or self.scenario_id
        return self.scenario_id

    def to_dict(self, *, with_feedback: bool = True) -> dict:
        data = {
            "id": self.id, "scenario_id": self.scenario_id, "recorded_at": self.recorded_at,
            "recording": self.recording_path, "status": self.status,
            "round_id": self.round_id, "round_step": self.round_step, "kind": self.kind,
            "question": self.question, "targets": list(self.targets),
            "analyzed_at": self.analyzed_at,
            "metrics": self.metrics.to_dict() if self.metrics else None,
            "transcript": self.transcript,
            "error": {"code": self.error_code, "message": self.error_message}
            if self.status == "failed" else None,
        }
        if with_feedback:
            data["feedback"] = self.feedback
        return data


@dataclass(frozen=True)
class RoundRecord:
    """A mock-interview round as kept: its settings and planned scenarios, in order.

    `modules[i]` is the module `scenario_ids[i]` was chosen for.
    """

    id: int
    started_at: str
    modules: tuple[str, ...]
    scenario_ids: tuple[str, ...]
    follow_ups: int = 0
    strict: bool = False
    status: str = "open"
    finished_at: str | None = None

    def __post_init__(self) -> None:
        if self.status not in ROUND_STATUSES:
            raise ValueError(f"status must be one of {ROUND_STATUSES}, got {self.status!r}")
        if len(self.modules) != len(self.scenario_ids):
            raise ValueError("a round needs one module per scenario")

    def to_dict(self) -> dict:
        return {"id": self.id, "started_at": self.started_at, "finished_at": self.finished_at,
                "status": self.status, "modules": list(self.modules),
                "scenario_ids": list(self.scenario_ids), "follow_ups": self.follow_ups,
                "strict": self.strict}
