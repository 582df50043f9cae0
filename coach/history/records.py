"""The history's records: a kept attempt (`Attempt`), its feedback as kept (`FeedbackRecord`),
its headline figures (`Metrics`), a round (`RoundRecord`).

Records are plain frozen dataclasses built by `HistoryStore` from database rows; the pure
modules (progress, export, rounds) work on them without touching the database, and read a
kept feedback only through `FeedbackRecord.from_dict`, a view of `Feedback.from_dict`, which
reads every schema version that `Feedback.to_dict()` ever wrote (see coach.feedback_versions).
Times are ISO 8601 strings in UTC ("2025-11-22T09:14:03+00:00").
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from coach.history.errors import HistoryError

if TYPE_CHECKING:  # only for annotations: the analyses load when a record is first read
    from coach.feedback import Feedback
    from coach.scenarios import Scenario

STATUSES = ("recorded", "analyzed", "failed")
ATTEMPT_KINDS = ("answer", "follow-up")  # a scenario's main answer, or an answer to a follow-up
ROUND_STATUSES = ("open", "finished", "abandoned")  # abandoned: left open when one started


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Metrics:
    """The figures history and progress track, read from one analysed answer.

    Attributes:
        score: the overall score, 0-100; None for an answer too short to judge.
        partial: the score left a part out (grammar not checked): it is compared only with
            scores that left out the same (see coach.history.progress).
        wpm: pace in words per minute.
        fillers_per_minute / filler_total: filler words and sounds.
        coverage_ratio: share of the scenario's key terms said, 0-1.
        missed_terms: key terms not said at all.
        unclear_terms: key terms said but heard as something else.
        said_terms: key terms said, clearly or not.
        grammar_issues: issues found, or None when grammar was not checked.
        duration_s / answer_s: length of the recording / from first to last word (speech);
            `length_s` is the one every view shows, the limit is checked on speech.
        over_time_s: seconds past the time limit (0 within it).
        time_limit_s: the limit the answer was timed against.
    """

    score: float | None
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
    partial: bool = False
    unclear_terms: tuple[str, ...] = ()
    said_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.coverage_ratio <= 1.0:
            raise ValueError(f"coverage_ratio must be within 0-1, got {self.coverage_ratio}")

    @property
    def judged(self) -> bool:
        """Long enough to judge: it has a score, and counts in trends."""
        return self.score is not None

    @property
    def score_text(self) -> str:
        """ "72", "72 (partial)" or "too short"."""
        if self.score is None:
            return "too short"
        return f"{self.score:.0f}" + (" (partial)" if self.partial else "")

    @property
    def ran_over(self) -> bool:
        from coach.analysis.timing import ran_over  # history loads without the analyses

        return ran_over(self.over_time_s)

    @property
    def length_s(self) -> float:
        """The answer's length as shown everywhere: the kept recording's (as the player and
        `TimingReport.length_s` give it)."""
        return self.duration_s or self.answer_s

    @property
    def coverage_pct(self) -> float:
        return 100.0 * self.coverage_ratio

    @classmethod
    def from_feedback_dict(cls, data: Mapping) -> Metrics:
        """Figures from a kept `Feedback.to_dict()`, whatever its schema version."""
        return FeedbackRecord.from_dict(data).metrics

    @classmethod
    def from_row(cls, row: sqlite3.Row | Mapping, feedback: Mapping | None) -> Metrics | None:
        """Figures of an analysed attempt row: from its kept feedback, else from its columns
        (None when neither has them)."""
        if feedback:
            try:
                return cls.from_feedback_dict(feedback)
            except ValueError:
                pass  # unreadable feedback: the columns may still hold the figures
        if row["score"] is None:
            return None
        checked = row["grammar_checked"]
        return cls(
            score=row["score"], wpm=row["wpm"] or 0.0,
            fillers_per_minute=row["fillers_per_minute"] or 0.0,
            filler_total=row["filler_total"] or 0, coverage_ratio=row["coverage_ratio"] or 0.0,
            missed_terms=tuple(json.loads(row["missed_terms_json"] or "[]")),
            grammar_issues=row["grammar_issues"] if checked else None,
            duration_s=row["duration_s"] or 0.0, answer_s=row["answer_s"] or 0.0,
            over_time_s=row["over_time_s"] or 0.0, time_limit_s=row["time_limit_s"] or 0,
            partial=not checked)

    def to_dict(self) -> dict:
        return {
            "score": None if self.score is None else round(self.score), "partial": self.partial,
            "unclear_terms": list(self.unclear_terms), "wpm": round(self.wpm),
            "fillers_per_minute": round(self.fillers_per_minute, 1),
            "filler_total": self.filler_total, "coverage": round(self.coverage_ratio, 2),
            "missed_terms": list(self.missed_terms), "grammar_issues": self.grammar_issues,
            "duration_s": round(self.duration_s, 1), "answer_s": round(self.answer_s, 1),
            "length_s": round(self.length_s, 1), "over_time_s": round(self.over_time_s, 1),
            "time_limit_s": self.time_limit_s,
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

    @cached_property
    def record(self) -> FeedbackRecord | None:
        """The kept feedback, read (None before analysis or when it cannot be read)."""
        if not self.feedback:
            return None
        try:
            return FeedbackRecord.from_dict(self.feedback)
        except ValueError:
            return None

    @property
    def title(self) -> str:
        """The scenario title kept with the feedback, or the scenario id before analysis."""
        if self.record is not None:
            return self.record.scenario_title or self.scenario_id
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


# --- the kept feedback -------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedbackRecord:
    """A kept `Feedback.to_dict()`, read back whole whatever version wrote it: the version and
    the `Feedback` it describes (`Feedback.from_dict`, the one parser of kept feedback)."""

    schema_version: int
    feedback: Feedback

    @classmethod
    def from_dict(cls, data: Mapping, scenario: Scenario | None = None) -> FeedbackRecord:
        """`scenario`: the one the answer was judged against, if known (see
        `Feedback.from_dict`). Raises ValueError for a record this version cannot read."""
        from coach.feedback import Feedback  # history loads without the analyses
        from coach.feedback_versions import record_version

        return cls(record_version(data), Feedback.from_dict(data, scenario))

    @property
    def scenario_id(self) -> str:
        return self.feedback.scenario.id

    @property
    def scenario_title(self) -> str:
        return self.feedback.scenario.title

    @property
    def metrics(self) -> Metrics:
        f = self.feedback
        return Metrics(
            score=f.score.total, wpm=f.timing.wpm, fillers_per_minute=f.fillers.per_minute,
            filler_total=f.fillers.total, coverage_ratio=f.coverage.ratio,
            missed_terms=f.coverage.missing,
            grammar_issues=len(f.grammar.issues) if f.grammar.checked else None,
            duration_s=f.timing.recording_s, answer_s=f.timing.answer_s,
            over_time_s=f.timing.over_time_s, time_limit_s=f.timing.limit_s,
            partial=f.score.partial, unclear_terms=f.coverage.unclear,
            said_terms=f.coverage.said)


def kept_feedback(data: Mapping, scenario: Scenario) -> Feedback:
    """The `Feedback` a kept record describes, to show it again as it was first shown (the
    settings, the model or the grammar server may have changed since: nothing is analysed
    again). Raises HistoryError for a record this version cannot read."""
    try:
        return FeedbackRecord.from_dict(data, scenario).feedback
    except ValueError as error:
        raise HistoryError(
            "This attempt's feedback was kept in a form this version cannot show.",
            hint=f"Its figures are in the list; `coach export attempt` gives the rest "
                 f"({error}).") from None
