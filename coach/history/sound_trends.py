"""How each sound that was once off has gone since: "your /dʒ/ in jitter: 3 of the last 5
attempts right".

Pure: kept attempts in (oldest first), sentences out. Only the attempts whose feedback scored
the term (records of schema 4 on, the term said and judged) count, and only sounds flagged in
at least one of the last `last` of them are named: a sound never off needs no line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coach.history.records import Attempt

DEFAULT_LAST = 5


@dataclass(frozen=True)
class SoundTrend:
    term: str
    sound: str  # the expected IPA
    right: int
    attempts: int

    @property
    def sentence(self) -> str:
        return (f"your /{self.sound}/ in {self.term}: {self.right} of the last "
                f"{self.attempts} attempt{'s' if self.attempts != 1 else ''} right")

    def to_dict(self) -> dict:
        return {"term": self.term, "sound": self.sound, "right": self.right,
                "attempts": self.attempts, "sentence": self.sentence}


def _scored_words(feedback: Mapping | None) -> list[Mapping]:
    if not feedback or int(feedback.get("schema_version", 1)) < 4:
        return []
    words = feedback.get("pronunciation")
    return [w for w in words if isinstance(w, Mapping) and w.get("judged")] \
        if isinstance(words, list) else []


def sound_trends(attempts: Iterable[Attempt], last: int = DEFAULT_LAST) -> list[SoundTrend]:
    """For each term and position of a sound flagged in one of its last `last` judged
    attempts: how many of those attempts had it right."""
    history: dict[tuple[str, int, str], list[bool]] = {}
    order: list[tuple[str, int, str]] = []
    for attempt in attempts:
        for word in _scored_words(attempt.feedback):
            for i, phoneme in enumerate(word.get("phonemes", [])):
                key = (word["term"], i, phoneme["expected"])
                if key not in history:
                    history[key] = []
                    order.append(key)
                history[key].append(not phoneme["flagged"])
    trends = []
    for key in order:
        recent = history[key][-last:]
        if not all(recent):
            trends.append(SoundTrend(key[0], key[2], sum(recent), len(recent)))
    return trends
