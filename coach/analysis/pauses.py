"""Silent pauses inside an answer, measured on the audio, placed in the sentence by the words.

A pause is silence of at least MIN_PAUSE_S between two stretches of speech. It is "long" from
LONG_PAUSE_S: listeners notice a second of silence, and inside a clause it sounds like searching
for a word, while between sentences it can be a deliberate beat. Each pause is classed by the
word before it: "sentence" (after . ? !), "phrase" (after a comma), or "clause" (mid-clause).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.analysis.text import ends_phrase, ends_sentence
from coach.audio.voice_activity import Interval
from coach.transcript import Transcript

MIN_PAUSE_S = 0.5
LONG_PAUSE_S = 1.0


@dataclass(frozen=True)
class Pause:
    start: float
    duration: float
    where: str  # sentence | phrase | clause
    after_word: str
    before_word: str

    @property
    def long(self) -> bool:
        return self.duration >= LONG_PAUSE_S

    def to_dict(self) -> dict:
        return {"start": round(self.start, 2), "duration": round(self.duration, 2),
                "where": self.where, "long": self.long,
                "after": self.after_word, "before": self.before_word}

    @classmethod
    def from_dict(cls, data: Mapping) -> Pause:
        return cls(data["start"], data["duration"], data["where"], data["after"], data["before"])


@dataclass(frozen=True)
class PauseReport:
    pauses: tuple[Pause, ...]
    total_pause_s: float

    @property
    def long_pauses(self) -> tuple[Pause, ...]:
        return tuple(p for p in self.pauses if p.long)

    @property
    def long_in_clause(self) -> tuple[Pause, ...]:
        return tuple(p for p in self.long_pauses if p.where == "clause")

    def to_dict(self) -> dict:
        return {"count": len(self.pauses), "long": len(self.long_pauses),
                "long_in_clause": len(self.long_in_clause),
                "total_s": round(self.total_pause_s, 2),
                "items": [p.to_dict() for p in self.pauses]}

    @classmethod
    def from_dict(cls, data: Mapping) -> PauseReport:
        return cls(tuple(Pause.from_dict(p) for p in data["items"]), data["total_s"])


def analyze_pauses(transcript: Transcript, speech: Sequence[Interval],
                   min_pause_s: float = MIN_PAUSE_S) -> PauseReport:
    words = transcript.words
    pauses: list[Pause] = []
    for left, right in itertools.pairwise(speech):
        gap = right.start - left.end
        if gap < min_pause_s:
            continue
        before = [w for w in words if w.start < left.end + 0.1]
        after = [w for w in words if w.start >= right.start - 0.25]
        if not before or not after:
            continue  # silence before the first or after the last word is not a pause
        last = before[-1].text
        where = "sentence" if ends_sentence(last) else "phrase" if ends_phrase(last) else "clause"
        pauses.append(Pause(left.end, gap, where, last, after[0].text))
    return PauseReport(tuple(pauses), sum(p.duration for p in pauses))
