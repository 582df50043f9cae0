"""What the recogniser heard: words with times and confidence. Input to every analysis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One recognised word. `text` keeps its punctuation ("killer."), without surrounding spaces."""

    text: str
    start: float
    end: float
    probability: float = 1.0

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"word {self.text!r} ends before it starts ({self.start} > {self.end})"
            )

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "probability": round(self.probability, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Word:
        return cls(data["text"], data["start"], data["end"], data["probability"])


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration_s: float
    model: str = ""
    notes: tuple[str, ...] = field(default=())  # e.g. a repetition loop that was cut

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def speech_start(self) -> float:
        return self.words[0].start if self.words else 0.0

    @property
    def speech_end(self) -> float:
        return self.words[-1].end if self.words else 0.0

    def to_dict(self) -> dict:
        """The keys a feedback record keeps at its top level (see coach.feedback)."""
        return {"model": self.model, "transcript": self.text, "transcript_notes": list(self.notes),
                "words": [w.to_dict() for w in self.words],
                "duration_s": round(self.duration_s, 2)}

    @classmethod
    def from_dict(cls, data: Mapping) -> Transcript:
        """The transcript a feedback record holds ("transcript", the text, is its words')."""
        return cls(tuple(Word.from_dict(w) for w in data["words"]), data["duration_s"],
                   data["model"], tuple(data["transcript_notes"]))

    @classmethod
    def from_text(cls, text: str, *, words_per_second: float = 2.5, start: float = 0.0
                  ) -> Transcript:
        """Evenly timed words, for tests of pure analyses that do not need real audio."""
        step = 1.0 / words_per_second
        words = tuple(
            Word(token, start + i * step, start + (i + 1) * step * 0.9 + i * step * 0.1)
            for i, token in enumerate(text.split())
        )
        return cls(words=words, duration_s=start + len(words) * step)
