"""Timing and pace: length against the scenario's limit, words per minute, pace over time.

The answer's length as the user sees it (`TimingReport.length_s`, `clock`) is the kept
recording's, as the countdown and the player show it; every view reads that one figure. The
time limit is checked against the speech, from the first to the last word (the interview clock
starts when you speak), and `length_note` says so wherever the check is shown.
Pace counts every word said, fillers included, as Microsoft Speaker Coach does.

Pace range: 110-160 wpm is "good". Speaker Coach uses 100-165 for presentations; interview
answers are dense with technical terms and are often heard by people working in a second
language, so we move the floor up (below ~110 an answer sounds hesitant) and the ceiling down
(above ~160 jargon blurs). Users can change the range in settings.

Too little to judge: an answer under MIN_JUDGED_S seconds or MIN_JUDGED_WORDS words ("Okay,
so...") gets no pace verdict, no score and no trends: any figure from it would be noise.
An answer "ran over" from OVER_TIME_TOLERANCE_S past its limit: a fraction of a second over is
not worth a remark.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from coach.transcript import Transcript

PACE_WINDOW_S = 5.0
MIN_JUDGED_S = 3.0
MIN_JUDGED_WORDS = 10
OVER_TIME_TOLERANCE_S = 1.0
TOO_SHORT = "too short to judge"


def ran_over(over_time_s: float) -> bool:
    """Whether an answer this many seconds past its limit ran over (the one rule for it)."""
    return over_time_s >= OVER_TIME_TOLERANCE_S


def clock(seconds: float) -> str:
    """0:07, 1:30: how every view writes a length or a moment. Whole seconds rounded down, as
    media players count: a 24.7 s recording is "0:24" on its own player, so it is "0:24" on
    every card beside it too (rounded, it read "0:25" there)."""
    whole = max(0, math.floor(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def judgeable(answer_s: float, word_count: int) -> bool:
    """Whether an answer is long enough to be scored and timed."""
    return answer_s >= MIN_JUDGED_S and word_count >= MIN_JUDGED_WORDS


@dataclass(frozen=True)
class PaceRange:
    low: float = 110.0
    high: float = 160.0

    def verdict(self, wpm: float) -> str:
        return "slow" if wpm < self.low else "fast" if wpm > self.high else "good"


@dataclass(frozen=True)
class PacePoint:
    start: float
    wpm: float

    def to_dict(self) -> dict:
        return {"start": round(self.start, 1), "wpm": round(self.wpm)}

    @classmethod
    def from_dict(cls, data: Mapping) -> PacePoint:
        return cls(data["start"], data["wpm"])


@dataclass(frozen=True)
class TimingReport:
    recording_s: float
    answer_s: float
    speaking_s: float  # answer time minus pauses
    limit_s: int
    wpm: float
    pace_verdict: str
    pace_range: PaceRange
    pace_over_time: tuple[PacePoint, ...]
    first_key_term_s: float | None
    word_count: int = 0

    @property
    def judged(self) -> bool:
        return judgeable(self.answer_s, self.word_count)

    @property
    def length_s(self) -> float:
        """The answer's length as shown everywhere: the kept recording's."""
        return self.recording_s or self.answer_s

    @property
    def length_note(self) -> str:
        """The limit check, labelled with the speech time it is made on."""
        return f"{self.length_verdict} (speech {clock(self.answer_s)})"

    @property
    def over_time_s(self) -> float:
        return max(0.0, self.answer_s - self.limit_s)

    @property
    def ran_over(self) -> bool:
        return ran_over(self.over_time_s)

    @property
    def length_verdict(self) -> str:
        if not self.judged:
            return f"{TOO_SHORT}: {self.answer_s:.0f} s of a {self.limit_s} s slot"
        if self.ran_over:
            return f"{self.over_time_s:.0f} s over the {self.limit_s} s limit"
        if self.answer_s < 0.5 * self.limit_s:
            return f"short: {self.answer_s:.0f} s of a {self.limit_s} s slot"
        return f"within the {self.limit_s} s limit"

    def to_dict(self) -> dict:
        return {
            "duration_s": round(self.recording_s, 2), "answer_s": round(self.answer_s, 2),
            "speaking_s": round(self.speaking_s, 2), "limit_s": self.limit_s,
            "over_time_s": round(self.over_time_s, 1), "length_verdict": self.length_verdict,
            "wpm": round(self.wpm), "pace_verdict": self.pace_verdict,
            "pace_range": [self.pace_range.low, self.pace_range.high],
            "pace_over_time": [p.to_dict() for p in self.pace_over_time],
            "first_key_term_s": None if self.first_key_term_s is None
            else round(self.first_key_term_s, 1),
            "word_count": self.word_count, "judged": self.judged,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> TimingReport:
        """The report `to_dict` wrote (its derived keys, such as the verdicts, are not read)."""
        return cls(
            recording_s=data["duration_s"], answer_s=data["answer_s"],
            speaking_s=data["speaking_s"], limit_s=data["limit_s"], wpm=data["wpm"],
            pace_verdict=data["pace_verdict"], pace_range=PaceRange(*data["pace_range"]),
            pace_over_time=tuple(PacePoint.from_dict(p) for p in data["pace_over_time"]),
            first_key_term_s=data["first_key_term_s"], word_count=data["word_count"])


def pace_over_time(
    transcript: Transcript, window_s: float = PACE_WINDOW_S
) -> tuple[PacePoint, ...]:
    start, end = transcript.speech_start, transcript.speech_end
    points: list[PacePoint] = []
    t = start
    while t < end:
        width = min(window_s, end - t)
        if width < window_s / 2 and points:
            break  # a short tail window would exaggerate the pace
        count = sum(1 for w in transcript.words if t <= w.start < t + width)
        points.append(PacePoint(t - start, count * 60.0 / width))
        t += window_s
    return tuple(points)


def analyze_timing(transcript: Transcript, limit_s: int, *, pause_s: float = 0.0,
                   first_key_term_s: float | None = None,
                   pace_range: PaceRange = PaceRange()) -> TimingReport:
    answer_s = max(transcript.speech_end - transcript.speech_start, 0.0)
    count = len(transcript.words)
    wpm = count * 60.0 / answer_s if answer_s > 0 else 0.0
    verdict = pace_range.verdict(wpm) if judgeable(answer_s, count) else TOO_SHORT
    return TimingReport(
        recording_s=transcript.duration_s, answer_s=answer_s,
        speaking_s=max(answer_s - pause_s, 0.0), limit_s=limit_s, wpm=wpm,
        pace_verdict=verdict, pace_range=pace_range,
        pace_over_time=pace_over_time(transcript), first_key_term_s=first_key_term_s,
        word_count=count,
    )
