"""The model answer: the scenario's reference answer, shown and played beside the speaker's own
polished answer and never mixed into it, with its own reading guide. Its duration is the time
the chosen voice takes to say it at the chosen speed (`coach.analysis.speech_time`), or the
measured length of its audio once synthesized (`audio_s`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.analysis.cleanup import Piece
from coach.analysis.reading_guide import GuideWord, guide, spoken_text
from coach.analysis.speech_time import voice_seconds
from coach.analysis.structure import split_sentences
from coach.analysis.terms import mentions
from coach.scenarios import Scenario
from coach.settings import DEFAULT_WPM

MODEL = "model"  # the origin of a model answer's words in its reading guide


@dataclass(frozen=True)
class ModelAnswer:
    text: str
    words: tuple[GuideWord, ...] = ()
    spoken_text: str = ""
    estimated_s: float = 0.0  # as `voice` says it at `wpm`
    voice: str = "espeak"
    wpm: int = DEFAULT_WPM
    audio_s: float | None = None  # the duration of its real audio, once synthesized

    @property
    def duration_s(self) -> float:
        """The one duration to show: the real audio's when there is one."""
        return self.estimated_s if self.audio_s is None else self.audio_s

    def to_dict(self) -> dict:
        return {"text": self.text, "spoken_text": self.spoken_text,
                "estimated_s": round(self.estimated_s, 1), "voice": self.voice,
                "wpm": self.wpm,
                "audio_s": None if self.audio_s is None else round(self.audio_s, 2),
                "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: Mapping) -> ModelAnswer:
        return cls(data["text"], tuple(GuideWord.from_dict(w) for w in data["words"]),
                   data["spoken_text"], data.get("estimated_s", 0.0),
                   data.get("voice", "espeak"), data.get("wpm", DEFAULT_WPM),
                   data.get("audio_s"))


def model_answer(scenario: Scenario, engine: str = "espeak", wpm: int = DEFAULT_WPM
                 ) -> ModelAnswer:
    """The scenario's reference answer, with its reading guide, timed as `engine` at `wpm`
    says it."""
    text = scenario.reference_answer
    if not text:
        return ModelAnswer("", voice=engine, wpm=wpm)
    sentences = [[Piece(w, MODEL) for w in s.split()] for s in split_sentences(text)]
    words = guide(sentences, scenario.key_terms)
    spoken = spoken_text(words)
    return ModelAnswer(text, words, spoken, voice_seconds(spoken, engine, wpm,
                                                          scenario.key_terms), engine, wpm)


def mentioned_terms(text: str, scenario: Scenario) -> tuple[str, ...]:
    """The scenario's key terms a text says (to check a model or polished answer)."""
    return tuple(k.term for k in scenario.key_terms if mentions(text, k))
